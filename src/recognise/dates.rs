//! Dates in Arabic news text, resolved to ISO values: "26 فبراير/شباط 2021",
//! "19 أكتوبر/ تشرين الأول", "بين 17 و30 أكتوبر", "الرابع من مارس", "آب 2014",
//! "أمس الثلاثاء", "عام 2015". A missing year comes from the article's date.
//!
//! Everything here runs on folded text (see `arabic::fold`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::{Captures, Regex};

use crate::arabic::fold::{fold, is_word_char, single_spaced};
use crate::arabic::months;
use crate::domain::IsoDate;

/// A date found in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub span: Range<usize>,
    pub date: IsoDate,
}

/// The article's own date, against which relative and year-less dates are resolved.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    /// The day the article is dated.
    pub date: NaiveDate,
    /// An estimated date resolves years, but weekdays only when they agree with it.
    pub approximate: bool,
}

/// Every month name, folded, with its month's number: Gregorian (Egypt, Gulf), Syriac
/// (Levant, Iraq) and Maghrebi forms, from `arabic::months`.
static MONTHS: LazyLock<Vec<(String, u32)>> = LazyLock::new(|| {
    months::MONTHS.iter().zip(1..).flat_map(|(month, n)| month.names().map(move |name| (fold(name), n))).collect()
});

/// Month names that are also common words: only a date with a day, a year or a paired name.
const WEAK_MONTHS: &[&str] = &["اب", "ماي", "مارس", "اوت"];

const ORDINALS: &[&str] = &[
    "الاول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
    "الحادي عشر",
    "الثاني عشر",
    "الثالث عشر",
    "الرابع عشر",
    "الخامس عشر",
    "السادس عشر",
    "السابع عشر",
    "الثامن عشر",
    "التاسع عشر",
    "العشرين",
    "الحادي والعشرين",
    "الثاني والعشرين",
    "الثالث والعشرين",
    "الرابع والعشرين",
    "الخامس والعشرين",
    "السادس والعشرين",
    "السابع والعشرين",
    "الثامن والعشرين",
    "التاسع والعشرين",
    "الثلاثين",
    "الحادي والثلاثين",
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("الاحد", Weekday::Sun),
    ("الاثنين", Weekday::Mon),
    ("الثلاثاء", Weekday::Tue),
    ("الاربعاء", Weekday::Wed),
    ("الخميس", Weekday::Thu),
    ("الجمعه", Weekday::Fri),
    ("السبت", Weekday::Sat),
];

fn alternation<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    // Longest first, so "تشرين الثاني" is tried before a shorter name could stop short.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.iter().map(|n| regex::escape(n).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

// The patterns spell out word boundaries as a character class instead of `\b`: a Unicode
// `\b` keeps the regex engine off its fast automata on Arabic text (a 20 MB article spent
// most of its build there). A boundary before is part of the match; one after is checked
// in code (`ends_word`), so it is never taken from the next date.

/// Not a letter or digit, or the start of the text; then an optional proclitic.
const BEFORE: &str = r"(?:^|[^\p{L}\p{N}])[وفبل]?";

static MONTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = alternation(MONTHS.iter().map(|m| m.0.as_str()));
    let ordinal = alternation(ORDINALS.iter().copied());
    Regex::new(&format!(
        r"(?x)
        {BEFORE}
        (?: (?P<day>[0-9]{{1,2}}) \s* (?:من\s+)? | (?P<ord>{ordinal}) \s+ من \s+ | (?P<shahr>شهر) \s+ )?
        (?P<m1>{month})
        (?: \s* / \s* (?P<m2>{month}) | \s* \( \s* (?P<m3>{month}) \s* \) )?
        (?: \s* (?:من \s+)? (?:عام \s+ | سنه \s+ | العام \s+)? (?P<year>[0-9]{{4}}) )?
        (?: \s+ (?P<rel>الماضي|المقبل|القادم|الجاري|الحالي) )?"
    ))
    .expect("month date pattern")
});

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{BEFORE}(?P<date>(?P<y>[0-9]{{4}})[/.-](?P<m>[0-9]{{1,2}})[/.-](?P<d>[0-9]{{1,2}})|(?P<d2>[0-9]{{1,2}})[/.-](?P<m2>[0-9]{{1,2}})[/.-](?P<y2>[0-9]{{4}}))"
    ))
    .expect("numeric date pattern")
});

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{BEFORE}(?P<kw>عام|العام|لعام|سنه|خلال\s+عام)\s+(?P<year>(?:19|20)[0-9]{{2}})"))
        .expect("year pattern")
});

static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    let weekday = alternation(WEEKDAYS.iter().map(|w| w.0));
    Regex::new(&format!(
        r"(?x)
        {BEFORE}
        (?: (?P<part>ليله|فجر|صباح|ظهر|عصر|مساء|يوم) \s+ )?
        (?: (?P<rel>اول\s+من\s+امس|اول\s+امس|امس|اليوم) \s+ )?
        (?P<wd>{weekday})
        (?: \s+ (?P<after>الماضي|المقبل|القادم) )?"
    ))
    .expect("relative day pattern")
});

/// Whether a match ending at `end` ends a word.
fn ends_word(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// Day ranges: "بين 17 و30 أكتوبر" — the first day, just before a date that has a day.
static RANGE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<d>[0-9]{1,2})\s*(?:و|-|–|الى|حتى)\s*$").expect("range pattern"));

/// Without a digit, only a month or weekday name can start a date. Most paragraphs hold
/// none, and are then not searched at all. The two-letter and three-letter month names
/// (اب، ماي) hide inside many words: they count here only after a space or a slash.
static TRIGGERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let months = MONTHS.iter().map(|m| m.0.split(' ').next().unwrap_or(&m.0)).flat_map(|m| {
        if m.chars().count() <= 3 {
            vec![format!(" {m}"), format!("/{m}")]
        } else {
            vec![m.to_string()]
        }
    });
    AhoCorasick::new(months.chain(WEEKDAYS.iter().map(|w| w.0.to_string()))).expect("date trigger words")
});

fn may_hold_date(text: &str) -> bool {
    let short_month_first = WEAK_MONTHS.iter().any(|m| text.starts_with(m));
    text.bytes().any(|b| b.is_ascii_digit()) || short_month_first || TRIGGERS.is_match(text)
}

/// Finds every date in `text` (folded).
pub fn find(text: &str, anchor: Option<Anchor>) -> Vec<FoundDate> {
    let mut out = Vec::new();
    if !may_hold_date(text) {
        return out;
    }
    let whole_words = |caps: &Captures| caps.get(0).is_some_and(|m| ends_word(text, m.end()));
    for caps in MONTH_DATE.captures_iter(text).filter(whole_words) {
        month_date(text, &caps, anchor, &mut out);
    }
    for caps in NUMERIC_DATE.captures_iter(text).filter(whole_words) {
        let num = |a: &str, b: &str| caps.name(a).or_else(|| caps.name(b)).and_then(|m| m.as_str().parse::<u32>().ok());
        let (Some(year), Some(month), Some(day)) = (num("y", "y2"), num("m", "m2"), num("d", "d2")) else { continue };
        let Ok(year) = i32::try_from(year) else { continue };
        push(&mut out, caps.name("date").map(|m| m.range()), IsoDate::new(year, Some(month), Some(day)));
    }
    for caps in YEAR.captures_iter(text).filter(whole_words) {
        if let Some(year) = caps.name("year").and_then(|y| y.as_str().parse().ok()) {
            let span = caps.name("kw").zip(caps.name("year")).map(|(k, y)| k.start()..y.end());
            push(&mut out, span, IsoDate::new(year, None, None));
        }
    }
    if let Some(anchor) = anchor {
        for caps in RELATIVE_DAY.captures_iter(text).filter(whole_words) {
            if let Some(day) = relative_day(&caps, anchor) {
                // The span starts at the first word, after any conjunction glued to it.
                let start = ["part", "rel", "wd"].iter().find_map(|g| caps.name(g)).map(|m| m.start());
                let span = start.zip(caps.get(0)).map(|(s, m)| s..m.end());
                push(&mut out, span, Some(IsoDate::from(day)));
            }
        }
    }
    out.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.span.end)));
    out
}

/// Keeps a date found at `span`, if the calendar has it and it is a year news may name.
fn push(out: &mut Vec<FoundDate>, span: Option<Range<usize>>, date: Option<IsoDate>) {
    if let (Some(span), Some(date)) = (span, date) {
        if (1800..=2200).contains(&date.year()) {
            out.push(FoundDate { span, date });
        }
    }
}

fn month_number(name: &str) -> Option<u32> {
    let name = single_spaced(name);
    MONTHS.iter().find(|m| m.0 == name).map(|m| m.1)
}

fn month_date(text: &str, caps: &Captures, anchor: Option<Anchor>, out: &mut Vec<FoundDate>) {
    let Some(m1) = caps.name("m1") else { return };
    let Some(month) = month_number(m1.as_str()) else { return };
    let paired = caps.name("m2").or(caps.name("m3"));
    let day_digits = caps.name("day");
    let day = day_digits.and_then(|d| d.as_str().parse().ok()).or_else(|| {
        caps.name("ord")
            .and_then(|o| ORDINALS.iter().position(|n| single_spaced(o.as_str()) == *n))
            .map(|i| i as u32 + 1)
    });
    let year: Option<i32> = caps.name("year").and_then(|y| y.as_str().parse().ok());
    let rel = caps.name("rel").map(|r| r.as_str());
    // A bare month name is too often a word: "مارس الضغط" (he exerted pressure).
    let anchored = day.is_some() || year.is_some() || paired.is_some() || rel.is_some() || caps.name("shahr").is_some();
    let weak = WEAK_MONTHS.contains(&m1.as_str());
    if !anchored || (weak && day.is_none() && year.is_none() && paired.is_none()) {
        return;
    }
    // Paired names must agree: "فبراير/شباط" yes, "فبراير/آذار" is not one date.
    if paired.is_some_and(|p| month_number(p.as_str()) != Some(month)) {
        return;
    }
    // Without الماضي or المقبل, the sentence's tense says which way a year is missing.
    let rel = rel.or_else(|| tense(text, m1.start()));
    let Some(year) = year.or_else(|| anchor.and_then(|a| infer_year(a.date, month, day, rel))) else { return };
    let start = [day_digits, caps.name("ord"), caps.name("shahr"), Some(m1)]
        .into_iter()
        .flatten()
        .map(|m| m.start())
        .min()
        .unwrap_or(m1.start());
    let end = caps.get(0).map_or(m1.end(), |m| m.end());
    // "بين 17 و30 أكتوبر": the first day of the range is a date of its own.
    if day.is_some() {
        let window_start = text.floor_char_boundary(start.saturating_sub(24));
        if let Some(range) = RANGE_START.captures(&text[window_start..start]) {
            if let (Some(d), Some(first)) = (range.name("d"), range.name("d").and_then(|d| d.as_str().parse().ok())) {
                let at = window_start + d.start();
                if !text[..at].ends_with(|c: char| c.is_ascii_digit()) {
                    push(out, Some(at..window_start + d.end()), IsoDate::new(year, Some(month), Some(first)));
                }
            }
        }
    }
    push(out, Some(start..end), IsoDate::new(year, Some(month), day));
}

/// Words that put a sentence in the past or the future, folded, with the way a missing
/// year goes that each says. News reports what happened: the past tense is what verbs of
/// events say, the future what particles and verbs of intent say.
const PAST: &str = "قال قالت قتل قتلت قتلوا وقع وقعت شن شنت نفذ نفذت جري جرت حدث حدثت كان كانت كانوا تم شهد شهدت \
    اندلع اندلعت اسفر اسفرت قصف قصفت استهدف استهدفت زار زارت التقي توفي توفيت اغتيل فاز فازت خسر خسرت سجل سجلت \
    بلغ بلغت ارتفع ارتفعت انخفض انخفضت تراجع تراجعت اعتقل اعتقلت افرج وصل وصلت غادر غادرت عقد عقدت اعلن اعلنت \
    اكد اكدت اصدر اصدرت وافق وافقت رفض رفضت هاجم هاجمت سقط سقطت انتهي انتهت بدا بدات منذ سبق";
const FUTURE: &str = "سوف سيتم ستتم يعتزم تعتزم يعتزمون المقرر المنتظر المزمع مرتقب المرتقب سيعقد ستعقد ستجري سيجري \
    سيزور ستزور سيبدا ستبدا سينطلق ستنطلق";

/// Bytes either side of a date in which its sentence's tense is looked for.
const TENSE_REACH: usize = 400;

/// The tense of the sentence around byte `at` of `text` (folded): "past" or "future", or
/// nothing when it says neither or both.
fn tense(text: &str, at: usize) -> Option<&'static str> {
    static WORDS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let past = PAST.split_whitespace().map(|w| (fold(w), "past"));
        past.chain(FUTURE.split_whitespace().map(|w| (fold(w), "future"))).collect()
    });
    let ends = |c: char| matches!(c, '.' | '!' | '?' | '؟' | '؛' | '\n');
    // Within its sentence, and near it: a text without full stops must not make every
    // date read all of it.
    let (floor, ceiling) = (
        text.floor_char_boundary(at.saturating_sub(TENSE_REACH)),
        text.floor_char_boundary((at + TENSE_REACH).min(text.len())),
    );
    // A sentence's end may be two bytes (؛ ؟): the sentence starts after all of it.
    let start =
        text[floor..at].char_indices().rfind(|&(_, c)| ends(c)).map_or(floor, |(i, c)| floor + i + c.len_utf8());
    let end = text[at..ceiling].find(ends).map_or(ceiling, |i| at + i);
    let mut said: Option<&'static str> = None;
    for word in text[start..end].split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
        let cue = crate::arabic::clitics::splits(word).find_map(|s| WORDS.get(&word[s.len..]).copied());
        match (said, cue) {
            (_, None) => {}
            (None, Some(c)) => said = Some(c),
            (Some(s), Some(c)) if s != c => return None,
            _ => {}
        }
    }
    said
}

/// The year of a date written without one: the same year as the article, unless the text
/// says past (الماضي) or coming (المقبل), or the date is closer to the article a year off.
fn infer_year(article: NaiveDate, month: u32, day: Option<u32>, rel: Option<&str>) -> Option<i32> {
    let y = article.year();
    let at = |year: i32| NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1));
    let same_month = |year: i32| year == y && month == article.month();
    match rel {
        Some("الجاري" | "الحالي") => Some(y),
        Some("الماضي") => [y, y - 1]
            .into_iter()
            .find(|&year| at(year).is_some_and(|d| d <= article) && (day.is_some() || !same_month(year))),
        Some("المقبل" | "القادم") => [y, y + 1]
            .into_iter()
            .find(|&year| at(year).is_some_and(|d| d >= article) && (day.is_some() || !same_month(year))),
        // Told by the tense alone, this month may be meant: "اندلعت في مارس" in March.
        Some("past") => [y, y - 1].into_iter().find(|&year| at(year).is_some_and(|d| d <= article)),
        Some("future") => {
            [y, y + 1].into_iter().find(|&year| at(year).is_some_and(|d| d >= article) || same_month(year))
        }
        _ => [y, y - 1, y + 1]
            .into_iter()
            .filter(|&year| at(year).is_some())
            .min_by_key(|&year| at(year).map_or(i64::MAX, |d| (d - article).num_days().abs())),
    }
}

/// "أمس الثلاثاء", "اليوم السبت", "الخميس الماضي", "مساء الإثنين".
fn relative_day(caps: &Captures, anchor: Anchor) -> Option<NaiveDate> {
    let wd = caps.name("wd")?.as_str();
    let weekday = WEEKDAYS.iter().find(|w| w.0 == wd)?.1;
    let date = anchor.date;
    let rel = caps.name("rel").map(|r| single_spaced(r.as_str()));
    let after = caps.name("after").map(|a| a.as_str());
    let stated = match (rel.as_deref(), after) {
        (Some("اليوم"), _) => Some(date),
        (Some("امس"), _) => date.checked_sub_days(Days::new(1)),
        (Some("اول امس" | "اول من امس"), _) => date.checked_sub_days(Days::new(2)),
        (None, Some("الماضي")) => Some(last_weekday(date.checked_sub_days(Days::new(1))?, weekday)),
        (None, Some("المقبل" | "القادم")) => {
            Some(next_weekday(date.checked_add_days(Days::new(1))?, weekday))
        }
        // A weekday after a time of day ("مساء الإثنين") is the latest one up to the article.
        (None, None) if caps.name("part").is_some() => Some(last_weekday(date, weekday)),
        _ => None,
    }?;
    if stated.weekday() == weekday {
        return Some(stated);
    }
    // The text and the date disagree: trust the weekday only when the date is exact.
    (!anchor.approximate).then(|| last_weekday(stated, weekday))
}

/// The latest `weekday` on or before `from`.
fn last_weekday(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (from.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
    from - Days::new(back.into())
}

/// The earliest `weekday` on or after `from`.
fn next_weekday(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (weekday.num_days_from_monday() + 7 - from.weekday().num_days_from_monday()) % 7;
    from + Days::new(ahead.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold;

    fn anchor(y: i32, m: u32, d: u32) -> Option<Anchor> {
        Some(Anchor { date: NaiveDate::from_ymd_opt(y, m, d).unwrap(), approximate: false })
    }

    /// (text found, ISO value) for each date in `text`.
    fn dates(text: &str, anchor: Option<Anchor>) -> Vec<(String, String)> {
        let folded = fold(text);
        find(&folded, anchor).into_iter().map(|d| (folded[d.span].to_string(), d.date.to_string())).collect()
    }

    fn values(text: &str, anchor: Option<Anchor>) -> Vec<String> {
        dates(text, anchor).into_iter().map(|d| d.1).collect()
    }

    #[test]
    fn day_paired_months_and_year() {
        assert_eq!(
            dates("صباح الجمعة 26 فبراير/شباط 2021، فيما", None),
            [("26 فبراير/شباط 2021".into(), "2021-02-26".into())]
        );
        assert_eq!(values("في 15 فبراير/شباط على قاعدة", anchor(2021, 2, 26)), ["2021-02-15"]);
    }

    #[test]
    fn paired_names_with_odd_spacing() {
        assert_eq!(values("ومنذ تاريخ 19 أكتوبر/ تشرين الأول الجاري نفذت", anchor(2023, 11, 1)), ["2023-10-19"]);
        assert_eq!(values("في 3 كانون الثاني /يناير 2020", None), ["2020-01-03"]);
        assert_eq!(values("في 3 يناير (كانون الثاني) 2020", None), ["2020-01-03"]);
        assert!(values("في 3 يناير/ آذار 2020", None).is_empty());
    }

    #[test]
    fn day_ranges_give_both_days() {
        let found = dates("بين 17 و30 أكتوبر/ تشرين الأول الجاري، تعرضت", anchor(2023, 11, 1));
        assert_eq!(
            found,
            [("17".into(), "2023-10-17".into()), ("30 اكتوبر/ تشرين الاول الجاري".into(), "2023-10-30".into())]
        );
    }

    #[test]
    fn ordinal_days() {
        assert_eq!(values("الجنرال مارك ميلي، في الرابع من مارس.", anchor(2023, 3, 25)), ["2023-03-04"]);
        assert_eq!(values("في الحادي والعشرين من يونيو 2019", None), ["2019-06-21"]);
    }

    #[test]
    fn month_precision() {
        assert_eq!(values("أكثر من عشرين دولة منذ آب 2014، لمحاربة", None), ["2014-08"]);
        assert_eq!(values("ففي فبراير/شباط الماضي، قتل", anchor(2021, 6, 29)), ["2021-02"]);
        assert_eq!(values("منذ أبريل/نيسان الماضي.", anchor(2021, 6, 29)), ["2021-04"]);
        assert_eq!(values("في يوليو الماضي", anchor(2021, 6, 29)), ["2020-07"]);
    }

    #[test]
    fn dates_without_digits_pass_the_prefilter() {
        assert_eq!(values("في الرابع من آب", anchor(2021, 9, 1)), ["2021-08-04"]);
        assert_eq!(values("آب/أغسطس الماضي", anchor(2021, 9, 1)), ["2021-08"]);
        assert!(!may_hold_date("الانتخابات في البلاد"));
        assert_eq!(values("آب/أغسطس شهد", anchor(2021, 9, 1)), ["2021-08"]);
    }

    #[test]
    fn weak_month_names_need_a_day_or_year() {
        assert!(values("مارس الضغط على الأب", anchor(2021, 6, 29)).is_empty());
        assert!(values("قال الأب إن", anchor(2021, 6, 29)).is_empty());
        assert_eq!(values("في 5 آب", anchor(2021, 9, 1)), ["2021-08-05"]);
    }

    #[test]
    fn a_missing_year_follows_the_tense_of_the_sentence() {
        // Eight months back or four ahead: nearest is ahead, but the sentence is past.
        assert_eq!(values("وقتل 5 أشخاص في 3 يوليو في قصف", anchor(2021, 3, 1)), ["2020-07-03"]);
        assert_eq!(values("اندلعت الاشتباكات في أغسطس/آب", anchor(2021, 3, 1)), ["2020-08"]);
        // A future sentence goes ahead, even when the past is nearer.
        assert_eq!(values("ومن المقرر أن تعقد القمة في 20 ديسمبر", anchor(2021, 3, 1)), ["2021-12-20"]);
        // This month, in the past tense, is this month.
        assert_eq!(values("اندلعت الاشتباكات في مارس/آذار", anchor(2021, 3, 20)), ["2021-03"]);
        // Neither, or both: the nearest.
        assert_eq!(values("موعد 3 يوليو", anchor(2021, 3, 1)), ["2021-07-03"]);
        assert_eq!(values("قال إنه سوف يزور البلاد في 3 يوليو", anchor(2021, 3, 1)), ["2021-07-03"]);
        // A tense in another sentence says nothing of this one.
        assert_eq!(values("قتل 5 أشخاص. موعد 3 يوليو", anchor(2021, 3, 1)), ["2021-07-03"]);
        assert_eq!(values("قتل 5 أشخاص؛ موعد 3 يوليو", anchor(2021, 3, 1)), ["2021-07-03"], "؛ is two bytes");
        assert_eq!(values("هل قتل؟ في 3 يوليو قتل", anchor(2021, 3, 1)), ["2020-07-03"]);
    }

    #[test]
    fn missing_year_is_the_nearest_to_the_article() {
        assert_eq!(values("في 28 ديسمبر", anchor(2022, 1, 8)), ["2021-12-28"]);
        assert_eq!(values("في 3 مارس", anchor(2022, 1, 8)), ["2022-03-03"]);
        assert!(values("في 3 مارس", None).is_empty());
    }

    #[test]
    fn relative_days() {
        // Saturday 2023-03-25.
        assert_eq!(
            dates("شهدت المنطقة اليوم السبت تبادلا", anchor(2023, 3, 25)),
            [("اليوم السبت".into(), "2023-03-25".into())]
        );
        // Wednesday 2023-11-01.
        assert_eq!(values("نفذت قوات التحالف الدولي، أمس الثلاثاء، تدريبات", anchor(2023, 11, 1)), ["2023-10-31"]);
        assert_eq!(values("ومساء الإثنين، قصفت", anchor(2023, 11, 1)), ["2023-10-30"]);
        assert_eq!(values("الخميس الماضي", anchor(2023, 11, 1)), ["2023-10-26"]);
        assert_eq!(values("ليلة أمس الجمعة", anchor(2022, 1, 8)), ["2022-01-07"]);
        assert_eq!(values("وأول أمس الخميس، قالت", anchor(2022, 1, 8)), ["2022-01-06"]);
        assert!(values("أمس الثلاثاء", None).is_empty());
    }

    #[test]
    fn approximate_dates_resolve_weekdays_only_when_they_agree() {
        let approx = Some(Anchor { date: NaiveDate::from_ymd_opt(2022, 1, 8).unwrap(), approximate: true });
        assert_eq!(values("ليلة أمس الجمعة", approx), ["2022-01-07"]);
        assert!(values("أمس الثلاثاء", approx).is_empty());
    }

    #[test]
    fn years_and_numeric_dates() {
        assert_eq!(values("الاتفاق النووي المبرم مع إيران عام 2015 الذي", None), ["2015"]);
        assert_eq!(values("تم النشر: 2021/02/26 الساعة", None), ["2021-02-26"]);
        assert_eq!(values("في 26-02-2021", None), ["2021-02-26"]);
        assert!(values("عام 1234567", None).is_empty());
        assert!(values("2021/02/30", None).is_empty());
    }

    #[test]
    fn digits_inside_longer_numbers_are_not_days() {
        assert_eq!(values("في 2021 فبراير", None), Vec::<String>::new());
    }
}
