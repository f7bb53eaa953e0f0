//! `/articles/`: every article, newest first, a page at a time.

use super::pager::{page_count, Pager};
use super::Output;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::{ArticleLink, Site};
use crate::render::view::View;

pub struct ArticleList;

/// The list's first page.
pub fn route() -> Route {
    Route::folder(&["articles"])
}

impl Output for ArticleList {
    /// A page number, from 1.
    type Page = usize;

    fn pages(&self, site: &Site) -> Vec<usize> {
        (1..=page_count(site.articles.len(), site.config.paginate.articles)).collect()
    }

    fn route(&self, _: &Site, &number: &usize) -> Route {
        route().page(number)
    }

    fn view<'s>(&self, site: &'s Site, &number: &usize, view: &mut View<'s>) -> Result<()> {
        let per_page = site.config.paginate.articles;
        let newest_first = site.index.chronological.iter().rev().skip((number - 1) * per_page.max(1));
        let articles: Vec<&ArticleLink> = newest_first.take(per_page.max(1)).map(|&a| site.article_link(a)).collect();
        view.insert("articles", &articles);
        view.insert("article_count", &site.articles.len());
        view.insert("first_number", &(site.articles.len() - (number - 1) * per_page));
        view.insert("pager", &Pager::new(site, &route(), number, page_count(site.articles.len(), per_page)));
        view.template("articles.html");
        Ok(())
    }
}
