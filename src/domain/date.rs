//! The ids of date entities: ISO dates of year, month or day precision.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// An ISO date of year, month or day precision: "2018", "2018-03", "2018-03-12", the id of
/// a date entity. Only dates a calendar has can be made, and they order as their ids do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// How much of a date an [`IsoDate`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl IsoDate {
    /// The date of `year`, with `month` and `day` for a month or a day; none when the
    /// calendar has no such month or day, or a day is given without its month.
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Option<IsoDate> {
        let valid = match (month, day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year, m, d).is_some(),
            (Some(m), None) => (1..=12).contains(&m),
            (None, None) => true,
            (None, Some(_)) => false,
        };
        valid.then_some(IsoDate { year, month, day })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: an id exactly as [`fmt::Display`] writes
    /// it, so that a date has one id.
    pub fn parse(id: &str) -> Option<IsoDate> {
        fn digits<T: FromStr>(part: &str, len: usize) -> Option<T> {
            (part.len() == len && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
        }
        let mut parts = id.split('-');
        let year = digits(parts.next()?, 4)?;
        // A part left out is none; a part there must be two digits.
        let mut next = || match parts.next() {
            None => Some(None),
            Some(part) => digits(part, 2).map(Some),
        };
        let (month, day) = (next()?, next()?);
        if parts.next().is_some() {
            return None;
        }
        IsoDate::new(year, month, day)
    }

    /// Whether it names a year, a month or a day.
    pub fn precision(self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1 to 12; none for a year.
    pub fn month_number(self) -> Option<u32> {
        self.month
    }

    /// The day of the month; none for a year or a month.
    pub fn day(self) -> Option<u32> {
        self.day
    }

    /// The month the date falls in: a day's month, or the month itself; none for a year.
    pub fn month(self) -> Option<IsoDate> {
        self.month.map(|_| IsoDate { day: None, ..self })
    }

    /// The date one precision coarser: a day's month, a month's year; none for a year.
    pub fn parent(self) -> Option<IsoDate> {
        match self.precision() {
            Precision::Day => self.month(),
            Precision::Month => Some(IsoDate { month: None, ..self }),
            Precision::Year => None,
        }
    }
}

impl From<NaiveDate> for IsoDate {
    fn from(d: NaiveDate) -> IsoDate {
        IsoDate { year: d.year(), month: Some(d.month()), day: Some(d.day()) }
    }
}

/// The id again: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(id: &str) -> IsoDate {
        IsoDate::parse(id).unwrap()
    }

    #[test]
    fn ids_parse_and_print_back() {
        for id in ["2021", "2021-02", "2021-02-26", "2024-02-29", "0999"] {
            assert_eq!(date(id).to_string(), id);
        }
        for bad in [
            "2021-02-30",
            "2023-02-29",
            "2021-13",
            "2021-00",
            "21-02",
            "20210",
            "2021-",
            "2021-02-",
            "2021-2x",
            "2021-2",
            "2021-02-6",
            "+999",
            "2021-+2",
        ] {
            assert_eq!(IsoDate::parse(bad), None, "{bad}");
        }
        assert_eq!(IsoDate::parse("2021-02-26-01"), None);
        assert_eq!(IsoDate::parse("2021-02-26T13:55:00Z"), None);
        assert_eq!(IsoDate::parse("أمس"), None);
        assert_eq!(IsoDate::from(NaiveDate::from_ymd_opt(2021, 2, 6).unwrap()), date("2021-02-06"));
    }

    #[test]
    fn only_calendar_dates_are_made() {
        assert_eq!(IsoDate::new(2021, Some(2), Some(26)), Some(date("2021-02-26")));
        assert_eq!(IsoDate::new(2021, Some(2), Some(29)), None);
        assert_eq!(IsoDate::new(2021, None, Some(3)), None, "a day needs its month");
        assert_eq!(IsoDate::new(2021, Some(13), None), None);
    }

    #[test]
    fn parts_and_precision() {
        let day = date("2018-03-12");
        assert_eq!(
            (day.precision(), day.year(), day.month_number(), day.day()),
            (Precision::Day, 2018, Some(3), Some(12))
        );
        let month = date("2018-03");
        assert_eq!((month.precision(), month.month_number(), month.day()), (Precision::Month, Some(3), None));
        let year = date("2018");
        assert_eq!((year.precision(), year.month_number(), year.day()), (Precision::Year, None, None));
    }

    #[test]
    fn months_and_parents() {
        assert_eq!(date("2018-03-12").month(), Some(date("2018-03")));
        assert_eq!(date("2018-03").month(), Some(date("2018-03")));
        assert_eq!(date("2018").month(), None);
        assert_eq!(date("2018-03-12").parent(), Some(date("2018-03")));
        assert_eq!(date("2018-03").parent(), Some(date("2018")));
        assert_eq!(date("2018").parent(), None);
    }

    #[test]
    fn dates_order_as_their_ids() {
        let mut ids = ["2018-03-12", "2018", "2017-12-31", "2018-03", "2018-11", "2018-03-02"];
        let mut dates = ids.map(date);
        ids.sort();
        dates.sort();
        assert_eq!(dates.map(|d| d.to_string()), ids.map(String::from));
    }
}
