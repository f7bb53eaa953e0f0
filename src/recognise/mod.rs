//! Recognition: the mentions of people, places, organisations, dates and quantities in an
//! article's text, as byte spans of the original.

pub mod dates;
pub mod gazetteer;
pub mod matcher;
pub mod quantities;

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::arabic::fold::{words, Folded};
pub use dates::{Anchor, IsoDate};
pub use gazetteer::{Entity, Gazetteer};
use matcher::Matcher;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Place,
    Organization,
    Date,
    Quantity,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Person, Kind::Place, Kind::Organization, Kind::Date, Kind::Quantity];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Organization => "organization",
            Kind::Date => "date",
            Kind::Quantity => "quantity",
        }
    }

    /// The type's name on pages, singular.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "شخص",
            Kind::Place => "مكان",
            Kind::Organization => "منظمة",
            Kind::Date => "تاريخ",
            Kind::Quantity => "كمية",
        }
    }

    /// The heading of the type's index page.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Person => "الأشخاص",
            Kind::Place => "الأماكن",
            Kind::Organization => "المنظمات",
            Kind::Date => "التواريخ",
            Kind::Quantity => "الكميات",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One mention of an entity: where it is in the original file and what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub span: Range<usize>,
    pub kind: Kind,
    /// Gazetteer id, ISO date, or counted-noun id.
    pub entity: String,
    /// For quantities: the number and a qualifier such as "أكثر من".
    pub amount: Option<(u64, Option<&'static str>)>,
}

impl Mention {
    /// The anchor id of the mention on its article page; offsets keep it stable when the
    /// gazetteer changes.
    pub fn anchor(&self) -> String {
        format!("m-{}", self.span.start)
    }
}

/// Everything recognition needs, built once per build and kept by `archive serve`.
pub struct Recogniser {
    /// Type and id of each gazetteer entry, in gazetteer order, as the matcher numbers them.
    entities: Vec<(Kind, String)>,
    matcher: Matcher,
}

impl Recogniser {
    pub fn new(gazetteer: &Gazetteer) -> Recogniser {
        let entities = gazetteer.entities.iter().map(|e| (e.kind.into(), e.id().to_string())).collect();
        Recogniser { entities, matcher: Matcher::new(gazetteer) }
    }

    /// Mentions in the `runs` (byte ranges of `text` that are prose), in text order,
    /// never overlapping.
    pub fn recognise(&self, text: &str, runs: &[Range<usize>], anchor: Option<Anchor>) -> Vec<Mention> {
        let folded: Vec<(Folded, Vec<Range<usize>>)> = runs
            .iter()
            .map(|r| {
                let f = Folded::new(&text[r.clone()], r.start);
                let w = words(&f.text);
                (f, w)
            })
            .collect();
        let in_article: Vec<(&str, &[Range<usize>])> =
            folded.iter().map(|(f, w)| (f.text.as_str(), w.as_slice())).collect();
        let found = self.matcher.find_in_article(&in_article);

        let mut mentions = Vec::new();
        for ((f, w), run) in folded.iter().zip(found) {
            // Dates first: on overlap the earlier pushed wins among equal spans.
            for d in dates::find(&f.text, anchor) {
                mentions.push(Mention {
                    span: f.original(d.span),
                    kind: Kind::Date,
                    entity: d.date.to_string(),
                    amount: None,
                });
            }
            for g in run {
                let (kind, id) = &self.entities[g.entity];
                mentions.push(Mention { span: f.original(g.span), kind: *kind, entity: id.clone(), amount: None });
            }
            for q in quantities::find(&f.text, w) {
                let entity = quantities::COUNTED[q.counted].id.to_string();
                mentions.push(Mention {
                    span: f.original(q.span),
                    kind: Kind::Quantity,
                    entity,
                    amount: Some((q.amount, q.qualifier)),
                });
            }
        }
        without_overlaps(mentions)
    }
}

/// Leftmost-longest over all kinds: sorted by start, longer first, stable among equals.
fn without_overlaps(mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if out.last().is_none_or(|last| m.span.start >= last.span.end) && m.span.start < m.span.end {
            out.push(m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const GAZETTEER: &str = r#"
[[entity]]
id = "deir-ez-zor"
type = "place"
name = "دير الزور"

[[entity]]
id = "pat-ryder"
type = "person"
name = "بات رايدر"
aliases = ["رايدر", "بات ريدر", "ريدر"]
"#;

    #[test]
    fn spans_are_offsets_into_the_original_on_char_boundaries() {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let r = Recogniser::new(&g);
        let text = "العنوان\n\nقال بـات ريـدر، أمس الثلاثاء، إن 22 قتيلاً سقطوا بريف دير\u{a0}الزور.";
        let body = text.find("قال").unwrap()..text.len();
        let anchor = Some(Anchor { date: NaiveDate::from_ymd_opt(2023, 11, 1).unwrap(), approximate: false });
        let mentions = r.recognise(text, &[body], anchor);
        let shown: Vec<(&str, Kind, &str)> =
            mentions.iter().map(|m| (&text[m.span.clone()], m.kind, m.entity.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("بـات ريـدر", Kind::Person, "pat-ryder"),
                ("أمس الثلاثاء", Kind::Date, "2023-10-31"),
                ("22 قتيلاً", Kind::Quantity, "killed"),
                ("دير\u{a0}الزور", Kind::Place, "deir-ez-zor"),
            ]
        );
        for m in &mentions {
            assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        }
    }

    #[test]
    fn overlaps_keep_the_leftmost_longest() {
        let m =
            |s: usize, e: usize, id: &str| Mention { span: s..e, kind: Kind::Place, entity: id.into(), amount: None };
        let kept = without_overlaps(vec![m(5, 9, "b"), m(0, 4, "a"), m(3, 8, "c"), m(5, 12, "d")]);
        let ids: Vec<&str> = kept.iter().map(|m| m.entity.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
    }
}
