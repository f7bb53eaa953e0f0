//! `robots.txt`: every page may be crawled; the sitemap's address when there is one (when
//! `base_url` is absolute). Crawlers read it only at a host's root.

use super::{sitemap, Output};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Robots;

impl Output for Robots {
    type Page = ();

    fn pages(&self, _: &Site) -> Vec<()> {
        vec![()]
    }

    fn route(&self, _: &Site, _: &()) -> Route {
        Route::file("robots.txt")
    }

    fn view<'s>(&self, site: &'s Site, _: &(), view: &mut View<'s>) -> Result<()> {
        let mut text = String::from("User-agent: *\nAllow: /\n");
        if let Some(sitemap) = site.absolute(&sitemap::Sitemap.route(site, &0)) {
            text.push_str(&format!("Sitemap: {sitemap}\n"));
        }
        view.bytes(text.into_bytes());
        Ok(())
    }
}
