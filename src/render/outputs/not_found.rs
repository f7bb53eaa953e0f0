//! `404.html`: what a static host shows for a link to a page the archive does not have.
//! An archive whose templates folder has no `404.html` (made before it existed) goes without.
//! Its links lead from `base_url`, so it works at any depth only where that is set.

use super::Output;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct NotFound;

const TEMPLATE: &str = "404.html";

impl Output for NotFound {
    type Page = ();

    fn pages(&self, site: &Site) -> Vec<()> {
        site.has_template(TEMPLATE).then_some(()).into_iter().collect()
    }

    fn route(&self, _: &Site, _: &()) -> Route {
        Route::file("404.html")
    }

    fn view<'s>(&self, site: &'s Site, _: &(), view: &mut View<'s>) -> Result<()> {
        view.insert("article_count", &site.articles.len());
        view.insert("all_articles_url", &site.href(&super::article_list::route()));
        // A host shows this page at any address, however deep: its links start from
        // base_url, not from where the page happens to be.
        view.insert("root", &site.config.base());
        view.template(TEMPLATE);
        Ok(())
    }
}
