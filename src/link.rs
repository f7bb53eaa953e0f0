//! Linking: whole-archive indexes built from every article's mentions — who is mentioned
//! where, which entities go together, which articles are related by rare shared entities,
//! and which refer to the same day or month.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::recognise::{IsoDate, Kind, Mention};

/// An entity across the archive: its type and id (gazetteer id, ISO date, counted noun).
pub type EntityKey = (Kind, String);

/// What the linker needs to know of an article.
pub struct ArticleFacts<'a> {
    pub date: Option<NaiveDate>,
    pub slug: &'a str,
    pub mentions: &'a [Mention],
}

#[derive(Debug, Default)]
pub struct EntityIndex {
    /// (article, mention) pairs in article order, then text order. A month also gathers
    /// the mentions of its days.
    pub mentions: Vec<(usize, usize)>,
    /// Articles that mention it, oldest first.
    pub articles: Vec<usize>,
    /// Named entities found in the same articles, with how many articles they share.
    pub cooccurring: Vec<(EntityKey, usize)>,
    /// For a month: the days of it that have pages.
    pub days: Vec<String>,
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
    /// Dates (days or months) both articles refer to.
    pub dates: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ArchiveIndex {
    pub entities: BTreeMap<EntityKey, EntityIndex>,
    /// Per article: related articles, best first.
    pub related: Vec<Vec<Related>>,
    /// Per article: articles referring to the same days or months.
    pub by_date: Vec<Vec<DateLink>>,
    /// Article indices, oldest first; undated ones last, by slug.
    pub chronological: Vec<usize>,
}

fn is_named(kind: Kind) -> bool {
    matches!(kind, Kind::Person | Kind::Place | Kind::Organization)
}

/// The month a day belongs to, for dates; nothing for other kinds.
fn month_of(key: &EntityKey) -> Option<String> {
    (key.0 == Kind::Date)
        .then(|| IsoDate::parse(&key.1))
        .flatten()
        .filter(|d| d.day.is_some())
        .and_then(|d| d.parent())
        .map(|d| d.to_string())
}

pub fn link(articles: &[ArticleFacts], max_related: usize, max_cooccurring: usize) -> ArchiveIndex {
    let mut chronological: Vec<usize> = (0..articles.len()).collect();
    chronological.sort_by(|&a, &b| {
        let (x, y) = (&articles[a], &articles[b]);
        (x.date.is_none(), x.date, x.slug).cmp(&(y.date.is_none(), y.date, y.slug))
    });
    let rank: Vec<usize> = {
        let mut rank = vec![0; articles.len()];
        for (r, &a) in chronological.iter().enumerate() {
            rank[a] = r;
        }
        rank
    };

    let mut entities: BTreeMap<EntityKey, EntityIndex> = BTreeMap::new();
    let mut per_article: Vec<BTreeSet<EntityKey>> = vec![BTreeSet::new(); articles.len()];
    for &a in &chronological {
        for (i, m) in articles[a].mentions.iter().enumerate() {
            let key: EntityKey = (m.kind, m.entity.clone());
            if let Some(month) = month_of(&key) {
                let month_key = (Kind::Date, month);
                entities.entry(month_key.clone()).or_default().mentions.push((a, i));
                per_article[a].insert(month_key);
            }
            entities.entry(key.clone()).or_default().mentions.push((a, i));
            per_article[a].insert(key);
        }
    }
    for (key, index) in entities.iter_mut() {
        let mut seen = BTreeSet::new();
        index.articles = index.mentions.iter().map(|&(a, _)| a).filter(|a| seen.insert(*a)).collect();
        index.articles.sort_by_key(|&a| rank[a]);
        let _ = key;
    }
    let days: Vec<(String, String)> = entities.keys().filter_map(|k| month_of(k).map(|m| (m, k.1.clone()))).collect();
    for (month, day) in days {
        if let Some(index) = entities.get_mut(&(Kind::Date, month)) {
            index.days.push(day);
        }
    }

    // Co-occurrence: named entities sharing articles, most shared first.
    let keys: Vec<EntityKey> = entities.keys().cloned().collect();
    for key in keys {
        let mut counts: BTreeMap<&EntityKey, usize> = BTreeMap::new();
        for &a in &entities[&key].articles {
            for other in per_article[a].iter().filter(|o| **o != key && is_named(o.0)) {
                *counts.entry(other).or_default() += 1;
            }
        }
        let mut list: Vec<(EntityKey, usize)> = counts.into_iter().map(|(k, n)| (k.clone(), n)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list.truncate(max_cooccurring);
        if let Some(index) = entities.get_mut(&key) {
            index.cooccurring = list;
        }
    }

    let n = articles.len() as f64;
    let rarity = |key: &EntityKey| ((n + 1.0) / entities[key].articles.len() as f64).ln();
    let related = (0..articles.len())
        .map(|a| {
            let mut list: Vec<Related> = (0..articles.len())
                .filter(|&b| b != a)
                .filter_map(|b| {
                    let mut shared: Vec<EntityKey> =
                        per_article[a].intersection(&per_article[b]).filter(|k| is_named(k.0)).cloned().collect();
                    if shared.is_empty() {
                        return None;
                    }
                    shared.sort_by(|x, y| rarity(y).total_cmp(&rarity(x)).then_with(|| x.cmp(y)));
                    let score = shared.iter().map(rarity).sum();
                    Some(Related { article: b, score, shared })
                })
                .collect();
            list.sort_by(|x, y| y.score.total_cmp(&x.score).then(rank[x.article].cmp(&rank[y.article])));
            list.truncate(max_related);
            list
        })
        .collect();

    // Dates: articles that refer to the same day, or to days or months of the same month.
    let dates_of = |a: usize| -> BTreeSet<String> {
        per_article[a]
            .iter()
            .filter(|k| k.0 == Kind::Date && IsoDate::parse(&k.1).is_some_and(|d| d.month.is_some()))
            .map(|k| k.1.clone())
            .collect()
    };
    let all_dates: Vec<BTreeSet<String>> = (0..articles.len()).map(dates_of).collect();
    let by_date = (0..articles.len())
        .map(|a| {
            let mut links: Vec<DateLink> = chronological
                .iter()
                .filter(|&&b| b != a)
                .filter_map(|&b| {
                    let dates: Vec<String> = all_dates[a].intersection(&all_dates[b]).cloned().collect();
                    (!dates.is_empty()).then_some(DateLink { article: b, dates })
                })
                .collect();
            // Months shared only through different days still link; drop a month when a day
            // inside it is shared too, since the day says more.
            for link in &mut links {
                let days: Vec<String> =
                    link.dates.iter().filter(|d| d.len() == 10).map(|d| d[..7].to_string()).collect();
                link.dates.retain(|d| d.len() != 7 || !days.contains(d));
            }
            links
        })
        .collect();

    ArchiveIndex { entities, related, by_date, chronological }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: Kind, id: &str) -> Mention {
        Mention { span: 0..1, kind, entity: id.into(), amount: None }
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn indexes_mentions_related_articles_and_dates() {
        let a = vec![m(Kind::Place, "syria"), m(Kind::Place, "albukamal"), m(Kind::Date, "2021-02-26")];
        let b = vec![m(Kind::Place, "syria"), m(Kind::Date, "2021-02")];
        let c = vec![m(Kind::Place, "syria"), m(Kind::Place, "albukamal")];
        let facts = [
            ArticleFacts { date: date("2021-06-29"), slug: "a", mentions: &a },
            ArticleFacts { date: date("2021-02-26"), slug: "b", mentions: &b },
            ArticleFacts { date: None, slug: "c", mentions: &c },
        ];
        let index = link(&facts, 5, 10);
        assert_eq!(index.chronological, [1, 0, 2]);
        let syria = &index.entities[&(Kind::Place, "syria".to_string())];
        assert_eq!(syria.articles, [1, 0, 2]);
        // The rare shared entity (البوكمال) ranks c above b for a.
        assert_eq!(index.related[0].iter().map(|r| r.article).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(index.related[0][0].shared[0], (Kind::Place, "albukamal".to_string()));
        // The day 2021-02-26 links a to b, which names the month 2021-02, years apart or not.
        assert_eq!(index.by_date[0], [DateLink { article: 1, dates: vec!["2021-02".into()] }]);
        let month = &index.entities[&(Kind::Date, "2021-02".to_string())];
        assert_eq!(month.days, ["2021-02-26"]);
        assert_eq!(month.articles, [1, 0]);
        assert!(index.by_date[2].is_empty());
    }

    #[test]
    fn cooccurring_counts_shared_articles() {
        let a = vec![m(Kind::Person, "biden"), m(Kind::Place, "syria")];
        let b = vec![m(Kind::Person, "biden"), m(Kind::Place, "syria"), m(Kind::Place, "iran")];
        let facts = [
            ArticleFacts { date: None, slug: "a", mentions: &a },
            ArticleFacts { date: None, slug: "b", mentions: &b },
        ];
        let index = link(&facts, 5, 10);
        let biden = &index.entities[&(Kind::Person, "biden".to_string())];
        assert_eq!(
            biden.cooccurring,
            [((Kind::Place, "syria".to_string()), 2), ((Kind::Place, "iran".to_string()), 1)]
        );
    }
}
