//! The home page: the latest articles, and the most mentioned entities of each type.

use serde::Serialize;

use super::{article_list, feed, Output};
use crate::domain::EntityKey;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::{ArticleLink, CountedKind, EntityLink, Site};
use crate::render::view::View;

pub struct Home;

impl Output for Home {
    type Page = ();

    fn pages(&self, _: &Site) -> Vec<()> {
        vec![()]
    }

    fn route(&self, _: &Site, _: &()) -> Route {
        Route::folder::<&str>(&[])
    }

    fn view<'s>(&self, site: &'s Site, _: &(), view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct Top<'s> {
            kind: CountedKind,
            entities: Vec<EntityLink<'s>>,
        }
        let latest = site.config.home.latest_articles;
        let articles: Vec<&ArticleLink> =
            site.index.chronological.iter().rev().take(latest).map(|&a| site.article_link(a)).collect();
        let top: Vec<Top> = site
            .kinds()
            .into_iter()
            .map(|kind| {
                let mut entities: Vec<(&EntityKey, usize)> = site
                    .index
                    .entities
                    .iter()
                    .filter(|(k, _)| k.kind == kind)
                    .map(|(k, e)| (k, e.mentions.len()))
                    .collect();
                entities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                entities.truncate(site.config.home.top_entities);
                Top {
                    kind: site.counted_kind(kind),
                    entities: entities.into_iter().map(|(k, n)| site.entity_link(k.borrowed(), n)).collect(),
                }
            })
            .collect();
        view.insert("articles", &articles);
        view.insert("article_count", &site.articles.len());
        view.insert("all_articles_url", &site.href(&article_list::route()));
        view.insert("top", &top);
        view.insert("feed_url", &feed::archive_feed(site));
        view.template("index.html");
        Ok(())
    }
}
