//! Atom feeds (RFC 4287): `feed.xml`, the archive's newest articles, and `feed.xml` beside
//! each entity's page, the newest articles that page lists; [`ENTRIES`] each at most.
//!
//! An entry must say when it was updated, so only dated articles are entries, and a feed
//! with none is not made. Atom ids must be absolute IRIs, and must not change: a page's
//! web address when `base_url` is absolute; else a `urn:uuid:` named from the site's title
//! and the page's path (RFC 9562, version 8 from SHA-256), which stays as long as both do.
//! Links are absolute when they can be, else relative to the feed's own file, so that a
//! feed fetched from any origin or opened from disk leads to the pages beside it.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use sha2::{Digest, Sha256};

use super::{entity, Output};
use crate::content::load::hex;
use crate::domain::EntityKey;
use crate::error::Result;
use crate::render::html::xml_escape;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::{digest, View};

pub struct Feeds;

/// Entries a feed holds at most: the newest.
pub const ENTRIES: usize = 50;

/// Where the archive's feed is.
pub fn archive_route() -> Route {
    Route::file("feed.xml")
}

/// Where the feed of the entity of `key` is: beside its page.
pub fn entity_route(key: &EntityKey) -> Route {
    entity::route(key).file_in("feed.xml")
}

/// The link to the archive's feed, when it has one.
pub fn archive_feed(site: &Site) -> Option<String> {
    any_dated(site, site.index.chronological.iter().copied()).then(|| site.href(&archive_route()))
}

/// The link to the feed of the entity of `key`, when it has one.
pub fn entity_feed(site: &Site, key: &EntityKey) -> Option<String> {
    let index = site.index.entities.get(key)?;
    any_dated(site, entity::articles(index)).then(|| site.href(&entity_route(key)))
}

fn any_dated(site: &Site, mut articles: impl Iterator<Item = usize>) -> bool {
    articles.any(|a| site.articles[a].article.meta.published_at().is_some())
}

/// The newest dated articles of `articles` (given oldest first), newest first, with when
/// each was published.
fn newest(site: &Site, articles: impl DoubleEndedIterator<Item = usize>) -> Vec<(usize, DateTime<FixedOffset>)> {
    let mut entries: Vec<_> = articles
        .rev()
        .filter_map(|a| site.articles[a].article.meta.published_at().map(|at| (a, at)))
        .take(ENTRIES)
        .collect();
    // Articles are in order by day; a time written orders those of one day.
    entries.sort_by_key(|&(_, at)| std::cmp::Reverse(at));
    entries
}

impl Output for Feeds {
    /// The entity whose feed it is; none for the archive's.
    type Page = Option<EntityKey>;

    fn pages(&self, site: &Site) -> Vec<Option<EntityKey>> {
        let archive = any_dated(site, site.index.chronological.iter().copied()).then_some(None);
        let entities = site.index.entities.iter().filter(|(_, index)| any_dated(site, entity::articles(index)));
        archive.into_iter().chain(entities.map(|(key, _)| Some(key.clone()))).collect()
    }

    fn route(&self, _: &Site, page: &Option<EntityKey>) -> Route {
        page.as_ref().map_or_else(archive_route, entity_route)
    }

    fn view<'s>(&self, site: &'s Site, page: &Option<EntityKey>, view: &mut View<'s>) -> Result<()> {
        let route = self.route(site, page);
        let (title, subtitle, page_route, entries) = match page {
            None => (
                site.config.title.clone(),
                Some(site.config.description.as_str()).filter(|d| !d.is_empty()),
                Route::folder::<&str>(&[]),
                newest(site, site.index.chronological.iter().copied()),
            ),
            Some(key) => (
                format!("{} — {}", site.entity_name(key), site.config.title),
                site.gazetteer_entry(key).and_then(|e| e.description.as_deref()),
                entity::route(key),
                newest(site, entity::articles(&site.index.entities[key])),
            ),
        };
        // An entry is made from its article (at its URL), as the article's page is.
        let inputs: Vec<(u64, &str)> =
            entries.iter().map(|&(a, _)| (site.articles[a].stamp, site.article_link(a).url.as_str())).collect();
        view.stream(digest(&(&title, subtitle, inputs)), move |out| {
            let feed = Feed { site, route, title, subtitle, page: page_route, entries };
            out.write_all(feed.xml().as_bytes())
        });
        Ok(())
    }
}

struct Feed<'s> {
    site: &'s Site<'s>,
    route: Route,
    title: String,
    subtitle: Option<&'s str>,
    /// The page the feed follows: the home page or the entity's.
    page: Route,
    entries: Vec<(usize, DateTime<FixedOffset>)>,
}

impl Feed<'_> {
    fn xml(&self) -> String {
        let site = self.site;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let lang = xml_escape(&site.config.lang);
        let _ = writeln!(xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">");
        let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&self.id(&self.route)));
        let _ = writeln!(xml, "  <title>{}</title>", xml_escape(&self.title));
        if let Some(subtitle) = self.subtitle {
            let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(subtitle));
        }
        // Entries are newest first: the first was updated last.
        if let Some((_, at)) = self.entries.first() {
            let _ = writeln!(xml, "  <updated>{}</updated>", time(at));
        }
        self.link(&mut xml, "  ", "self", "application/atom+xml", &self.route);
        self.link(&mut xml, "  ", "alternate", "text/html", &self.page);
        let _ = writeln!(xml, "  <author><name>{}</name></author>", xml_escape(&site.config.title));
        for &(a, at) in &self.entries {
            let annotated = &site.articles[a];
            let page = super::article::route(&annotated.article.slug);
            xml.push_str("  <entry>\n");
            let _ = writeln!(xml, "    <id>{}</id>", xml_escape(&self.id(&page)));
            let _ = writeln!(xml, "    <title>{}</title>", xml_escape(&annotated.title));
            self.link(&mut xml, "    ", "alternate", "text/html", &page);
            let _ = writeln!(xml, "    <published>{}</published>\n    <updated>{0}</updated>", time(&at));
            if let Some(source) = &annotated.article.meta.source {
                let _ = writeln!(xml, "    <author><name>{}</name></author>", xml_escape(source));
            }
            let description = &site.article_link(a).description;
            if !description.is_empty() {
                let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(description));
            }
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        xml
    }

    fn link(&self, xml: &mut String, indent: &str, rel: &str, kind: &str, to: &Route) {
        let href = xml_escape(&self.site.link_from(&self.route, to));
        let _ = writeln!(xml, "{indent}<link rel=\"{rel}\" type=\"{kind}\" href=\"{href}\"/>");
    }

    /// The Atom id of the page at `route`.
    fn id(&self, route: &Route) -> String {
        self.site.absolute(route).unwrap_or_else(|| urn_uuid(&self.site.config.title, route))
    }
}

/// An RFC 3339 date-time, `Z` for UTC.
fn time(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A name-based UUID for the page at `route` of the site titled `title`: RFC 9562's
/// version 8, from the first 128 bits of a SHA-256 of both.
fn urn_uuid(title: &str, route: &Route) -> String {
    let digest = Sha256::new().chain_update(title).chain_update([0u8]).chain_update(route.file_path()).finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex(&bytes);
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_without_a_web_address_are_stable_version_8_uuids() {
        let page = Route::folder(&["articles", "000"]);
        let id = urn_uuid("أرشيف", &page);
        assert_eq!(id, urn_uuid("أرشيف", &page));
        assert_ne!(id, urn_uuid("أرشيف آخر", &page));
        assert_ne!(id, urn_uuid("أرشيف", &Route::folder(&["articles", "001"])));
        let uuid = id.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(groups[2].starts_with('8'), "version 8: {uuid}");
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "RFC variant: {uuid}");
    }
}
