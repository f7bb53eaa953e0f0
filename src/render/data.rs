//! `data/archive.json`: every article with its mentions (offsets into the original file)
//! and every entity with a page. Field names are a contract: see README.md.

use serde::Serialize;

use super::pages::Site;
use crate::recognise::Kind;

/// Bumped when a field changes meaning or goes away.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Archive<'a> {
    format_version: u32,
    generator: &'static str,
    title: &'a str,
    base_url: &'a str,
    articles: Vec<ArticleData<'a>>,
    entities: Vec<EntityData<'a>>,
}

/// What is known about an article: shared by archive.json and the article page.
#[derive(Serialize)]
pub(super) struct ArticleRecord<'a> {
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
}

#[derive(Serialize)]
struct EntityData<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: Kind,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    aliases: Vec<&'a str>,
    url: String,
    article_count: usize,
    mention_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coords: Option<[f64; 2]>,
}

impl Site<'_> {
    pub(super) fn article_record(&self, a: usize) -> ArticleRecord<'_> {
        let annotated = &self.articles[a];
        let article = annotated.article;
        let meta = &article.meta;
        let lifted = annotated.cleaned.lifted.iter().map(|l| (l.field.as_str(), l.value.as_str()));
        let extra = meta.extra.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        ArticleRecord {
            slug: &article.slug,
            url: self.article_url(a),
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
            removed: annotated
                .cleaned
                .removed
                .iter()
                .map(|r| (r.rule.as_str(), &article.text[r.range.clone()]))
                .collect(),
        }
    }

    pub fn archive_json(&self) -> String {
        let articles = (0..self.articles.len())
            .map(|a| {
                let annotated = &self.articles[a];
                let text = annotated.article.text.as_str();
                ArticleData {
                    record: self.article_record(a),
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
                        })
                        .collect(),
                }
            })
            .collect();
        let entities = self
            .index
            .entities
            .iter()
            .map(|(key, index)| {
                let entry = matches!(key.0, Kind::Person | Kind::Place | Kind::Organization)
                    .then(|| self.gazetteer.get(&key.1))
                    .flatten();
                EntityData {
                    id: &key.1,
                    kind: key.0,
                    name: self.entity_name(key.0, &key.1),
                    name_en: entry.and_then(|e| e.name_en.as_deref()),
                    aliases: entry.map(|e| e.aliases.iter().map(String::as_str).collect()).unwrap_or_default(),
                    url: self.entity_url(key.0, &key.1),
                    article_count: index.articles.len(),
                    mention_count: index.mentions.len(),
                    wikidata: entry.and_then(|e| e.wikidata.as_deref()),
                    parent: entry.and_then(|e| e.parent.as_deref()),
                    coords: entry.and_then(|e| e.coords),
                }
            })
            .collect();
        let archive = Archive {
            format_version: FORMAT_VERSION,
            generator: concat!("archive ", env!("CARGO_PKG_VERSION")),
            title: &self.config.title,
            base_url: &self.config.base_url,
            articles,
            entities,
        };
        serde_json::to_string_pretty(&archive).expect("the archive serialises") + "\n"
    }
}
