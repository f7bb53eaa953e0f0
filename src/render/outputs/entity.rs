//! Each entity's pages: what it is, then its mentions in their sentences, grouped by
//! article in date order, `paginate.timeline` articles a page.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use super::pager::{page_count, page_of, Pager};
use super::Output;
use super::{feed, kind_index};
use crate::domain::{EntityKey, Kind};
use crate::error::Result;
use crate::link::EntityIndex;
use crate::render::route::Route;
use crate::render::site::{ArticleLink, EntityLink, Site};
use crate::render::view::{Costly, Float, View};
use crate::render::{html, snippet};

pub struct Entities;

/// Where the pages of the entity of `key` are.
pub fn route(key: &EntityKey) -> Route {
    Route::folder(&["entities", key.kind.as_str(), &key.id])
}

/// An entity's mentions by article, in the index's order (articles oldest first): each
/// run is where one article's (article, mention) pairs are in `index.mentions`.
fn by_article(index: &EntityIndex) -> Vec<Range<usize>> {
    let mut start = 0;
    index
        .mentions
        .chunk_by(|x, y| x.0 == y.0)
        .map(|run| {
            start += run.len();
            start - run.len()..start
        })
        .collect()
}

/// The articles an entity's pages list, oldest first: those that mention it.
pub fn articles(index: &EntityIndex) -> impl DoubleEndedIterator<Item = usize> + '_ {
    index.mentions.chunk_by(|x, y| x.0 == y.0).map(|run| run[0].0)
}

impl Output for Entities {
    /// The entity, a page number from 1, and its mentions by article ([`by_article`]),
    /// found once for all its pages: a large entity has hundreds.
    type Page = (EntityKey, usize, Arc<Vec<Range<usize>>>);

    fn pages(&self, site: &Site) -> Vec<Self::Page> {
        let per_page = site.config.paginate.timeline;
        let mut pages = Vec::with_capacity(site.index.entities.len());
        for (key, index) in &site.index.entities {
            let runs = Arc::new(by_article(index));
            pages.extend((1..=page_count(runs.len(), per_page)).map(|n| (key.clone(), n, Arc::clone(&runs))));
        }
        pages
    }

    fn route(&self, _: &Site, (key, number, _): &Self::Page) -> Route {
        route(key).page(*number)
    }

    fn view<'s>(&self, site: &'s Site, (key, number, runs): &Self::Page, view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct EntityView<'v> {
            id: &'v str,
            kind: Kind,
            kind_label: &'static str,
            kind_plural: &'static str,
            kind_url: String,
            url: String,
            name: String,
            name_en: Option<&'v str>,
            description: Option<&'v str>,
            wikidata: Option<&'v str>,
            coords: Option<[Float; 2]>,
            parent: Option<EntityLink<'v>>,
            aliases: Vec<&'v str>,
            aliases_seen: Vec<Seen<'v>>,
            mention_count: usize,
            article_count: usize,
            /// Found by the tagger, not curated.
            discovered: bool,
        }
        #[derive(Serialize, Hash)]
        struct Seen<'v> {
            text: &'v str,
            count: usize,
        }
        /// A mention in its sentence. The three parts are HTML already (escaped, Latin runs
        /// isolated): there are many on an entity page, and Rust does it faster than a filter.
        #[derive(Serialize, Hash)]
        struct MentionView {
            href: String,
            before_html: String,
            text_html: String,
            after_html: String,
            amount: Option<String>,
        }
        #[derive(Serialize, Hash)]
        struct InArticle<'v> {
            article: &'v ArticleLink,
            mentions: Costly<Vec<MentionView>>,
            /// Mentions in this article beyond those shown.
            more: usize,
        }
        let index = &site.index.entities[key];
        let kind = key.kind;
        let entry = site.gazetteer_entry(key);
        // A parent without a page of its own is named, not linked.
        let parent = site.parent_key(key).map(|p| {
            let link = site.entity_link(p.borrowed(), 0);
            if site.index.entities.contains_key(&p) {
                link
            } else {
                link.unlinked()
            }
        });
        let shown = site.config.paginate.mentions_per_article;
        let context_words = site.config.entities.context_words;
        let in_article = |group: &[(usize, usize)]| -> Result<InArticle> {
            let a = group[0].0;
            let annotated = &site.articles[a];
            let text = annotated.article.text.as_str();
            let article = site.article_link(a);
            let mentions = view.costly((annotated.stamp, &article.url, group), || {
                let views: Vec<MentionView> = group
                    .iter()
                    .take(shown)
                    .map(|&(_, i)| {
                        let m = &annotated.mentions[i];
                        let (before, after) = snippet::around(text, m.span.clone(), context_words);
                        MentionView {
                            href: format!("{}#{}", article.url, m.anchor()),
                            before_html: html::isolate(&before),
                            text_html: html::isolate(&text[m.span.clone()]),
                            after_html: html::isolate(&after),
                            amount: m.amount.map(|(n, q)| q.map_or(n.to_string(), |q| format!("{q} {n}"))),
                        }
                    })
                    .collect();
                Ok(views)
            })?;
            Ok(InArticle { article, mentions, more: group.len().saturating_sub(shown) })
        };
        let entity = EntityView {
            id: &key.id,
            kind,
            kind_label: kind.label(),
            kind_plural: kind.plural_label(),
            kind_url: site.href(&kind_index::route(kind)),
            url: site.href(&route(key)),
            name: site.entity_name(key),
            name_en: entry.and_then(|e| e.name_en.as_deref()),
            description: entry.and_then(|e| e.description.as_deref()),
            wikidata: entry.and_then(|e| e.wikidata.as_deref()),
            coords: entry.and_then(|e| e.coords).map(|[a, b]| [Float(a), Float(b)]),
            parent,
            aliases: entry.map(|e| e.aliases.iter().map(String::as_str).collect()).unwrap_or_default(),
            aliases_seen: index.spellings.iter().map(|(text, count)| Seen { text, count: *count }).collect(),
            mention_count: index.mentions.len(),
            article_count: index.articles.len(),
            discovered: site.is_discovered(key),
        };
        let cooccurring: Vec<EntityLink<'_>> =
            index.cooccurring.iter().map(|(k, n)| site.entity_link(k.borrowed(), *n)).collect();
        let days: Vec<EntityLink<'_>> = index
            .days
            .iter()
            .map(|day| {
                let count = site.index.entities.get(day).map_or(0, |e| e.articles.len());
                site.entity_link(day.borrowed(), count)
            })
            .collect();
        let per_page = site.config.paginate.timeline;
        let timeline: Vec<InArticle> = page_of(runs, per_page, *number)
            .iter()
            .map(|run| in_article(&index.mentions[run.clone()]))
            .collect::<Result<_>>()?;
        view.insert("entity", &entity);
        view.insert("cooccurring", &cooccurring);
        view.insert("days", &days);
        view.insert("feed_url", &feed::entity_feed(site, key));
        view.insert("timeline", &timeline);
        view.insert("pager", &Pager::new(site, &route(key), *number, page_count(runs.len(), per_page)));
        view.template("entity.html");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_is_grouped_by_article() {
        let index = EntityIndex { mentions: vec![(4, 0), (4, 1), (2, 0), (7, 3)], ..EntityIndex::default() };
        assert_eq!(by_article(&index), [0..2, 2..3, 3..4]);
        assert!(by_article(&EntityIndex::default()).is_empty());
    }
}
