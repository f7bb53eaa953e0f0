//! The page a discovered entity had, once a curated entity took its place: it sends the
//! reader on, so that links and citations made to the old URL keep working.

use super::{entity, Output};
use crate::domain::EntityKey;
use crate::error::Result;
use crate::render::html::{escape, isolate};
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Redirects;

impl Output for Redirects {
    /// The discovered entity whose page it was.
    type Page = EntityKey;

    fn pages(&self, site: &Site) -> Vec<EntityKey> {
        site.redirects.keys().cloned().collect()
    }

    fn route(&self, _: &Site, old: &EntityKey) -> Route {
        entity::route(old)
    }

    /// Made here rather than by a template, as it shows nothing of its own.
    fn view<'s>(&self, site: &'s Site, old: &EntityKey, view: &mut View<'s>) -> Result<()> {
        let Some(to) = site.redirects.get(old) else { return Ok(()) };
        let url = escape(&site.href(&entity::route(to)));
        let name = isolate(&site.entity_name(to));
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; base-uri 'self'\">\n\
             <base href=\"{root}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n\
             <meta name=\"robots\" content=\"noindex\">\n<title>{name}</title>\n</head>\n<body>\n\
             <p>صار لهذا الكيان مدخل في المعجم: <a href=\"{url}\">{name}</a>.</p>\n</body>\n</html>\n",
            root = entity::route(old).root(),
            lang = escape(&site.config.lang),
            dir = escape(&site.config.dir),
        );
        view.bytes(page.into_bytes());
        Ok(())
    }
}
