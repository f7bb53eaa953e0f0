//! `sitemap.xml` (sitemaps.org): the first page of every list and every article and entity
//! page, for search engines. Its addresses must be absolute, so it is made only when
//! `base_url` is (`https://…`); past 50,000 addresses, the protocol's limit for one file, it
//! is an index of `sitemap-N.xml` files.

use super::{article, article_list, entity, kind_index, Output};
use crate::error::Result;
use crate::render::html::escape;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Sitemap;

/// Addresses one file may hold.
const PER_FILE: usize = 50_000;

/// Every page listed, in the order the site is built.
fn routes(site: &Site) -> Vec<Route> {
    let mut routes = vec![Route::folder::<&str>(&[]), article_list::route()];
    routes.extend(site.articles.iter().map(|a| article::route(&a.article.slug)));
    routes.extend(site.kinds().into_iter().map(kind_index::route));
    routes.extend(site.index.entities.keys().map(entity::route));
    routes
}

impl Output for Sitemap {
    /// 0 for `sitemap.xml`, N for `sitemap-N.xml` when there are more files than one.
    type Page = usize;

    fn pages(&self, site: &Site) -> Vec<usize> {
        if site.absolute(&Route::folder::<&str>(&[])).is_none() {
            return Vec::new();
        }
        match routes(site).len().div_ceil(PER_FILE) {
            0 | 1 => vec![0],
            files => (0..=files).collect(),
        }
    }

    fn route(&self, _: &Site, &file: &usize) -> Route {
        match file {
            0 => Route::file("sitemap.xml"),
            n => Route::file(&format!("sitemap-{n}.xml")),
        }
    }

    fn view<'s>(&self, site: &'s Site, &file: &usize, view: &mut View<'s>) -> Result<()> {
        let routes = routes(site);
        let files = routes.len().div_ceil(PER_FILE);
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let entry = |tag: &str, href: String| format!("  <{tag}><loc>{}</loc></{tag}>\n", escape(&href));
        if file == 0 && files > 1 {
            xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for n in 1..=files {
                xml.push_str(&entry("sitemap", site.absolute(&self.route(site, &n)).unwrap_or_default()));
            }
            xml.push_str("</sitemapindex>\n");
        } else {
            xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            let chunk = routes.chunks(PER_FILE).nth(file.saturating_sub(1)).unwrap_or_default();
            for route in chunk {
                xml.push_str(&entry("url", site.absolute(route).unwrap_or_default()));
            }
            xml.push_str("</urlset>\n");
        }
        view.bytes(xml.into_bytes());
        Ok(())
    }
}
