//! Quantities: a number, in digits or words, with the noun it counts — "مصرع 19 عنصرا",
//! "22 قتيلاً", "أكثر من 20 صاروخا", "بعشرة صواريخ", "60 آلية", "3 من الشاحنات" — and the
//! dual of a counted noun on its own ("رتلين": two convoys).
//!
//! Runs on folded text and its words (see `arabic::fold::words`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use crate::arabic::clitics;
use crate::arabic::numbers::{parse_decimal_milli, parse_digits, parse_words, scale_after};

/// A kind of thing counted, with the forms of its noun (folded). The id names the
/// quantity's entity page; the label is its plural, as a heading.
pub struct Counted {
    pub id: &'static str,
    pub label: &'static str,
    forms: &'static [&'static str],
    duals: &'static [&'static str],
}

/// Every kind of thing a quantity can count: what `FoundQuantity::counted` indexes.
pub const COUNTED: &[Counted] = &[
    Counted {
        id: "killed", label: "قتلى", forms: &["قتيل", "قتيلا", "قتلي"], duals: &["قتيلين", "قتيلان"]
    },
    Counted {
        id: "wounded", label: "جرحى", forms: &["جريح", "جريحا", "جرحي", "مصاب", "مصابا", "مصابين"], duals: &[]
    },
    Counted {
        id: "fighters", label: "مقاتلون", forms: &["مقاتل", "مقاتلا", "مقاتلين", "مقاتلون"], duals: &[]
    },
    Counted {
        id: "members", label: "عناصر", forms: &["عنصر", "عنصرا", "عناصر"], duals: &["عنصرين"]
    },
    Counted { id: "people", label: "أشخاص", forms: &["شخص", "شخصا", "اشخاص"], duals: &["شخصين"] },
    Counted {
        id: "soldiers", label: "جنود", forms: &["جندي", "جنديا", "جنود"], duals: &["جنديين"]
    },
    Counted {
        id: "civilians", label: "مدنيون", forms: &["مدني", "مدنيا", "مدنيين", "مدنيون"], duals: &[]
    },
    Counted { id: "individuals", label: "أفراد", forms: &["فرد", "فردا", "افراد"], duals: &[] },
    Counted {
        id: "rockets", label: "صواريخ", forms: &["صاروخ", "صاروخا", "صواريخ"], duals: &["صاروخين", "صاروخان"]
    },
    Counted { id: "shells", label: "قذائف", forms: &["قذيفه", "قذائف"], duals: &["قذيفتين"] },
    Counted {
        id: "attacks", label: "هجمات", forms: &["هجوم", "هجوما", "هجمات"], duals: &["هجومين"]
    },
    Counted {
        id: "strikes",
        label: "غارات وضربات",
        forms: &["غاره", "غارات", "ضربه", "ضربات"],
        duals: &["غارتين", "ضربتين"],
    },
    Counted { id: "vehicles", label: "آليات", forms: &["اليه", "اليات"], duals: &["اليتين"] },
    Counted {
        id: "trucks", label: "شاحنات", forms: &["شاحنه", "شاحنات"], duals: &["شاحنتين", "شاحنتان"]
    },
    Counted {
        id: "aircraft", label: "طائرات", forms: &["طائره", "طائرات"], duals: &["طائرتين"]
    },
    Counted {
        id: "convoys", label: "أرتال", forms: &["رتل", "رتلا", "ارتال"], duals: &["رتلين", "رتلان"]
    },
    Counted { id: "times", label: "مرات", forms: &["مره", "مرات"], duals: &["مرتين"] },
    Counted { id: "countries", label: "دول", forms: &["دوله", "دول"], duals: &["دولتين"] },
    Counted {
        id: "sites", label: "مواقع", forms: &["موقع", "موقعا", "مواقع"], duals: &["موقعين"]
    },
    Counted {
        id: "years",
        label: "سنوات",
        forms: &["عام", "عاما", "اعوام", "سنه", "سنوات", "سنين"],
        duals: &["عامين", "سنتين"],
    },
    Counted {
        id: "months", label: "أشهر", forms: &["شهر", "شهرا", "اشهر", "شهور"], duals: &["شهرين"]
    },
    Counted {
        id: "weeks", label: "أسابيع", forms: &["اسبوع", "اسبوعا", "اسابيع"], duals: &["اسبوعين"]
    },
    Counted { id: "days", label: "أيام", forms: &["يوم", "يوما", "ايام"], duals: &["يومين"] },
    Counted { id: "hours", label: "ساعات", forms: &["ساعه", "ساعات"], duals: &["ساعتين"] },
    Counted {
        id: "dollars", label: "دولارات", forms: &["دولار", "دولارا", "دولارات"], duals: &[]
    },
    // Other currencies of the region's news: an amount keeps its words, so a currency that
    // shares a name («ريال» of Real Madrid) is not taken for the name.
    Counted { id: "euros", label: "يوروهات", forms: &["يورو"], duals: &[] },
    Counted { id: "riyals", label: "ريالات", forms: &["ريال", "ريالا", "ريالات"], duals: &[] },
    Counted { id: "pounds", label: "جنيهات", forms: &["جنيه", "جنيها", "جنيهات"], duals: &[] },
    Counted { id: "dinars", label: "دنانير", forms: &["دينار", "دينارا", "دنانير"], duals: &[] },
    Counted { id: "dirhams", label: "دراهم", forms: &["درهم", "درهما", "دراهم"], duals: &[] },
    Counted { id: "liras", label: "ليرات", forms: &["ليره", "ليرات"], duals: &[] },
];

/// Words before a number that bound it, folded, with how a page states them.
const QUALIFIERS: &[(&[&str], &str)] = &[
    (&["اكثر", "من"], "أكثر من"),
    (&["ما", "يزيد", "عن"], "أكثر من"),
    (&["ما", "يزيد", "علي"], "أكثر من"),
    (&["ما", "لا", "يقل", "عن"], "على الأقل"),
    (&["اقل", "من"], "أقل من"),
    (&["نحو"], "نحو"),
    (&["حوالي"], "نحو"),
    (&["قرابه"], "نحو"),
    (&["زهاء"], "نحو"),
];

/// Possessive endings a counted noun may carry after من: "6 من عناصرها".
const POSSESSIVES: &[&str] = &["هما", "هم", "هن", "ها", "نا"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundQuantity {
    pub span: Range<usize>,
    /// Index into `COUNTED`.
    pub counted: usize,
    pub amount: u64,
    pub qualifier: Option<&'static str>,
}

/// Finds quantities in folded `text`, given its words.
pub fn find(text: &str, words: &[Range<usize>]) -> Vec<FoundQuantity> {
    let word = |i: usize| &text[words[i].clone()];
    // Only spaces between two words: a comma or a full stop ends a phrase.
    let adjacent = |i: usize| text[words[i].end..words[i + 1].start].trim().is_empty();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((amount, number_start, after)) = number_at(text, words, i) else {
            if let Some(counted) = dual(word(i)) {
                out.push(FoundQuantity { span: words[i].clone(), counted, amount: 2, qualifier: None });
            }
            i += 1;
            continue;
        };
        let mut noun_at = after;
        if noun_at < words.len() && word(noun_at) == "من" && adjacent(noun_at - 1) && noun_at + 1 < words.len() {
            noun_at += 1;
        }
        let found =
            (noun_at < words.len() && adjacent(noun_at - 1)).then(|| counted(word(noun_at), noun_at > after)).flatten();
        match found {
            Some(counted) => {
                let (start, qualifier) =
                    qualifier_before(text, words, i).map_or((number_start, None), |(s, q)| (s, Some(q)));
                out.push(FoundQuantity { span: start..words[noun_at].end, counted, amount, qualifier });
                i = noun_at + 1;
            }
            None => i = after.max(i + 1),
        }
    }
    out
}

/// A number starting at word `i`, possibly behind a proclitic ("بعشرة", "و30"): its value,
/// where it starts (after the proclitic) and the index of the word after it.
fn number_at(text: &str, words: &[Range<usize>], i: usize) -> Option<(u64, usize, usize)> {
    let first = &text[words[i].clone()];
    // Digits may follow a one-letter proclitic too ("و9"), shorter than any stem splits allows.
    // They are ASCII once folded: found as bytes, without decoding every word's chars.
    let before_digits = first
        .bytes()
        .position(|b| b.is_ascii_digit())
        .filter(|&at| at > 0 && first[..at].chars().all(|c| clitics::LETTERS.contains(&c)));
    let splits = clitics::splits(first).filter(|s| !s.article_elided).map(|s| s.len).chain(before_digits);
    for clitic in splits {
        let stem = &first[clitic..];
        let start = words[i].start + clitic;
        // Digits, and a scale word after them: "10 مليارات", "600 ألف", "2.5 مليون".
        let scaled = |whole: Option<u64>, milli: Option<u64>| {
            let next = words.get(i + 1).filter(|_| joined(text, words, i))?;
            let factor = scale_after(&text[next.clone()])?;
            let value = match (whole, milli) {
                (Some(n), _) => n.checked_mul(factor)?,
                (None, Some(m)) => m.checked_mul(factor)? / 1000,
                (None, None) => return None,
            };
            Some((value, start, i + 2))
        };
        let (whole, milli) = (parse_digits(stem), parse_decimal_milli(stem));
        if let Some(found) = scaled(whole, milli) {
            return Some(found);
        }
        if let Some(n) = whole {
            return Some((n, start, i + 1));
        }
        // Most words are not numbers: ask about the word alone before building a phrase.
        if parse_words(std::slice::from_ref(&stem)).is_none() {
            continue;
        }
        let mut phrase: Vec<&str> = vec![stem];
        phrase.extend(words[i + 1..words.len().min(i + 6)].iter().map(|w| &text[w.clone()]));
        if let Some((n, used)) = parse_words(&phrase) {
            return Some((n, start, i + used));
        }
    }
    None
}

/// Whether only spaces stand between word `i` and the next.
fn joined(text: &str, words: &[Range<usize>], i: usize) -> bool {
    words.get(i + 1).is_some_and(|next| text[words[i].end..next.start].trim().is_empty())
}

/// The counted noun a word is a form of. After من the noun may carry the article and a
/// possessive ending ("من الشاحنات", "من عناصرها").
fn counted(word: &str, after_min: bool) -> Option<usize> {
    let find = |w: &str| FORMS.get(w).copied();
    if let Some(c) = find(word) {
        return Some(c);
    }
    if !after_min {
        return None;
    }
    let bare = word.strip_prefix("ال").unwrap_or(word);
    find(bare).or_else(|| {
        POSSESSIVES
            .iter()
            .filter_map(|p| bare.strip_suffix(p))
            .find_map(|stem| find(stem).or_else(|| find(&format!("{stem}ه"))))
    })
}

/// The endings of the dual, nominative and oblique: every dual in `COUNTED` has one.
const DUAL_ENDINGS: &[&str] = &["ان", "ين"];

/// A dual standing for "two": "رتلين", "الشاحنتين", "وصاروخين".
fn dual(word: &str) -> Option<usize> {
    // Asked of nearly every word: most are ruled out by their ending, before any lookup.
    if !DUAL_ENDINGS.iter().any(|e| word.ends_with(e)) {
        return None;
    }
    clitics::strip_known(word.strip_prefix("ال").unwrap_or(word), |w| DUALS.contains_key(w))
        .and_then(|w| DUALS.get(w).copied())
}

/// Every noun form, and every dual, with the index of its `Counted`: looked up for each
/// word of every article.
static FORMS: LazyLock<HashMap<&'static str, usize>> = LazyLock::new(|| index(|c| c.forms));
static DUALS: LazyLock<HashMap<&'static str, usize>> = LazyLock::new(|| index(|c| c.duals));

fn index(forms: impl Fn(&Counted) -> &'static [&'static str]) -> HashMap<&'static str, usize> {
    COUNTED.iter().enumerate().flat_map(|(i, c)| forms(c).iter().map(move |f| (*f, i))).collect()
}

/// A qualifier ending right before word `i`: where it starts and how to state it.
fn qualifier_before(text: &str, words: &[Range<usize>], i: usize) -> Option<(usize, &'static str)> {
    QUALIFIERS.iter().find_map(|(phrase, label)| {
        let first = i.checked_sub(phrase.len())?;
        let matches = phrase.iter().enumerate().all(|(k, p)| {
            let w = &text[words[first + k].clone()];
            // The qualifier's first word may carry a proclitic: "وأكثر من".
            if k == 0 {
                clitics::splits(w).any(|s| !s.article_elided && &w[s.len..] == *p)
            } else {
                w == *p
            }
        });
        let joined = (first..i).all(|k| text[words[k].end..words[k + 1].start].trim().is_empty());
        (matches && joined).then(|| {
            let w = &text[words[first].clone()];
            let clitic = w.len() - phrase[0].len();
            (words[first].start + clitic, *label)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold::{fold, words};

    fn found(text: &str) -> Vec<(String, &'static str, u64, Option<&'static str>)> {
        let folded = fold(text);
        let w = words(&folded);
        find(&folded, &w)
            .into_iter()
            .map(|q| (folded[q.span].to_string(), COUNTED[q.counted].id, q.amount, q.qualifier))
            .collect()
    }

    #[test]
    fn digits_and_counted_nouns() {
        assert_eq!(found("وكذلك مصرع 19 عنصرا من"), [("19 عنصرا".into(), "members", 19, None)]);
        assert_eq!(found("ترتفع لـ22 قتيلاً"), [("22 قتيلا".into(), "killed", 22, None)]);
        assert_eq!(
            found("رتلين مؤلفين من 60 آلية من"),
            [("رتلين".into(), "convoys", 2, None), ("60 اليه".into(), "vehicles", 60, None)]
        );
        assert_eq!(found("تعرضت لـ 23 هجوماً في"), [("23 هجوما".into(), "attacks", 23, None)]);
    }

    #[test]
    fn qualifiers() {
        assert_eq!(found("سقط أكثر من 20 صاروخا على"), [("اكثر من 20 صاروخا".into(), "rockets", 20, Some("أكثر من"))]);
        assert_eq!(found("شنت ما لا يقل عن 5 هجمات"), [("ما لا يقل عن 5 هجمات".into(), "attacks", 5, Some("على الأقل"))]);
    }

    #[test]
    fn numbers_in_words_with_proclitics() {
        assert_eq!(found("أن هجوما بعشرة صواريخ استهدف"), [("عشره صواريخ".into(), "rockets", 10, None)]);
        assert_eq!(found("وخمسة مقاتلين غير سوريين"), [("خمسه مقاتلين".into(), "fighters", 5, None)]);
        assert_eq!(
            found("يضم أكثر من عشرين دولة منذ"),
            [("اكثر من عشرين دوله".into(), "countries", 20, Some("أكثر من"))]
        );
        assert_eq!(found("وسقطت أربعة صواريخ"), [("اربعه صواريخ".into(), "rockets", 4, None)]);
    }

    #[test]
    fn counted_after_min() {
        assert_eq!(found("تدمير 3 من الشاحنات بعد"), [("3 من الشاحنات".into(), "trucks", 3, None)]);
        assert_eq!(found("وسقوط 6 من عناصرها."), [("6 من عناصرها".into(), "members", 6, None)]);
        assert_eq!(found("حياة ثلاثة من القوات السورية"), []);
    }

    #[test]
    fn punctuation_breaks_a_quantity() {
        assert!(found("بلغ العدد 5، هجمات أخرى").is_empty());
        assert!(found("طائرات إف-35 الأمريكية").is_empty());
    }

    #[test]
    fn every_dual_has_a_dual_ending() {
        for dual in COUNTED.iter().flat_map(|c| c.duals) {
            assert!(DUAL_ENDINGS.iter().any(|e| dual.ends_with(e)), "{dual}");
        }
    }

    #[test]
    fn a_scale_word_after_digits_multiplies_them() {
        assert_eq!(found("خسائر بلغت 10 مليارات دولار"), [("10 مليارات دولار".into(), "dollars", 10_000_000_000, None)]);
        assert_eq!(found("نزوح 600 ألف شخص"), [("600 الف شخص".into(), "people", 600_000, None)]);
        assert_eq!(found("قرض بقيمة 2.5 مليون دولار"), [("2.5 مليون دولار".into(), "dollars", 2_500_000, None)]);
        assert_eq!(found("ما يعادل 135 مليار ريال"), [("135 مليار ريال".into(), "riyals", 135_000_000_000, None)]);
        assert_eq!(found("بقيمة 40 ألف جنيه"), [("40 الف جنيه".into(), "pounds", 40_000, None)]);
        assert_eq!(found("نحو 3 آلاف جندي"), [("نحو 3 الاف جندي".into(), "soldiers", 3000, Some("نحو"))]);
        // Thousands of people: no number.
        assert!(found("تشريد آلاف الأشخاص").is_empty());
        assert!(found("بلغ 5، ألف شخص").iter().all(|q| q.2 != 5000), "a comma breaks the phrase");
    }

    #[test]
    fn years_and_times() {
        assert_eq!(found("قبل 12 عاما."), [("12 عاما".into(), "years", 12, None)]);
        assert_eq!(
            found("14 مرة على الأقل و9 مرات"),
            [("14 مره".into(), "times", 14, None), ("9 مرات".into(), "times", 9, None)]
        );
    }
}
