//! Writing for Arabic readers: dates with both month names, counts with the right noun
//! form, digits in the script the site chose.

use icu_locale_core::locale;
use icu_plurals::{PluralCategory, PluralRules};

use super::months::MONTHS;
use crate::domain::IsoDate;

/// `2021-02-26` → "26 فبراير/شباط 2021", `2021-02` → "فبراير/شباط 2021", `2021` → "2021".
///
/// ```
/// use archive::arabic::format::date;
/// use archive::IsoDate;
/// let shown = |id| IsoDate::parse(id).map(date);
/// assert_eq!(shown("2021-02-26").as_deref(), Some("26 فبراير/شباط 2021"));
/// assert_eq!(shown("2021-02").as_deref(), Some("فبراير/شباط 2021"));
/// ```
pub fn date(date: IsoDate) -> String {
    let year = format!("{:04}", date.year());
    let month = date.month_number().and_then(|m| MONTHS.get(m as usize - 1)).map(|m| m.display());
    match (month, date.day()) {
        (Some(m), Some(d)) => format!("{d} {m} {year}"),
        (Some(m), None) => format!("{m} {year}"),
        (None, _) => year,
    }
}

/// Replaces ASCII digits by Arabic-Indic ones.
///
/// ```
/// assert_eq!(archive::arabic::format::arabic_digits("12 مقالة"), "١٢ مقالة");
/// ```
pub fn arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c) } else { c })
        .collect()
}

/// The noun forms a count needs: "مقالة واحدة", "مقالتان", "3 مقالات", "11 مقالة".
pub struct Forms<'a> {
    /// For 1, the whole phrase: "مقالة واحدة".
    pub one: &'a str,
    /// For 2, the whole phrase: "مقالتان".
    pub two: &'a str,
    /// After 3–10: the plural, "مقالات".
    pub few: &'a str,
    /// After 11 and up: the singular, "مقالة".
    pub many: &'a str,
}

thread_local! {
    /// CLDR's cardinal rules for Arabic, built once per thread: building looks the locale's
    /// data up, and the rules cannot be shared between threads.
    static RULES: PluralRules =
        PluralRules::try_new_cardinal(locale!("ar").into()).expect("ICU4X's compiled data has Arabic");
}

/// `n` with the noun form CLDR's plural category for Arabic asks for.
///
/// ```
/// use archive::arabic::format::{count, Forms};
/// let forms = Forms { one: "مقالة واحدة", two: "مقالتان", few: "مقالات", many: "مقالة" };
/// assert_eq!(count(1, &forms), "مقالة واحدة");
/// assert_eq!(count(2, &forms), "مقالتان");
/// assert_eq!(count(3, &forms), "3 مقالات");
/// assert_eq!(count(11, &forms), "11 مقالة");
/// assert_eq!(count(100, &forms), "100 مقالة");
/// ```
pub fn count(n: u64, forms: &Forms) -> String {
    match RULES.with(|rules| rules.category_for(n)) {
        PluralCategory::One => forms.one.to_string(),
        PluralCategory::Two => forms.two.to_string(),
        // CLDR gives 0 a category of its own, zero, but a site has no fourth noun form to
        // give it: a numeral 0 reads with the plural, "0 مقالات", as 3–10 do.
        PluralCategory::Zero | PluralCategory::Few => format!("{n} {}", forms.few),
        // 11–99 (many) take the singular accusative, 100–102 and the like (other) the
        // singular genitive: without vowels both are written "مقالة".
        PluralCategory::Many | PluralCategory::Other => format!("{n} {}", forms.many),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        let shown = |id| IsoDate::parse(id).map(date).unwrap();
        assert_eq!(shown("2021-02-26"), "26 فبراير/شباط 2021");
        assert_eq!(shown("2021-02-06"), "6 فبراير/شباط 2021");
        assert_eq!(shown("2023-10"), "أكتوبر/تشرين الأول 2023");
        assert_eq!(shown("2015"), "2015");
    }

    #[test]
    fn counts_pick_the_noun_form() {
        let forms =
            Forms { one: "مقالة واحدة", two: "مقالتان", few: "مقالات", many: "مقالة" };
        assert_eq!(count(1, &forms), "مقالة واحدة");
        assert_eq!(count(2, &forms), "مقالتان");
        assert_eq!(count(3, &forms), "3 مقالات");
        assert_eq!(count(11, &forms), "11 مقالة");
        assert_eq!(count(100, &forms), "100 مقالة");
        assert_eq!(count(0, &forms), "0 مقالات");
        // Past 100 the last two digits decide: 103 as 3, 111 as 11, 102 as 100.
        assert_eq!(count(103, &forms), "103 مقالات");
        assert_eq!(count(111, &forms), "111 مقالة");
        assert_eq!(count(102, &forms), "102 مقالة");
        assert_eq!(count(1001, &forms), "1001 مقالة");
    }

    #[test]
    fn digits() {
        assert_eq!(arabic_digits("26 فبراير 2021"), "٢٦ فبراير ٢٠٢١");
    }
}
