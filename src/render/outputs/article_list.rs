//! `/articles/`: every article, newest first (those without a date last), a page at a
//! time, pages cut between years.

use std::sync::Arc;

use chrono::Datelike;

use super::pager::{Cut, Pager};
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

/// Articles in the order of the lists by date, and their pages.
pub struct ByDate {
    /// Newest first, then those without a date, by slug.
    pub articles: Vec<usize>,
    pub cut: Cut,
}

impl ByDate {
    /// `articles`, in the order [`newest_first`] gives, `size` a page.
    pub fn new(site: &Site, articles: Vec<usize>, size: usize) -> ByDate {
        let years = articles.iter().map(|&a| site.articles[a].article.meta.date.map(|d| d.year()));
        ByDate { cut: Cut::by_year(years, size), articles }
    }

    /// Page `number`'s articles, as linked.
    pub fn page<'s>(&self, site: &'s Site, number: usize) -> Vec<&'s ArticleLink> {
        self.articles[self.cut.pages[number - 1].clone()].iter().map(|&a| site.article_link(a)).collect()
    }

    /// Page numbers, from 1.
    pub fn numbers(&self) -> std::ops::RangeInclusive<usize> {
        1..=self.cut.pages.len()
    }
}

/// Every article, newest first, then those without a date, by slug.
pub fn newest_first(site: &Site) -> Vec<usize> {
    let chronological = &site.index.chronological;
    let dated = chronological.partition_point(|&a| site.articles[a].article.meta.date.is_some());
    chronological[..dated].iter().rev().chain(&chronological[dated..]).copied().collect()
}

/// Every article, as the list orders and pages them.
pub fn by_date(site: &Site) -> ByDate {
    ByDate::new(site, newest_first(site), site.config.paginate.articles)
}

impl Output for ArticleList {
    /// A page number, from 1, and the list cut in pages.
    type Page = (usize, Arc<ByDate>);

    fn pages(&self, site: &Site) -> Vec<Self::Page> {
        let list = Arc::new(by_date(site));
        list.numbers().map(|n| (n, Arc::clone(&list))).collect()
    }

    fn route(&self, _: &Site, (number, _): &Self::Page) -> Route {
        route().page(*number)
    }

    fn view<'s>(&self, site: &'s Site, (number, list): &Self::Page, view: &mut View<'s>) -> Result<()> {
        view.insert("articles", &list.page(site, *number));
        view.insert("article_count", &site.articles.len());
        view.insert("first_number", &(site.articles.len() - list.cut.pages[number - 1].start));
        view.insert("pager", &Pager::by_year(site, &route(), *number, &list.cut));
        view.template("articles.html");
        Ok(())
    }
}
