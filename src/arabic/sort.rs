//! Alphabetical order as Arabic readers expect it in an index.
//!
//! The key is the folded name (hamza carriers, ى and ة folded), the article ال skipped, as
//! dictionaries and indexes do. Keys are ordered by CLDR's collation for Arabic: the
//! hijā'ī order (ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي), with the letters
//! of Persian and other languages beside the Arabic letters they are drawn from (پ after
//! ب, چ after ج, گ after ك), where Unicode's code points put them after ي. Names that start
//! with a digit come first, names in Latin letters after the Arabic ones, as CLDR orders
//! scripts for Arabic.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

use super::fold;

/// The key to sort a display name by: folded, the article ال left out.
///
/// ```
/// assert_eq!(archive::arabic::sort::sort_key("الجزيرة السورية"), "جزيره السوريه");
/// ```
pub fn sort_key(name: &str) -> String {
    let folded = fold(name.trim());
    // Only a plain alef starts the article: آليات and إلياس keep their first letters.
    let has_article = name.trim_start().starts_with('ا');
    match folded.strip_prefix("ال") {
        Some(rest) if has_article && rest.chars().count() >= 2 => rest.to_string(),
        _ => folded,
    }
}

/// CLDR's collation for Arabic. Built once: building it looks up the locale's tailoring,
/// and an index compares many times.
static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("ar").into(), CollatorOptions::default()).expect("ICU4X's compiled data has Arabic")
});

/// Orders two keys made by [`sort_key`] by CLDR's collation for Arabic. Keys it finds equal
/// are ordered by code point, so only equal keys compare equal.
pub fn compare_keys(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b).then_with(|| a.cmp(b))
}

/// Orders two display names as an Arabic index does: by their keys (see [`compare_keys`]),
/// then, for names with the same key («الجزيرة», «جزيرة»), by the name as written, so the
/// order is total and the same on every build.
///
/// ```
/// use archive::arabic::sort::compare;
/// let mut names = vec!["BBC", "الرقة", "پاکستان", "بغداد", "تونس"];
/// names.sort_by(|a, b| compare(a, b));
/// assert_eq!(names, ["بغداد", "پاکستان", "تونس", "الرقة", "BBC"]);
/// ```
pub fn compare(a: &str, b: &str) -> Ordering {
    compare_keys(&sort_key(a), &sort_key(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by(|a, b| compare(a, b));
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

    #[test]
    fn persian_letters_sort_beside_their_arabic_neighbours() {
        assert_eq!(
            sorted(&[
                "لبنان",
                "گرگان",
                "كركوك",
                "سوريا",
                "ژاله",
                "زحلة",
                "حلب",
                "چابهار",
                "جنيف",
                "تونس",
                "پاکستان",
                "بغداد"
            ]),
            ["بغداد", "پاکستان", "تونس", "جنيف", "چابهار", "حلب", "زحلة", "ژاله", "سوريا", "كركوك", "گرگان", "لبنان"]
        );
        assert_eq!(sorted(&["قطر", "ڤيينا", "فرنسا"]), ["فرنسا", "ڤيينا", "قطر"]);
        // Persian ی and ک are folded to ي and ك: the same key as the Arabic spelling.
        assert_eq!(sort_key("ایران"), sort_key("إيران"));
    }

    #[test]
    fn digits_first_latin_after_arabic() {
        assert_eq!(sorted(&["Reuters", "يمن", "2015", "AFP", "ابو ظبي"]), ["2015", "ابو ظبي", "يمن", "AFP", "Reuters"]);
        // Case is folded in the key: the capital comes first only as the tie-break.
        assert_eq!(
            sorted(&["apple", "Zürich", "Apple", "eagle", "Éclair"]),
            ["Apple", "apple", "eagle", "Éclair", "Zürich"]
        );
    }

    #[test]
    fn ties_are_broken_by_the_name_as_written() {
        assert_eq!(sort_key("الجزيرة"), sort_key("جزيرة"));
        assert_eq!(compare("الجزيرة", "جزيرة"), Ordering::Less);
        assert_eq!(compare("جزيرة", "الجزيرة"), Ordering::Greater);
        assert_eq!(compare("جزيرة", "جزيرة"), Ordering::Equal);
        // Keys the collation finds equal still differ by code point.
        assert_ne!(compare_keys("e\u{301}", "é"), Ordering::Equal);
        // Whatever order the names come in, they leave in one.
        let names = ["جزيرة", "الجزيرة", "Apple", "apple", "الميادين", "ميادين", "پاکستان"];
        let mut reversed = names;
        reversed.reverse();
        assert_eq!(sorted(&names), sorted(&reversed));
    }
}
