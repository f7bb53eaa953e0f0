//! Dates of every form resolve to their ISO value, both ends of a range included.

use crate::{assert_mentions, body_mentions, json_mention, source, Mention};

#[test]
fn dates_resolve_to_their_iso_value() {
    assert_mentions(&[
        // day + paired month names + year
        ("004", "26 فبراير/شباط 2021", "date", "2021-02-26", 1),
        // day + paired month names with odd spacing, no year: the article's year
        ("003", "19 أكتوبر/ تشرين الأول الجاري", "date", "2023-10-19", 1),
        // a range: both ends
        ("003", "17", "date", "2023-10-17", 1),
        ("003", "30 أكتوبر/ تشرين الأول الجاري", "date", "2023-10-30", 1),
        // month + year
        ("001", "آب 2014", "date", "2014-08", 1),
        // ordinal day
        ("000", "الرابع من مارس", "date", "2023-03-04", 1),
        // month of the past, no year
        ("002", "فبراير/شباط الماضي", "date", "2021-02", 1),
        // relative days, from the article's date
        ("003", "أمس الثلاثاء", "date", "2023-10-31", 3),
        ("000", "اليوم السبت", "date", "2023-03-25", 2),
        ("001", "ليلة أمس الجمعة", "date", "2022-01-07", 1),
    ]);
}

#[test]
fn both_ends_of_a_date_range_are_dates() {
    // «بين 17 و30 أكتوبر/ تشرين الأول الجاري» in 003: "17" borrows the month of "30 …".
    let dates: Vec<Mention> = body_mentions("003").into_iter().filter(|m| m.kind == "date").collect();
    let at = dates.iter().position(|m| m.text == "17").expect("the date «17» in 003");
    let (from, to) = (&dates[at], dates.get(at + 1).expect("a date after «17»"));
    assert_eq!((from.entity.as_str(), to.entity.as_str()), ("2023-10-17", "2023-10-30"));
    let offset = |m: &Mention, key: &str| json_mention("003", &m.id)[key].as_u64().unwrap() as usize;
    let between = &source("003")[offset(from, "end")..offset(to, "start")];
    assert_eq!(std::str::from_utf8(between), Ok(" و"), "the two ends are «17» and «30 …» of one range");
}
