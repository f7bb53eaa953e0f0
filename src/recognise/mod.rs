//! Recognition: the mentions of people, places, organisations, dates and quantities in an
//! article's text, as byte spans of the original.

pub mod around;
pub mod dates;
pub mod gazetteer;
pub mod matcher;
pub mod names;
pub mod quantities;
pub mod tagger;

use std::ops::Range;
use std::sync::Arc;

use crate::arabic::fold::{words, Folded};
use crate::domain::EntityKey;
pub use crate::domain::{Kind, Mention};
pub use dates::Anchor;
pub use gazetteer::{Entity, Gazetteer};
use matcher::Matcher;
use names::Name;
use tagger::Tagger;

/// Everything recognition needs, built once per build and kept by `archive serve`.
pub struct Recogniser {
    /// Key of each gazetteer entry, in gazetteer order, as the matcher numbers them.
    entities: Vec<EntityKey>,
    matcher: Matcher,
    /// Whose nationality adjectives make a place a team's name (see [`around`]).
    nations: around::Nations,
    /// Finds the names the gazetteer lacks; `None` when discovery is off.
    tagger: Option<Arc<Tagger>>,
}

/// How sure the tagger must be of a name to act beyond its own words: to set aside a
/// gazetteer match inside it («حزب مصر القوية» is a party, not Egypt), or to lend its
/// surname to the same word alone elsewhere in the article.
const OVERRIDE: f32 = 0.8;

impl Recogniser {
    /// Recognition with the entities of `gazetteer`, and `tagger` for the names it lacks.
    pub fn new(gazetteer: &Gazetteer, tagger: Option<Arc<Tagger>>) -> Recogniser {
        let entities = gazetteer.entities.iter().map(Entity::key).collect();
        Recogniser { entities, matcher: Matcher::new(gazetteer), nations: around::Nations::of(gazetteer), tagger }
    }

    /// The tagger, when discovery is on.
    pub(crate) fn tagger(&self) -> Option<Arc<Tagger>> {
        self.tagger.clone()
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

        // Rules first: on overlap the earlier pushed wins among equal spans.
        let mut rules = Vec::new();
        let mut curated = Vec::new();
        // Bodies whose names hold a place («جامعة القاهرة»): the place is no mention.
        let mut bodies: Vec<Name> = Vec::new();
        for (r, ((f, w), run)) in folded.iter().zip(found).enumerate() {
            for d in dates::find(&f.text, anchor) {
                rules.push(Mention {
                    span: f.original(d.span),
                    kind: Kind::Date,
                    entity: d.date.to_string(),
                    amount: None,
                    discovered: None,
                });
            }
            for g in run {
                let key = &self.entities[g.entity];
                if key.kind == Kind::Place {
                    match around::read_place(&f.text, w, &g.span, &self.nations) {
                        around::Reading::Place => {}
                        around::Reading::NotAPlace => continue,
                        around::Reading::Body(span) => {
                            bodies.push(Name::found(r, span, Kind::Organization, &f.text, 1.0));
                            continue;
                        }
                    }
                }
                curated.push(Mention {
                    span: f.original(g.span),
                    kind: key.kind,
                    entity: key.id.clone(),
                    amount: None,
                    discovered: None,
                });
            }
            for q in quantities::find(&f.text, w) {
                let entity = quantities::COUNTED[q.counted].id.to_string();
                rules.push(Mention {
                    span: f.original(q.span),
                    kind: Kind::Quantity,
                    entity,
                    amount: Some((q.amount, q.qualifier)),
                    discovered: None,
                });
            }
        }
        let runs: Vec<&Folded> = folded.iter().map(|(f, _)| f).collect();
        let discovered = match &self.tagger {
            Some(tagger) => {
                let mut names = names::tag(tagger, &runs);
                names::extend_bodies(&mut bodies, &mut names, &runs);
                names.retain(|n| n.confidence >= names::THRESHOLD);
                names.extend(bodies);
                names::within_article(&mut names, &runs, tagger);
                // No place or body is written with tanween; and the tagger's places obey what
                // the words around them say, as the gazetteer's do.
                names.retain_mut(|n| {
                    let (f, w) = &folded[n.run];
                    if n.kind != Kind::Person && names::indefinite(&text[f.original(n.span.clone())]) {
                        return false;
                    }
                    if n.kind != Kind::Place {
                        return true;
                    }
                    match around::read_place(&f.text, w, &n.span, &self.nations) {
                        around::Reading::Place => true,
                        around::Reading::NotAPlace => false,
                        around::Reading::Body(span) => {
                            *n = Name::found(n.run, span, Kind::Organization, &f.text, n.confidence);
                            true
                        }
                    }
                });
                let (kept, curated_kept) = merge(names, curated, &mut rules, &runs);
                curated = curated_kept;
                names::mentions(&kept, &runs)
            }
            None => Vec::new(),
        };
        let mut mentions = rules;
        mentions.extend(curated);
        mentions.extend(discovered);
        without_overlaps(mentions)
    }
}

/// Where the tagger's names meet the gazetteer's matches and the rules' dates and
/// quantities. The gazetteer decides: a name overlapping a match is dropped, unless the
/// tagger is sure of a longer name of another type around it (a place inside the name of a
/// body), which then sets the match aside. Dates and quantities keep their words.
fn merge(
    names: Vec<Name>,
    mut curated: Vec<Mention>,
    rules: &mut [Mention],
    runs: &[&Folded],
) -> (Vec<Name>, Vec<Mention>) {
    rules.sort_by_key(|m| m.span.start);
    curated.sort_by_key(|m| m.span.start);
    let mut set_aside = vec![false; curated.len()];
    let mut kept = Vec::new();
    for name in names {
        let span = runs[name.run].original(name.span.clone());
        if !overlapping(rules, &span).is_empty() {
            continue;
        }
        let inside = overlapping(&curated, &span);
        let corrects = !inside.is_empty()
            && name.confidence >= OVERRIDE
            && inside.clone().all(|c| {
                let m = &curated[c];
                m.kind != name.kind && span.start <= m.span.start && m.span.end <= span.end && m.span != span
            });
        if inside.is_empty() || corrects {
            for c in inside {
                set_aside[c] = true;
            }
            kept.push(name);
        }
    }
    let curated = curated.into_iter().zip(set_aside).filter(|(_, aside)| !aside).map(|(m, _)| m).collect();
    (kept, curated)
}

/// The mentions of `sorted` (by start, none overlapping another) that overlap `span`.
fn overlapping(sorted: &[Mention], span: &Range<usize>) -> Range<usize> {
    // Matches of one kind do not overlap, so their ends are in order too (near enough for
    // the rules' dates and quantities together: `without_overlaps` settles any rest).
    let first = sorted.partition_point(|m| m.span.end <= span.start);
    let last = first + sorted[first..].partition_point(|m| m.span.start < span.end);
    first..last
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

    /// What `r` finds in `text`, read as one run without a date anchor: (words, kind).
    pub(super) fn shown(r: &Recogniser, text: &str) -> Vec<(String, Kind)> {
        r.recognise(text, std::slice::from_ref(&(0..text.len())), None)
            .into_iter()
            .map(|m| (text[m.span].to_string(), m.kind))
            .collect()
    }

    #[test]
    fn the_tagger_s_places_obey_the_words_around_them() {
        let r = Recogniser::new(&Gazetteer::default(), Some(Tagger::shared_built_in()));
        let places = |text: &str| -> Vec<String> {
            shown(&r, text).into_iter().filter(|(_, kind)| *kind == Kind::Place).map(|(t, _)| t).collect()
        };
        // With no gazetteer, the tagger reads these adjectives as places.
        // (The model's reading of the other words is not what this checks.)
        let consulate = places("نقلت رويترز عن مسؤولين أتراك أن خاشقجي قتل في القنصلية السعودية");
        assert!(!consulate.iter().any(|p| p.contains("السعودية")), "{consulate:?}");
        assert_eq!(places("وقالت السلطات السعودية"), [] as [&str; 0]);
        assert_eq!(places("وصل الوفد إلى العاصمة السعودية"), [] as [&str; 0]);
        assert_eq!(places("وزار وفد من السعودية وتركيا إسطنبول."), ["السعودية", "تركيا", "إسطنبول"]);
        // A body's name runs on past its place, through the name the tagger found after it.
        let g = Gazetteer::parse(
            std::path::Path::new("t.toml"),
            "[[entity]]\nid = \"paris\"\ntype = \"place\"\nname = \"باريس\"\n",
        )
        .unwrap();
        let with_paris = Recogniser::new(&g, Some(Tagger::shared_built_in()));
        let text = "أعلن نادي باريس سان جرمان الفرنسي تعاقده مع اللاعب، وزار الفريق باريس.";
        assert_eq!(
            shown(&with_paris, text),
            [("نادي باريس سان جرمان".to_string(), Kind::Organization), ("باريس".to_string(), Kind::Place)]
        );
        // A place the tagger found inside a body's name is the body.
        assert_eq!(shown(&r, "وقال رئيس جامعة دمشق إن"), [("جامعة دمشق".to_string(), Kind::Organization)]);
        let alexandria = shown(&r, "وتم بناؤها بشركة ترسانة الإسكندرية، حسب البيان.");
        assert!(alexandria.iter().all(|(_, kind)| *kind != Kind::Place), "{alexandria:?}");
    }

    #[test]
    fn an_amount_of_money_or_an_indefinite_word_is_no_name() {
        let r = Recogniser::new(&Gazetteer::default(), Some(Tagger::shared_built_in()));
        let kinds = |text: &str| -> Vec<Kind> { shown(&r, text).into_iter().map(|(_, kind)| kind).collect() };
        // The currency, not Real Madrid's short name: the amount keeps its words.
        assert_eq!(kinds("وقال إن الاستثمارات ستبلغ 135 مليار ريال بحلول العام المقبل."), [Kind::Quantity]);
        // دوماً (always) is the adverb, whose tanween the town's name never takes.
        let always = "ويضعون نصب أعينهم دوماً مبدأ حق الإنسان في الحياة، وزاروا دوما أمس.";
        assert_eq!(shown(&r, always), [("دوما".to_string(), Kind::Place)]);
        assert!(shown(&r, always)[0].0.chars().all(|c| c != '\u{064B}'));
    }

    #[test]
    fn spans_are_offsets_into_the_original_on_char_boundaries() {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let r = Recogniser::new(&g, None);
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
        let m = |s: usize, e: usize, id: &str| Mention {
            span: s..e,
            kind: Kind::Place,
            entity: id.into(),
            amount: None,
            discovered: None,
        };
        let kept = without_overlaps(vec![m(5, 9, "b"), m(0, 4, "a"), m(3, 8, "c"), m(5, 12, "d")]);
        let ids: Vec<&str> = kept.iter().map(|m| m.entity.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
    }
}
