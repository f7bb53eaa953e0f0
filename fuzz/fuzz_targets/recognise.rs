//! Recognition on arbitrary text: the seed gazetteer, the tagger, dates and quantities, with an
//! article date taken from the first bytes.
#![no_main]

use std::ops::Range;
use std::sync::LazyLock;

use archive::arabic::fold::{words, Folded};
use archive::fuzz::{dates, quantities, tagger::Tagger, Anchor, Gazetteer, Mention, Recogniser};
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::parse(std::path::Path::new("entities.toml"), include_str!("../../entities.toml"))
        .expect("the seed gazetteer parses")
});
static RECOGNISER: LazyLock<Recogniser> =
    LazyLock::new(|| Recogniser::new(&GAZETTEER, Some(Tagger::shared_built_in())));

/// No date, or a day that `content::metadata::parse_date` can give (chrono's `%Y` takes a
/// sign and five digits: years -99999 to 99999), exact or approximate.
fn anchor(data: &[u8]) -> Option<Anchor> {
    let [flags, a, b, c, d, ..] = *data else { return None };
    if flags & 1 == 0 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(-99999, 1, 1)?;
    let span = (NaiveDate::from_ymd_opt(99999, 12, 31)? - first).num_days() as u32 + 1;
    let days = u32::from_le_bytes([a, b, c, d]) % span;
    Some(Anchor { date: first.checked_add_days(Days::new(days.into()))?, approximate: flags & 2 != 0 })
}

fn check_spans(text: &str, mentions: &[Mention], runs: &[Range<usize>]) {
    let mut end = 0;
    for m in mentions {
        let s = &m.span;
        assert!(s.start < s.end, "empty mention {m:?}");
        assert!(s.end <= text.len(), "mention out of bounds {m:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "mention off char boundaries {m:?}");
        assert!(s.start >= end, "mentions overlap or are unsorted at {m:?}");
        assert!(runs.iter().any(|r| r.start <= s.start && s.end <= r.end), "mention outside every run {m:?}");
        end = s.end;
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let anchor = anchor(data);

    let whole = [0..text.len()];
    let mentions = RECOGNISER.recognise(text, &whole, anchor);
    check_spans(text, &mentions, &whole);

    // The same text as several runs (its lines), as an article's paragraphs are.
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push(at..at + line.trim_end_matches('\n').len());
        at += line.len();
    }
    let mentions = RECOGNISER.recognise(text, &lines, anchor);
    check_spans(text, &mentions, &lines);

    // Dates and quantities directly on the folded text.
    let folded = Folded::new(text, 0);
    let f = folded.text.as_str();
    let ws = words(f);
    for d in dates::find(f, anchor) {
        assert!(d.span.start < d.span.end && d.span.end <= f.len(), "bad date span {d:?}");
        assert!(f.is_char_boundary(d.span.start) && f.is_char_boundary(d.span.end), "date off boundaries {d:?}");
        assert!((1800..=2200).contains(&d.date.year()), "date out of range {d:?}");
    }
    for q in quantities::find(f, &ws) {
        assert!(q.span.start < q.span.end && q.span.end <= f.len(), "bad quantity span {q:?}");
        assert!(f.is_char_boundary(q.span.start) && f.is_char_boundary(q.span.end), "quantity off boundaries {q:?}");
        assert!(q.counted < quantities::COUNTED.len());
    }
});
