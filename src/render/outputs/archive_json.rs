//! `data/archive.json`: every article with its mentions (offsets into the original file)
//! and every entity with a page. Field names are a contract: see README.md.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::Output;
use crate::domain::Kind;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::{digest, Float, View};

pub struct ArchiveJson;

/// Articles whose entries are made at once, in parallel, before being written: a large
/// archive's entries are never all in memory at once.
const BATCH: usize = 1024;

impl Output for ArchiveJson {
    type Page = ();

    fn pages(&self, _: &Site) -> Vec<()> {
        vec![()]
    }

    fn route(&self, _: &Site, _: &()) -> Route {
        Route::file("data/archive.json")
    }

    fn view<'s>(&self, site: &'s Site, _: &(), view: &mut View<'s>) -> Result<()> {
        let (head, entities) = (head(site), entities(site));
        // Each entry is made from its article, at its URL: `archive serve` keeps entries
        // by that, and makes again only those of edited articles.
        let entry_keys: Vec<u64> =
            (0..site.articles.len()).map(|a| digest(&(site.articles[a].stamp, &site.article_link(a).url))).collect();
        let inputs = digest(&(&head, &entities, &entry_keys));
        view.stream(inputs, move |out| {
            // Printed only when written: a digest needs the values, not their JSON.
            let parts = Parts { head: pretty(&head), entities: pretty(&entities) };
            let entries = (0..site.articles.len()).step_by(BATCH).flat_map(|start| {
                let batch = start..(start + BATCH).min(site.articles.len());
                let made: Vec<_> =
                    batch.into_par_iter().map(|a| site.cache.get_or(entry_keys[a], || entry(site, a))).collect();
                made
            });
            parts.write(entries, out)
        });
        Ok(())
    }

    fn deferred(&self) -> bool {
        true
    }
}

/// Bumped when a field changes meaning or goes away.
const FORMAT_VERSION: u32 = 1;

/// The fields of archive.json before `articles`, which follows, then `entities`.
#[derive(Serialize, Hash)]
struct Head<'a> {
    format_version: u32,
    generator: &'static str,
    title: &'a str,
    base_url: &'a str,
}

/// What is known about an article: shared by archive.json and the article page.
#[derive(Serialize)]
pub struct ArticleRecord<'a> {
    /// Its article's stamp: all else here is made from the article, at `url`.
    #[serde(skip)]
    stamp: u64,
    slug: &'a str,
    url: String,
    path: String,
    sha256: &'a str,
    title: &'a str,
    date: Option<String>,
    /// The date as the metadata wrote it, with its time and zone when given.
    date_text: Option<&'a str>,
    date_basis: Option<&'a str>,
    date_approximate: bool,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    summary: Option<&'a str>,
    /// Lines lifted out of the text (byline, published, caption…), then the other fields
    /// of front matter and sidecar, as [field, value] pairs.
    metadata: Vec<(&'a str, &'a str)>,
    /// Lines dropped as web debris, as [rule, line] pairs.
    removed: Vec<(&'a str, &'a str)>,
}

impl std::hash::Hash for ArticleRecord<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.stamp, &self.url).hash(state);
    }
}

#[derive(Serialize)]
struct ArticleData<'a> {
    #[serde(flatten)]
    record: ArticleRecord<'a>,
    mentions: Vec<MentionData<'a>>,
}

#[derive(Serialize)]
struct MentionData<'a> {
    id: String,
    entity: &'a str,
    #[serde(rename = "type")]
    kind: Kind,
    text: &'a str,
    /// Byte offsets into the original file (UTF-8), end exclusive.
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualifier: Option<&'static str>,
    /// Found by the tagger; `page` is false when too few articles name it for a page.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    discovered: bool,
    #[serde(skip_serializing_if = "is_true")]
    page: bool,
}

#[derive(Serialize, Hash)]
pub(super) struct EntityData<'a> {
    pub(super) id: &'a str,
    #[serde(rename = "type")]
    pub(super) kind: Kind,
    pub(super) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name_en: Option<&'a str>,
    pub(super) aliases: Vec<&'a str>,
    pub(super) url: String,
    pub(super) article_count: usize,
    pub(super) mention_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) coords: Option<[Float; 2]>,
    /// Found by the tagger, not curated in the gazetteer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) discovered: bool,
}

/// What is known about article `a`, for its entry here and its page.
pub fn record<'s>(site: &'s Site, a: usize) -> ArticleRecord<'s> {
    let annotated = &site.articles[a];
    let article = &annotated.article;
    let meta = &article.meta;
    let lifted = annotated.cleaned.lifted.iter().map(|l| (l.field.as_str(), l.value.as_str()));
    let extra = meta.extra.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    ArticleRecord {
        stamp: annotated.stamp,
        slug: &article.slug,
        url: site.article_link(a).url.clone(),
        path: article.path.to_string_lossy().replace('\\', "/"),
        sha256: &article.sha256,
        title: &annotated.title,
        date: meta.date.map(|d| d.to_string()),
        date_text: meta.date_text.as_deref(),
        date_basis: meta.date_basis.as_deref(),
        date_approximate: meta.date_approximate,
        source: meta.source.as_deref(),
        source_url: meta.url.as_deref(),
        summary: meta.summary.as_deref(),
        metadata: lifted.chain(extra).collect(),
        removed: annotated.cleaned.removed.iter().map(|r| (r.rule.as_str(), &article.text[r.range.clone()])).collect(),
    }
}

/// One article's entry, indented for its place in the file.
fn entry(site: &Site, a: usize) -> String {
    let annotated = &site.articles[a];
    let text = annotated.article.text.as_str();
    let data = ArticleData {
        record: record(site, a),
        mentions: annotated
            .mentions
            .iter()
            .map(|m| MentionData {
                id: m.anchor(),
                entity: &m.entity,
                kind: m.kind,
                text: &text[m.span.clone()],
                start: m.span.start,
                end: m.span.end,
                amount: m.amount.map(|a| a.0),
                qualifier: m.amount.and_then(|a| a.1),
                discovered: m.discovered.is_some(),
                page: m.has_page(),
            })
            .collect(),
    };
    indented(&pretty(&data), "    ", true)
}

/// Every entity with a page, sorted by type and id.
pub(super) fn entities<'s>(site: &'s Site) -> Vec<EntityData<'s>> {
    site.index
        .entities
        .iter()
        .map(|(key, index)| {
            let entry = site.gazetteer_entry(key);
            EntityData {
                id: &key.id,
                kind: key.kind,
                name: site.entity_name(key),
                name_en: entry.and_then(|e| e.name_en.as_deref()),
                aliases: entry.map(|e| e.aliases.iter().map(String::as_str).collect()).unwrap_or_default(),
                url: site.href(&super::entity::route(key)),
                article_count: index.articles.len(),
                mention_count: index.mentions.len(),
                wikidata: entry.and_then(|e| e.wikidata.as_deref()),
                parent: entry.and_then(|e| e.parent.as_deref()),
                coords: entry.and_then(|e| e.coords).map(|c| c.map(Float)),
                discovered: site.is_discovered(key),
            }
        })
        .collect()
}

/// The fields before the articles.
fn head<'s>(site: &'s Site) -> Head<'s> {
    Head {
        format_version: FORMAT_VERSION,
        generator: concat!("archive ", env!("CARGO_PKG_VERSION")),
        title: &site.config.title,
        base_url: &site.config.base_url,
    }
}

/// The file but for the articles' entries: the fields before them, and the entities.
struct Parts {
    head: String,
    entities: String,
}

impl Parts {
    /// Writes the whole file to `out`, the articles' entries as `articles` yields them: a
    /// large archive's entries need not all be in memory at once.
    fn write<S: AsRef<str>>(&self, articles: impl Iterator<Item = S>, out: &mut dyn Write) -> std::io::Result<()> {
        let fields = self.head.strip_suffix("\n}").unwrap_or(&self.head);
        write!(out, "{fields},\n  \"articles\": ")?;
        let mut articles = articles.peekable();
        if articles.peek().is_none() {
            out.write_all(b"[]")?;
        } else {
            out.write_all(b"[\n")?;
            for (i, article) in articles.enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(article.as_ref().as_bytes())?;
            }
            out.write_all(b"\n  ]")?;
        }
        write!(out, ",\n  \"entities\": {}\n}}\n", indented(&self.entities, "  ", false))
    }
}

/// Most mentions link to a page: only those that do not say so.
fn is_true(value: &bool) -> bool {
    *value
}

/// `value` as pretty JSON, two spaces an indent.
fn pretty(value: &impl Serialize) -> String {
    // Only strings, numbers, lists and structs with string keys: nothing that can fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `json` with `by` before each line (the first too when `first`).
fn indented(json: &str, by: &str, first: bool) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    if first {
        out.push_str(by);
    }
    for (i, line) in json.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(by);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        list: Vec<u32>,
        empty: Vec<u32>,
    }

    #[derive(Serialize)]
    struct Whole {
        format_version: u32,
        title: &'static str,
        articles: Vec<Item>,
        entities: Vec<Item>,
    }

    #[derive(Serialize)]
    struct Fields {
        format_version: u32,
        title: &'static str,
    }

    fn item(name: &'static str) -> Item {
        Item { name, list: vec![1, 2], empty: Vec::new() }
    }

    #[test]
    fn assembled_json_is_what_serde_prints_whole() {
        for (articles, entities) in [(vec!["a", "b"], vec!["c"]), (vec![], vec![]), (vec!["a"], vec![])] {
            let whole = Whole {
                format_version: 1,
                title: "أرشيف \"x\"\n",
                articles: articles.iter().map(|&n| item(n)).collect(),
                entities: entities.iter().map(|&n| item(n)).collect(),
            };
            let json = Parts {
                head: pretty(&Fields { format_version: 1, title: whole.title }),
                entities: pretty(&whole.entities),
            };
            let entries = whole.articles.iter().map(|a| indented(&pretty(a), "    ", true));
            let mut out = Vec::new();
            json.write(entries, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), pretty(&whole) + "\n");
        }
    }
}
