//! Alphabetical order as Arabic readers expect it in an index.
//!
//! Once hamza carriers, ى and ة are folded, Unicode's order of the Arabic block is the
//! hijā'ī order (ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي), so the folded
//! name is the key; the article ال is skipped, as dictionaries and indexes do.

use super::fold;

/// The key to sort a display name by.
pub fn sort_key(name: &str) -> String {
    let folded = fold(name.trim());
    // Only a plain alef starts the article: آليات and إلياس keep their first letters.
    let has_article = name.trim_start().starts_with('ا');
    match folded.strip_prefix("ال") {
        Some(rest) if has_article && rest.chars().count() >= 2 => rest.to_string(),
        _ => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| (sort_key(n), n.to_string()));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn ignores_the_article() {
        // غ comes before و: بغداد, then (ال)بوكمال.
        assert_eq!(sorted(&["الميادين", "بغداد", "البوكمال", "أوتاوا"]), ["أوتاوا", "بغداد", "البوكمال", "الميادين"]);
    }

    #[test]
    fn alef_madda_and_hamza_before_lam_are_not_the_article() {
        assert_eq!(sort_key("آليات"), "اليات");
        assert_eq!(sort_key("إلياس"), "الياس");
        assert_eq!(sorted(&["دول", "آليات", "أفراد"]), ["أفراد", "آليات", "دول"]);
    }

    #[test]
    fn hamza_forms_sort_with_alef() {
        assert_eq!(sorted(&["تونس", "إيران", "آب", "ابو ظبي"]), ["آب", "ابو ظبي", "إيران", "تونس"]);
    }

    #[test]
    fn hijai_order() {
        assert_eq!(sorted(&["يمن", "واشنطن", "هولندا", "دمشق", "جنيف"]), ["جنيف", "دمشق", "هولندا", "واشنطن", "يمن"]);
    }

    #[test]
    fn short_words_keep_their_letters() {
        assert_eq!(sort_key("الجزيرة السورية"), "جزيره السوريه");
        assert_eq!(sort_key("ال"), "ال");
    }
}
