//! Discovered entities across the archive: which entity each name the tagger found stands
//! for, and whether it gets a page.
//!
//! A name is its folded words, so the same full name is one entity in every article. A
//! surname alone (one the article did not join to a full name) stands for the one person
//! of the archive whose name ends with it, curated or discovered, and for no one when
//! several do. A discovered entity gets a page when at least `min_articles` articles name
//! it; its other mentions stay highlighted, without a link. Types never merge.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::ArchiveIndex;
use crate::arabic::fold::{fold, single_spaced};
use crate::domain::{EntityKey, EntityRef, Kind, Mention};
use crate::recognise::names::id_of;
use crate::recognise::Gazetteer;

/// Decides the entity and page of every discovered mention of `articles` (each article's
/// mentions); returns the articles where a mention changed. It reads only what
/// recognition found (`Discovered::key`), so running it again after an edit gives what a
/// first run gives.
pub fn resolve(articles: &mut [&mut Vec<Mention>], gazetteer: &Gazetteer, min_articles: usize) -> BTreeSet<usize> {
    let targets = targets(articles, gazetteer);
    // Articles naming each discovered entity.
    let mut articles_of: FxHashMap<EntityRef, usize> = FxHashMap::default();
    let named: Vec<Vec<EntityRef>> = articles
        .par_iter()
        .zip(&targets)
        .map(|(mentions, found)| {
            let mut mine: Vec<EntityRef> = found.iter().map(|(i, id)| EntityRef::new(mentions[*i].kind, id)).collect();
            mine.sort_unstable();
            mine.dedup();
            mine
        })
        .collect();
    for key in named.into_iter().flatten() {
        *articles_of.entry(key).or_default() += 1;
    }
    let changed: Vec<bool> = articles
        .par_iter_mut()
        .zip(&targets)
        .map(|(mentions, found)| {
            let mut changed = false;
            for (i, entity) in found {
                let m = &mut mentions[*i];
                let curated = gazetteer.get(entity).is_some_and(|e| Kind::from(e.kind) == m.kind);
                let page =
                    curated || articles_of.get(&EntityRef::new(m.kind, entity)).is_some_and(|&n| n >= min_articles);
                let d = m.discovered.as_mut().map(|d| &mut d.page);
                if m.entity != *entity || d.as_deref() != Some(&page) {
                    changed = true;
                    m.entity.clone_from(entity);
                    if let Some(slot) = d {
                        *slot = page;
                    }
                }
            }
            changed
        })
        .collect();
    changed.into_iter().enumerate().filter_map(|(a, changed)| changed.then_some(a)).collect()
}

/// Someone named in full who carries a surname, told apart by entity id: a discovered
/// name a curator has since added under the id it had is one person, not two.
enum Carrier<'a> {
    /// A curated person, by id.
    Curated(&'a str),
    /// A discovered full name, by key.
    Found(&'a str),
}

impl Carrier<'_> {
    fn id(&self) -> String {
        match self {
            Carrier::Curated(id) => id.to_string(),
            Carrier::Found(key) => id_of(key),
        }
    }

    /// The bytes of [`Carrier::id`], without making it: ids compare as strings do.
    fn id_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let (text, found) = match self {
            Carrier::Curated(id) => (id, false),
            Carrier::Found(key) => (key, true),
        };
        text.bytes().map(move |b| if found && b == b' ' { b'-' } else { b })
    }
}

impl Ord for Carrier<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id_bytes().cmp(other.id_bytes())
    }
}

impl PartialOrd for Carrier<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Carrier<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Carrier<'_> {}

/// The entity each discovered mention stands for, by article: (mention, id) pairs.
fn targets(articles: &[&mut Vec<Mention>], gazetteer: &Gazetteer) -> Vec<Vec<(usize, String)>> {
    let people = || articles.iter().flat_map(|a| a.iter()).filter(|m| m.kind == Kind::Person);
    // Each curated person's surname, folded once, not at each mention.
    let mut curated_surname: FxHashMap<&str, Option<String>> = FxHashMap::default();
    for m in people().filter(|m| m.discovered.is_none()) {
        curated_surname.entry(&m.entity).or_insert_with(|| {
            gazetteer.get(&m.entity).and_then(|e| fold(&e.name).split_whitespace().last().map(String::from))
        });
    }
    // Everyone named in full, by surname: discovered full names and curated people.
    let mut by_surname: FxHashMap<&str, BTreeSet<Carrier>> = FxHashMap::default();
    for m in people() {
        let (surname, carrier) = match &m.discovered {
            Some(d) => match d.key.rsplit_once(' ') {
                Some((_, surname)) => (surname, Carrier::Found(&d.key)),
                None => continue,
            },
            None => match curated_surname.get(m.entity.as_str()) {
                Some(Some(surname)) => (surname.as_str(), Carrier::Curated(&m.entity)),
                _ => continue,
            },
        };
        by_surname.entry(surname).or_default().insert(carrier);
    }
    let target = |m: &Mention| -> Option<String> {
        let d = m.discovered.as_ref()?;
        let lone = m.kind == Kind::Person && !d.key.contains(' ');
        let carrier = by_surname.get(d.key.as_str()).filter(|c| lone && c.len() == 1).and_then(|c| c.first());
        Some(carrier.map_or_else(|| id_of(&d.key), Carrier::id))
    };
    articles
        .par_iter()
        .map(|mentions| mentions.iter().enumerate().filter_map(|(i, m)| Some((i, target(m)?))).collect())
        .collect()
}

/// Where the page of a discovered entity went once a curator added it to the gazetteer:
/// for each way the archive writes a curated entity, the id the tagger would have given
/// that spelling leads to the curated entity of the same type, unless an entity of its own
/// has that page. Sorted, so the same archive gives the same pages.
pub fn redirects(index: &ArchiveIndex, gazetteer: &Gazetteer) -> BTreeMap<EntityKey, EntityKey> {
    let mut out: BTreeMap<EntityKey, Option<EntityKey>> = BTreeMap::new();
    for (key, entity) in &index.entities {
        if !key.kind.is_named() || gazetteer.get(&key.id).is_none() {
            continue;
        }
        for (spelling, _) in &entity.spellings {
            let old = EntityKey::new(key.kind, id_of(&single_spaced(&fold(spelling))));
            if old == *key || index.entities.contains_key(&old) {
                continue;
            }
            // Two curated entities written alike: neither may claim the old page.
            out.entry(old).and_modify(|to| *to = to.take().filter(|t| t == key)).or_insert(Some(key.clone()));
        }
    }
    out.into_iter().filter_map(|(old, to)| Some((old, to?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Discovered;

    fn found(kind: Kind, key: &str) -> Mention {
        Mention {
            span: 0..1,
            kind,
            entity: String::new(),
            amount: None,
            discovered: Some(Box::new(Discovered { key: key.into(), page: false })),
        }
    }

    fn curated(id: &str) -> Mention {
        Mention { span: 0..1, kind: Kind::Person, entity: id.into(), amount: None, discovered: None }
    }

    const GAZETTEER: &str = "[[entity]]\nid = \"joe-biden\"\ntype = \"person\"\nname = \"جو بايدن\"\n";

    fn run(mut articles: Vec<Vec<Mention>>, min: usize) -> (Vec<Vec<(String, bool)>>, BTreeSet<usize>) {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let mut refs: Vec<&mut Vec<Mention>> = articles.iter_mut().collect();
        let changed = resolve(&mut refs, &g, min);
        let out = articles.iter().map(|a| a.iter().map(|m| (m.entity.clone(), m.has_page())).collect()).collect();
        (out, changed)
    }

    #[test]
    fn a_lone_surname_joins_the_one_person_who_carries_it() {
        let (out, changed) = run(
            vec![
                vec![found(Kind::Person, "دونالد ترامب")],
                vec![found(Kind::Person, "ترامب"), found(Kind::Person, "بايدن")],
                vec![curated("joe-biden")],
            ],
            1,
        );
        assert_eq!(out[1], [("دونالد-ترامب".to_string(), true), ("joe-biden".to_string(), true)]);
        assert_eq!(changed, BTreeSet::from([0, 1]));
    }

    #[test]
    fn a_discovered_name_curated_under_its_id_is_still_one_carrier() {
        // Curated under the id the tagger gave the name (ids are Latin: so is the name).
        let gazetteer =
            format!("{GAZETTEER}[[entity]]\nid = \"donald-trump\"\ntype = \"person\"\nname = \"donald trump\"\n");
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), &gazetteer).unwrap();
        let mut articles = [
            vec![curated("donald-trump")],
            // Where the gazetteer's matcher missed it, the tagger found it: the same id.
            vec![found(Kind::Person, "donald trump"), found(Kind::Person, "trump")],
        ];
        let mut refs: Vec<&mut Vec<Mention>> = articles.iter_mut().collect();
        resolve(&mut refs, &g, 1);
        assert_eq!(articles[1][1].entity, "donald-trump", "the surname joins the one person");
    }

    #[test]
    fn two_people_with_a_surname_keep_it_apart_and_types_never_merge() {
        let (out, _) = run(
            vec![
                vec![found(Kind::Person, "احمد الاسعد"), found(Kind::Person, "سامي الاسعد")],
                vec![found(Kind::Person, "الاسعد"), found(Kind::Place, "ترامب")],
                vec![found(Kind::Person, "دونالد ترامب")],
            ],
            1,
        );
        assert_eq!(out[1], [("الاسعد".to_string(), true), ("ترامب".to_string(), true)]);
    }

    #[test]
    fn a_page_needs_enough_articles_and_a_second_run_changes_nothing() {
        let mut articles = [
            vec![found(Kind::Organization, "حزب مصر القويه")],
            vec![found(Kind::Organization, "حزب مصر القويه"), found(Kind::Place, "طلوزه")],
        ];
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let mut refs: Vec<&mut Vec<Mention>> = articles.iter_mut().collect();
        assert_eq!(resolve(&mut refs, &g, 2), BTreeSet::from([0, 1]));
        assert!(resolve(&mut refs, &g, 2).is_empty(), "the same input, the same result");
        assert!(articles[0][0].has_page() && !articles[1][1].has_page());
        assert_eq!(articles[1][1].entity, "طلوزه", "no page, but an id all the same");
    }

    #[test]
    fn a_curated_entity_takes_over_the_pages_of_the_ids_its_spellings_had() {
        let person = |id: &str| EntityKey::new(Kind::Person, id);
        let mut index = ArchiveIndex::default();
        let biden = super::super::EntityIndex {
            spellings: vec![("بايدن".into(), 3), ("جو بايدن".into(), 1)],
            ..Default::default()
        };
        index.entities.insert(person("joe-biden"), biden);
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let r = redirects(&index, &g);
        assert_eq!(r.get(&person("جو-بايدن")), Some(&person("joe-biden")));
        assert_eq!(r.get(&person("بايدن")), Some(&person("joe-biden")));
        assert!(!r.keys().any(|k| k.kind != Kind::Person), "under the curated type only");
        index.entities.insert(person("بايدن"), Default::default());
        assert!(!redirects(&index, &g).contains_key(&person("بايدن")), "a page of its own stays");
    }
}
