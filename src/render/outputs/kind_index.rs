//! Each type's index, `paginate.entities` entities a page: names in Arabic alphabetical
//! order, dates in time order, under a heading per letter (or year).

use serde::Serialize;

use super::pager::{page_count, page_of, Pager};
use super::Output;
use crate::arabic::sort::{compare_keys, sort_key};
use crate::error::Result;
use crate::recognise::Kind;
use crate::render::route::Route;
use crate::render::site::{EntityLink, Site};
use crate::render::view::View;

pub struct KindIndex;

/// Where the index of `kind` is.
pub fn route(kind: Kind) -> Route {
    Route::folder(&["entities", kind.as_str()])
}

/// The number of entities of `kind` with pages.
fn count(site: &Site, kind: Kind) -> usize {
    site.index.entities.keys().filter(|k| k.0 == kind).count()
}

impl Output for KindIndex {
    /// The type, and a page number from 1.
    type Page = (Kind, usize);

    /// Every type has an index, even one without entities yet: its link is stable.
    fn pages(&self, site: &Site) -> Vec<(Kind, usize)> {
        let per_page = site.config.paginate.entities;
        Kind::ALL
            .into_iter()
            .flat_map(|kind| (1..=page_count(count(site, kind), per_page)).map(move |n| (kind, n)))
            .collect()
    }

    fn route(&self, _: &Site, &(kind, number): &(Kind, usize)) -> Route {
        route(kind).page(number)
    }

    fn view<'s>(&self, site: &'s Site, &(kind, number): &(Kind, usize), view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct Section<'s> {
            heading: String,
            entities: Vec<EntityLink<'s>>,
        }
        let mut entities: Vec<(String, EntityLink<'_>)> = site
            .index
            .entities
            .iter()
            .filter(|(k, _)| k.0 == kind)
            .map(|(k, e)| {
                let link = site.entity_link(k, e.articles.len());
                // Dates read in time order; names in Arabic alphabetical order.
                let key = if kind == Kind::Date { k.1.clone() } else { sort_key(&link.name) };
                (key, link)
            })
            .collect();
        entities.sort_by(|a, b| {
            let by_key = if kind == Kind::Date { a.0.cmp(&b.0) } else { compare_keys(&a.0, &b.0) };
            by_key.then_with(|| a.1.name.cmp(&b.1.name))
        });
        let per_page = site.config.paginate.entities;
        let mut sections: Vec<Section> = Vec::new();
        for (key, link) in page_of(&entities, per_page, number) {
            let heading = match kind {
                Kind::Date => key.chars().take(4).collect(),
                _ => key.chars().next().map(String::from).unwrap_or_default(),
            };
            match sections.last_mut() {
                Some(s) if s.heading == heading => s.entities.push(link.clone()),
                _ => sections.push(Section { heading, entities: vec![link.clone()] }),
            }
        }
        view.insert("kind", &site.counted_kind(kind));
        view.insert("sections", &sections);
        view.insert("pager", &Pager::new(site, &route(kind), number, page_count(entities.len(), per_page)));
        view.template("entities.html");
        Ok(())
    }
}
