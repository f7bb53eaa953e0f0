//! Each type's index, `paginate.entities` entities a page: names in Arabic alphabetical
//! order, dates in time order, under a heading per letter (or year).

use std::sync::Arc;

use serde::Serialize;

use super::pager::{page_count, page_of, Pager};
use super::Output;
use crate::arabic::sort::{compare_keys, sort_key};
use crate::domain::{EntityKey, IsoDate, Kind};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::{EntityLink, Site};
use crate::render::view::View;

pub struct KindIndex;

/// Where the index of `kind` is.
pub fn route(kind: Kind) -> Route {
    Route::folder(&["entities", kind.as_str()])
}

/// The entities of `kind` in the index's order, each with the key it sorts by: made once per
/// type and shared by its pages, since every page of the index needs the whole order.
fn in_order(site: &Site, kind: Kind) -> Vec<(String, EntityKey)> {
    let mut entities: Vec<(String, String, &EntityKey)> = site
        .index
        .entities
        .keys()
        .filter(|k| k.kind == kind)
        .map(|k| {
            let name = site.entity_name(k);
            // Dates read in time order; names in Arabic alphabetical order.
            let key = if kind == Kind::Date { k.id.clone() } else { sort_key(&name) };
            (key, name, k)
        })
        .collect();
    entities.sort_by(|a, b| {
        let by_key = if kind == Kind::Date { a.0.cmp(&b.0) } else { compare_keys(&a.0, &b.0) };
        by_key.then_with(|| a.1.cmp(&b.1))
    });
    entities.into_iter().map(|(key, _, k)| (key, k.clone())).collect()
}

impl Output for KindIndex {
    /// The type, a page number from 1, and the type's entities in order.
    type Page = (Kind, usize, Arc<Vec<(String, EntityKey)>>);

    /// Every type has an index, even one without entities yet: its link is stable.
    fn pages(&self, site: &Site) -> Vec<Self::Page> {
        let per_page = site.config.paginate.entities;
        let mut pages = Vec::new();
        for kind in Kind::ALL {
            let entities = Arc::new(in_order(site, kind));
            pages.extend((1..=page_count(entities.len(), per_page)).map(|n| (kind, n, Arc::clone(&entities))));
        }
        pages
    }

    fn route(&self, _: &Site, (kind, number, _): &Self::Page) -> Route {
        route(*kind).page(*number)
    }

    fn view<'s>(&self, site: &'s Site, (kind, number, entities): &Self::Page, view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct Section<'s> {
            heading: String,
            entities: Vec<EntityLink<'s>>,
        }
        let (kind, number) = (*kind, *number);
        let per_page = site.config.paginate.entities;
        let mut sections: Vec<Section> = Vec::new();
        for (key, entity) in page_of(entities, per_page, number) {
            let count = site.index.entities.get(entity).map_or(0, |e| e.articles.len());
            let link = site.entity_link(entity.borrowed(), count);
            let heading = match kind {
                Kind::Date => IsoDate::parse(key).map(|d| d.year().to_string()).unwrap_or_default(),
                _ => key.chars().next().map(String::from).unwrap_or_default(),
            };
            match sections.last_mut() {
                Some(s) if s.heading == heading => s.entities.push(link),
                _ => sections.push(Section { heading, entities: vec![link] }),
            }
        }
        view.insert("kind", &site.counted_kind(kind));
        view.insert("sections", &sections);
        view.insert("pager", &Pager::new(site, &route(kind), number, page_count(entities.len(), per_page)));
        view.template("entities.html");
        Ok(())
    }
}
