//! Linking: whole-archive indexes built from every article's mentions — who is mentioned
//! where, which entities go together, which articles are related by rare shared entities,
//! and which refer to the same day or month.
//!
//! Every list it makes is bounded, so no page grows with the archive, and the work per
//! article is bounded too: related articles are found through the rarest entities first,
//! and a very common entity is only followed to the articles nearest in time.

pub mod discovered;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::domain::{EntityKey, EntityRef, IsoDate, Mention, Precision};

/// What the linker needs to know of an article.
pub struct ArticleFacts<'a> {
    pub date: Option<NaiveDate>,
    pub slug: &'a str,
    /// The text the mentions' spans point into.
    pub text: &'a str,
    pub mentions: &'a [Mention],
}

/// How long the lists are.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub related: usize,
    pub by_date: usize,
    pub cooccurring: usize,
}

#[derive(Debug, Default, PartialEq)]
pub struct EntityIndex {
    /// (article, mention) pairs, articles oldest first, mentions in text order.
    pub mentions: Vec<(usize, usize)>,
    /// Articles that mention it, oldest first; for a month, also those that mention its days.
    pub articles: Vec<usize>,
    /// Named entities found in the same articles, with how many articles they share.
    pub cooccurring: Vec<(EntityKey, usize)>,
    /// For a month: the days of it that have pages.
    pub days: Vec<EntityKey>,
    /// How its mentions are spelled, with how often: most frequent first.
    pub spellings: Vec<(String, usize)>,
}

impl EntityIndex {
    /// How the archive most often writes the entity with `words` words in its name (its
    /// full name, not a surname alone), else most often at all.
    pub fn display_name(&self, words: usize) -> &str {
        let full = self.spellings.iter().find(|(s, _)| s.split_whitespace().count() == words);
        full.or(self.spellings.first()).map_or("", |(s, _)| s.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub article: usize,
    pub score: f64,
    /// Shared named entities, rarest first.
    pub shared: Vec<EntityKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLink {
    pub article: usize,
    /// Dates (days or months) both articles refer to; a month is left out when a day in it
    /// is shared, since the day says more.
    pub dates: Vec<EntityKey>,
}

#[derive(Debug, Default)]
pub struct ArchiveIndex {
    pub entities: BTreeMap<EntityKey, EntityIndex>,
    /// Per article: related articles, best first. Shared with the index an edit came from,
    /// when the edit did not change it.
    pub related: Arc<Vec<Vec<Related>>>,
    /// Per article: articles referring to the same days or months, nearest in time first.
    pub by_date: Arc<Vec<Vec<DateLink>>>,
    /// Article indices, oldest first; undated ones last, by slug.
    pub chronological: Vec<usize>,
    /// Each article's position in `chronological`.
    pub rank: Vec<usize>,
}

/// Postings followed per article when looking for related articles.
const RELATED_BUDGET: usize = 1_000;
/// Candidates per related article kept for exact scoring.
const RESCORED: usize = 4;

/// The month a day belongs to, for dates; nothing for other kinds.
fn month_of(key: &EntityKey) -> Option<EntityKey> {
    key.date().filter(|d| d.precision() == Precision::Day).and_then(IsoDate::month).map(EntityKey::from)
}

/// Entities numbered in key order, with the articles of each and the entities of each
/// article as sorted number lists: the shape every computation here works on.
struct Numbered {
    keys: Vec<EntityKey>,
    /// Per entity: its articles, in chronological order.
    postings: Vec<Vec<u32>>,
    /// Per article: its entities, sorted, without repeats.
    entities_of: Vec<Vec<u32>>,
}

/// Links the articles from scratch: what the tests compare [`relink`] with.
#[cfg(test)]
fn link(articles: &[ArticleFacts], limits: Limits) -> ArchiveIndex {
    relink(None, articles, limits)
}

/// Links again after articles changed. What `previous` found across articles (related
/// articles, articles on the same dates, entities found together) is found again only where
/// an entity gained or lost articles: an edit that names no new entity changes none of it,
/// and one that does reaches only the articles of those entities.
pub fn relink(previous: Option<&ArchiveIndex>, articles: &[ArticleFacts], limits: Limits) -> ArchiveIndex {
    let (chronological, rank) = order(articles);
    let mut entities = entities(articles, &chronological, &rank);
    let numbered = number(&entities, articles.len());
    // Articles moving in time move every list: then everything is found again.
    let stale = previous.filter(|p| p.chronological == chronological).map(|p| (p, Stale::between(p, &entities)));

    let wanted: Vec<usize> = match &stale {
        None => (0..numbered.keys.len()).collect(),
        Some((_, stale)) => (0..numbered.keys.len()).filter(|&e| stale.cooccurring(&numbered, e)).collect(),
    };
    let mut found = wanted.iter().copied().zip(cooccurring(&numbered, &wanted, limits.cooccurring)).peekable();
    for (e, (key, index)) in entities.iter_mut().enumerate() {
        index.cooccurring = match found.next_if(|(f, _)| *f == e) {
            Some((_, list)) => list,
            None => stale.as_ref().map(|(p, _)| p.entities[key].cooccurring.clone()).unwrap_or_default(),
        };
    }

    let find_related = |a: usize, scores: &mut Vec<f64>| related(&numbered, &rank, a, limits.related, scores);
    let find_by_date = |a: usize| by_date(&numbered, &rank, a, limits.by_date);
    let new_scores = || vec![0.0; articles.len()];
    let (related, by_date) = match stale {
        None => (
            Arc::new((0..articles.len()).into_par_iter().map_init(new_scores, |s, a| find_related(a, s)).collect()),
            Arc::new((0..articles.len()).into_par_iter().map(find_by_date).collect()),
        ),
        Some((previous, stale)) if stale.articles.is_empty() => {
            (Arc::clone(&previous.related), Arc::clone(&previous.by_date))
        }
        Some((previous, stale)) => {
            let again: Vec<usize> = stale.articles.into_iter().collect();
            let mut related = Vec::clone(&previous.related);
            let fresh: Vec<Vec<Related>> = again.par_iter().map_init(new_scores, |s, &a| find_related(a, s)).collect();
            for (&a, list) in again.iter().zip(fresh) {
                related[a] = list;
            }
            let mut by_date = Vec::clone(&previous.by_date);
            for (&a, list) in again.iter().zip(again.par_iter().map(|&a| find_by_date(a)).collect::<Vec<_>>()) {
                by_date[a] = list;
            }
            (Arc::new(related), Arc::new(by_date))
        }
    };
    ArchiveIndex { entities, related, by_date, chronological, rank }
}

/// What an edit made stale in an index: the entities that gained or lost articles, and
/// what they reach.
struct Stale {
    /// Entities whose articles changed, new and gone ones included.
    changed: BTreeSet<EntityKey>,
    /// Articles that gained or lost an entity.
    moved: BTreeSet<usize>,
    /// Articles whose related articles and articles on the same dates must be found again:
    /// those of a changed entity, before or after.
    articles: BTreeSet<usize>,
}

impl Stale {
    fn between(previous: &ArchiveIndex, entities: &BTreeMap<EntityKey, EntityIndex>) -> Stale {
        let mut stale = Stale { changed: BTreeSet::new(), moved: BTreeSet::new(), articles: BTreeSet::new() };
        let articles_of = |index: &BTreeMap<EntityKey, EntityIndex>, key| {
            index
                .get(key)
                .map_or(&[][..], |e: &EntityIndex| e.articles.as_slice())
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
        };
        let same = |key| {
            let old = previous.entities.get(key).map(|e| &e.articles);
            old.is_some() && old == entities.get(key).map(|e| &e.articles)
        };
        for key in previous.entities.keys().chain(entities.keys()) {
            if same(key) || !stale.changed.insert(key.clone()) {
                continue;
            }
            let (old, now) = (articles_of(&previous.entities, key), articles_of(entities, key));
            stale.moved.extend(old.symmetric_difference(&now));
            stale.articles.extend(old.union(&now));
        }
        stale
    }

    /// Whether entity `e`'s entities found together must be found again: its articles
    /// changed, or one of them gained or lost an entity.
    fn cooccurring(&self, n: &Numbered, e: usize) -> bool {
        let key = &n.keys[e];
        self.changed.contains(key) || n.postings[e].iter().any(|&a| self.moved.contains(&(a as usize)))
    }
}

/// Articles oldest first (undated last, by slug), and each article's place in that order.
fn order(articles: &[ArticleFacts]) -> (Vec<usize>, Vec<usize>) {
    let mut chronological: Vec<usize> = (0..articles.len()).collect();
    chronological.sort_by(|&a, &b| {
        let (x, y) = (&articles[a], &articles[b]);
        (x.date.is_none(), x.date, x.slug).cmp(&(y.date.is_none(), y.date, y.slug))
    });
    let mut rank = vec![0; articles.len()];
    for (r, &a) in chronological.iter().enumerate() {
        rank[a] = r;
    }
    (chronological, rank)
}

/// Each entity's mentions, articles, spellings and (for a month) days.
fn entities(articles: &[ArticleFacts], chronological: &[usize], rank: &[usize]) -> BTreeMap<EntityKey, EntityIndex> {
    // Grouped under borrowed ids first: a string made per entity, not per mention.
    let mut grouped: FxHashMap<EntityRef, EntityIndex> = FxHashMap::default();
    for &a in chronological {
        for (i, m) in articles[a].mentions.iter().enumerate().filter(|(_, m)| m.has_page()) {
            let index = grouped.entry(m.key()).or_default();
            index.mentions.push((a, i));
            if index.articles.last() != Some(&a) {
                index.articles.push(a);
            }
        }
    }
    let mut entities: BTreeMap<EntityKey, EntityIndex> =
        grouped.into_iter().map(|(key, index)| (EntityKey::from(key), index)).collect();
    // A day's articles also refer to its month; the mentions themselves stay on the day's page.
    let days: Vec<(EntityKey, EntityKey)> = entities.keys().filter_map(|k| Some((month_of(k)?, k.clone()))).collect();
    for (month, day) in days {
        let day_articles = entities[&day].articles.clone();
        let month = entities.entry(month).or_default();
        month.articles.extend(day_articles);
        month.days.push(day);
    }
    // A month's articles came from its days and from itself: back in time order.
    entities.par_iter_mut().for_each(|(_, index)| {
        index.articles.sort_by_key(|&a| rank[a]);
        index.articles.dedup();
        index.spellings = spellings(articles, &index.mentions);
    });
    entities
}

/// The texts of `mentions`, counted, most frequent first, then in code-point order.
fn spellings(articles: &[ArticleFacts], mentions: &[(usize, usize)]) -> Vec<(String, usize)> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for &(a, i) in mentions {
        *seen.entry(&articles[a].text[articles[a].mentions[i].span.clone()]).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = seen.into_iter().map(|(text, n)| (text.to_string(), n)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

fn number(entities: &BTreeMap<EntityKey, EntityIndex>, articles: usize) -> Numbered {
    let keys: Vec<EntityKey> = entities.keys().cloned().collect();
    let postings: Vec<Vec<u32>> = entities.values().map(|e| e.articles.iter().map(|&a| a as u32).collect()).collect();
    let mut entities_of = vec![Vec::new(); articles];
    for (e, list) in postings.iter().enumerate() {
        for &a in list {
            entities_of[a as usize].push(e as u32);
        }
    }
    Numbered { keys, postings, entities_of }
}

/// For each entity of `wanted` (numbers), the named entities sharing most articles with it.
fn cooccurring(n: &Numbered, wanted: &[usize], max: usize) -> Vec<Vec<(EntityKey, usize)>> {
    let named: Vec<bool> = n.keys.iter().map(|k| k.kind.is_named()).collect();
    wanted
        .par_iter()
        .map_init(
            || vec![0u32; n.keys.len()],
            |counts, &e| {
                let mut touched = Vec::new();
                for &a in &n.postings[e] {
                    for &other in &n.entities_of[a as usize] {
                        let o = other as usize;
                        if o != e && named[o] {
                            if counts[o] == 0 {
                                touched.push(o);
                            }
                            counts[o] += 1;
                        }
                    }
                }
                let mut list: Vec<(usize, u32)> = touched.iter().map(|&o| (o, counts[o])).collect();
                for &o in &touched {
                    counts[o] = 0;
                }
                list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                list.truncate(max);
                list.into_iter().map(|(o, c)| (n.keys[o].clone(), c as usize)).collect()
            },
        )
        .collect()
}

/// Articles sharing the rarest named entities with `a`, scored by the sum of the shared
/// entities' rarity, ln((N + 1) / articles with it).
/// `scores` is a scratch vector, one zero per article, left as it was found.
fn related(n: &Numbered, rank: &[usize], a: usize, max: usize, scores: &mut [f64]) -> Vec<Related> {
    let total = n.entities_of.len() as f64;
    let rarity = |e: u32| ((total + 1.0) / n.postings[e as usize].len() as f64).ln();
    let mut mine: Vec<u32> = n.entities_of[a].iter().copied().filter(|&e| n.keys[e as usize].kind.is_named()).collect();
    mine.sort_by_key(|&e| (n.postings[e as usize].len(), e));

    // Candidates come from the rarest entities first, scored as they are found; a common
    // entity adds only the articles nearest in time, within what is left of the budget.
    let mut touched: Vec<u32> = Vec::new();
    let mut budget = RELATED_BUDGET;
    for &e in &mine {
        if budget == 0 {
            break;
        }
        let postings = &n.postings[e as usize];
        let take = postings.len().min(budget);
        let at = postings.partition_point(|&b| rank[b as usize] < rank[a]);
        let start = at.saturating_sub(take / 2).min(postings.len() - take);
        let weight = rarity(e);
        for &b in postings[start..start + take].iter().filter(|&&b| b as usize != a) {
            if scores[b as usize] == 0.0 {
                touched.push(b);
            }
            scores[b as usize] += weight;
        }
        budget -= take;
    }
    let mut candidates: Vec<(u32, f64)> = touched.iter().map(|&b| (b, scores[b as usize])).collect();
    for &b in &touched {
        scores[b as usize] = 0.0;
    }
    // The best by partial score get their exact score, from both articles' entities. The
    // order is total (ranks differ), so selecting before sorting keeps the same best.
    let best_first =
        |x: &(u32, f64), y: &(u32, f64)| y.1.total_cmp(&x.1).then(rank[x.0 as usize].cmp(&rank[y.0 as usize]));
    let keep = max * RESCORED;
    if candidates.len() > keep && keep > 0 {
        candidates.select_nth_unstable_by(keep - 1, best_first);
    }
    candidates.truncate(keep);
    candidates.sort_by(best_first);
    let mut list: Vec<Related> = candidates
        .into_iter()
        .map(|(b, _)| {
            let mut shared: Vec<u32> = intersect(&mine, &n.entities_of[b as usize]);
            shared.sort_by(|&x, &y| rarity(y).total_cmp(&rarity(x)).then(x.cmp(&y)));
            let score = shared.iter().map(|&e| rarity(e)).sum();
            Related { article: b as usize, score, shared: shared.iter().map(|&e| n.keys[e as usize].clone()).collect() }
        })
        .collect();
    list.sort_by(|x, y| y.score.total_cmp(&x.score).then(rank[x.article].cmp(&rank[y.article])));
    list.truncate(max);
    list
}

/// Members of both lists; `sorted` must be sorted, `mine` need not be.
fn intersect(mine: &[u32], sorted: &[u32]) -> Vec<u32> {
    mine.iter().copied().filter(|e| sorted.binary_search(e).is_ok()).collect()
}

/// Articles referring to the same days (or days and months of the same month) as `a`,
/// nearest in time first.
fn by_date(n: &Numbered, rank: &[usize], a: usize, max: usize) -> Vec<DateLink> {
    let dated = |e: u32| n.keys[e as usize].date().is_some_and(|d| d.precision() != Precision::Year);
    let mine: Vec<u32> = n.entities_of[a].iter().copied().filter(|&e| dated(e)).collect();
    let mut nearest: Vec<u32> = Vec::new();
    for &e in &mine {
        let postings = &n.postings[e as usize];
        let at = postings.partition_point(|&b| rank[b as usize] < rank[a]);
        let start = at.saturating_sub(max);
        nearest.extend(postings[start..(at + max + 1).min(postings.len())].iter().filter(|&&b| b as usize != a));
    }
    nearest.sort_unstable();
    nearest.dedup();
    nearest.sort_by_key(|&b| (rank[b as usize].abs_diff(rank[a]), rank[b as usize]));
    nearest.truncate(max);
    nearest.sort_by_key(|&b| rank[b as usize]);
    nearest
        .into_iter()
        .map(|b| {
            let shared: Vec<&EntityKey> =
                intersect(&mine, &n.entities_of[b as usize]).into_iter().map(|e| &n.keys[e as usize]).collect();
            let dates_of_days = shared.iter().filter_map(|k| k.date()).filter(|d| d.precision() == Precision::Day);
            let months_of_days: Vec<IsoDate> = dates_of_days.filter_map(IsoDate::month).collect();
            let dates =
                shared.into_iter().filter(|k| k.date().is_none_or(|d| !months_of_days.contains(&d))).cloned().collect();
            DateLink { article: b as usize, dates }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Kind;

    fn m(kind: Kind, id: &str) -> Mention {
        Mention { span: 0..1, kind, entity: id.into(), amount: None, discovered: None }
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    const LIMITS: Limits = Limits { related: 5, by_date: 10, cooccurring: 10 };

    #[test]
    fn indexes_mentions_related_articles_and_dates() {
        let a = vec![m(Kind::Place, "syria"), m(Kind::Place, "albukamal"), m(Kind::Date, "2021-02-26")];
        let b = vec![m(Kind::Place, "syria"), m(Kind::Date, "2021-02")];
        let c = vec![m(Kind::Place, "syria"), m(Kind::Place, "albukamal")];
        let facts = [
            ArticleFacts { date: date("2021-06-29"), slug: "a", text: "xyz", mentions: &a },
            ArticleFacts { date: date("2021-02-26"), slug: "b", text: "xyz", mentions: &b },
            ArticleFacts { date: None, slug: "c", text: "xyz", mentions: &c },
        ];
        let index = link(&facts, LIMITS);
        assert_eq!(index.chronological, [1, 0, 2]);
        assert_eq!(index.rank, [1, 0, 2]);
        let syria = &index.entities[&EntityKey::new(Kind::Place, "syria")];
        assert_eq!(syria.articles, [1, 0, 2]);
        // The rare shared entity (البوكمال) ranks c above b for a.
        assert_eq!(index.related[0].iter().map(|r| r.article).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(index.related[0][0].shared[0], EntityKey::new(Kind::Place, "albukamal"));
        // The day 2021-02-26 links a to b, which names the month 2021-02, years apart or not.
        assert_eq!(index.by_date[0], [DateLink { article: 1, dates: vec![EntityKey::new(Kind::Date, "2021-02")] }]);
        let month = &index.entities[&EntityKey::new(Kind::Date, "2021-02")];
        assert_eq!(month.days, [EntityKey::new(Kind::Date, "2021-02-26")]);
        assert_eq!(month.articles, [1, 0]);
        assert_eq!(month.mentions, [(1, 1)], "the day's mention stays on the day's page");
        assert!(index.by_date[2].is_empty());
    }

    #[test]
    fn spellings_are_counted_most_frequent_first() {
        let at = |span: std::ops::Range<usize>| Mention {
            span,
            kind: Kind::Place,
            entity: "syria".into(),
            amount: None,
            discovered: None,
        };
        let text = "سوريا وسورية وسوريا";
        let a = vec![at(0..10), at(13..23), at(26..36)];
        let facts = [ArticleFacts { date: None, slug: "a", text, mentions: &a }];
        let index = link(&facts, LIMITS);
        let syria = &index.entities[&EntityKey::new(Kind::Place, "syria")];
        assert_eq!(syria.spellings, [("سوريا".to_string(), 2), ("سورية".to_string(), 1)]);
    }

    #[test]
    fn relinking_keeps_what_did_not_change() {
        let a = vec![m(Kind::Place, "syria"), m(Kind::Place, "albukamal")];
        let b = vec![m(Kind::Place, "syria")];
        let facts = |a| {
            [
                ArticleFacts { date: date("2021-06-29"), slug: "a", text: "xyz", mentions: a },
                ArticleFacts { date: date("2021-02-26"), slug: "b", text: "xyz", mentions: &b },
            ]
        };
        let first = link(&facts(&a), LIMITS);
        // The same entities in the same articles, mentioned more often: kept.
        let more = vec![m(Kind::Place, "albukamal"), m(Kind::Place, "syria"), m(Kind::Place, "syria")];
        let again = relink(Some(&first), &facts(&more), LIMITS);
        assert!(Arc::ptr_eq(&first.related, &again.related) && Arc::ptr_eq(&first.by_date, &again.by_date));
        assert_eq!(again.entities[&EntityKey::new(Kind::Place, "syria")].mentions, [(1, 0), (0, 1), (0, 2)]);
        // An entity gone from an article: found again, as a first link would.
        let fewer = vec![m(Kind::Place, "syria")];
        let again = relink(Some(&first), &facts(&fewer), LIMITS);
        assert!(!Arc::ptr_eq(&first.related, &again.related));
        let fresh = link(&facts(&fewer), LIMITS);
        assert_eq!((again.related, again.by_date), (fresh.related, fresh.by_date));
    }

    #[test]
    fn relinking_after_any_edit_finds_what_a_first_link_finds() {
        // A small random archive, edited one article at a time: mentions replaced, kept,
        // or the date moved. Each relink must equal a link from scratch.
        let mut seed: u64 = 0x2021_0226;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let pool = [
            (Kind::Place, "syria"),
            (Kind::Place, "iraq"),
            (Kind::Place, "albukamal"),
            (Kind::Person, "biden"),
            (Kind::Organization, "kataib"),
            (Kind::Organization, "sdf"),
            (Kind::Date, "2021-02-26"),
            (Kind::Date, "2021-02"),
            (Kind::Date, "2021-03-01"),
            (Kind::Quantity, "rocket"),
        ];
        let draw = |next: &mut dyn FnMut(u64) -> u64| -> Vec<Mention> {
            (0..next(5))
                .map(|_| {
                    let (kind, id) = pool[next(pool.len() as u64) as usize];
                    m(kind, id)
                })
                .collect()
        };
        let slugs: Vec<String> = (0..40).map(|i| format!("a{i:02}")).collect();
        let mut mentions: Vec<Vec<Mention>> = (0..40).map(|_| draw(&mut next)).collect();
        let mut dates: Vec<Option<NaiveDate>> = (0..40).map(|i| date(&format!("2021-01-{:02}", i % 28 + 1))).collect();
        let mut index = {
            let facts: Vec<ArticleFacts> = (0..40)
                .map(|i| ArticleFacts { date: dates[i], slug: &slugs[i], text: "xyz", mentions: &mentions[i] })
                .collect();
            link(&facts, LIMITS)
        };
        for round in 0..300 {
            let a = next(40) as usize;
            match next(4) {
                0 => dates[a] = date(&format!("2021-02-{:02}", next(28) + 1)),
                1 => mentions[a].reverse(),
                _ => mentions[a] = draw(&mut next),
            }
            let facts: Vec<ArticleFacts> = (0..40)
                .map(|i| ArticleFacts { date: dates[i], slug: &slugs[i], text: "xyz", mentions: &mentions[i] })
                .collect();
            let again = relink(Some(&index), &facts, LIMITS);
            let fresh = link(&facts, LIMITS);
            assert_eq!(again.entities, fresh.entities, "round {round}");
            assert_eq!((&again.related, &again.by_date), (&fresh.related, &fresh.by_date), "round {round}");
            index = again;
        }
    }

    #[test]
    fn a_shared_day_hides_its_month() {
        let a = vec![m(Kind::Date, "2021-02-26")];
        let b = vec![m(Kind::Date, "2021-02-26")];
        let facts = [
            ArticleFacts { date: date("2021-02-26"), slug: "a", text: "xyz", mentions: &a },
            ArticleFacts { date: date("2021-03-01"), slug: "b", text: "xyz", mentions: &b },
        ];
        let index = link(&facts, LIMITS);
        assert_eq!(index.by_date[0], [DateLink { article: 1, dates: vec![EntityKey::new(Kind::Date, "2021-02-26")] }]);
    }

    #[test]
    fn cooccurring_counts_shared_articles() {
        let a = vec![m(Kind::Person, "biden"), m(Kind::Place, "syria")];
        let b = vec![m(Kind::Person, "biden"), m(Kind::Place, "syria"), m(Kind::Place, "iran")];
        let facts = [
            ArticleFacts { date: None, slug: "a", text: "xyz", mentions: &a },
            ArticleFacts { date: None, slug: "b", text: "xyz", mentions: &b },
        ];
        let index = link(&facts, LIMITS);
        let biden = &index.entities[&EntityKey::new(Kind::Person, "biden")];
        assert_eq!(
            biden.cooccurring,
            [(EntityKey::new(Kind::Place, "syria"), 2), (EntityKey::new(Kind::Place, "iran"), 1)]
        );
    }

    #[test]
    fn lists_stay_bounded_in_a_large_archive() {
        // 3,000 articles that all name one place and one day: each article still lists at
        // most the limits, and the nearest in time.
        let mentions = vec![m(Kind::Place, "syria"), m(Kind::Date, "2021-02-26")];
        let slugs: Vec<String> = (0..3000).map(|i| format!("a{i:05}")).collect();
        let facts: Vec<ArticleFacts> = slugs
            .iter()
            .enumerate()
            .map(|(i, slug)| ArticleFacts {
                date: NaiveDate::from_ymd_opt(2020, 1, 1).map(|d| d + chrono::Days::new(i as u64)),
                slug,
                text: "xyz",
                mentions: &mentions,
            })
            .collect();
        let index = link(&facts, LIMITS);
        assert!(index.related.iter().all(|r| r.len() == 5));
        assert!(index.by_date.iter().all(|d| d.len() == 10));
        let around_1500: Vec<usize> = index.by_date[1500].iter().map(|d| d.article).collect();
        assert_eq!(around_1500, [1495, 1496, 1497, 1498, 1499, 1501, 1502, 1503, 1504, 1505]);
    }
}
