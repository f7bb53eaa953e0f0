//! Each article's page: its text with every mention linked, what is known of it, its
//! entities by type, related articles and those on the same dates.

use serde::Serialize;

use super::archive_json::{record, ArticleRecord};
use super::{entity, originals, outlets, Output};
use crate::domain::{EntityKey, EntityRef, Kind, Mention};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::{ArticleLink, EntityLink, Site};
use crate::render::templates::{field_label, value_label};
use crate::render::view::{digest, Costly, View};
use crate::render::{html, markdown};

pub struct Articles;

/// Shared entities shown for each related article.
const SHARED_SHOWN: usize = 5;

/// What an article's header says besides its date: each fact once, in Arabic, and nothing
/// for what is not known.
#[derive(Serialize, Hash, Debug, PartialEq)]
struct Header<'v> {
    /// The outlet, and its name in English beside it.
    source: Option<&'v str>,
    source_en: Option<&'v str>,
    /// The other fields, as (label, value).
    facts: Vec<(&'v str, &'v str)>,
}

/// What a metadata value says when it says that nothing is known.
pub(super) fn is_placeholder(value: &str) -> bool {
    let value = value.trim().to_lowercase();
    matches!(value.as_str(), "" | "-" | "—" | "?" | "unknown" | "n/a" | "na" | "none" | "null" | "غير معروف" | "مجهول")
}

/// The header of an article from `source` and its metadata `fields` (lifted lines, then
/// the other fields): a field that repeats the outlet, or another field, is left out.
fn header<'v>(source: Option<&'v str>, fields: &[(&'v str, &'v str)]) -> Header<'v> {
    let known = |v: &&str| !is_placeholder(v);
    let source = source.filter(known);
    let source_en = fields.iter().find(|(f, v)| *f == "source_en" && known(v)).map(|&(_, v)| v.trim());
    let mut shown: Vec<&str> = source.into_iter().chain(source_en).map(str::trim).collect();
    let mut facts = Vec::new();
    for &(field, value) in fields.iter().filter(|(f, v)| *f != "source_en" && known(v)) {
        if !shown.contains(&value.trim()) {
            shown.push(value.trim());
            facts.push((field_label(field), value_label(field, value)));
        }
    }
    Header { source, source_en, facts }
}

/// Where the article of `slug` is.
pub fn route(slug: &str) -> Route {
    Route::folder(&["articles", slug])
}

impl Output for Articles {
    /// The article's position in the archive.
    type Page = usize;

    fn pages(&self, site: &Site) -> Vec<usize> {
        (0..site.articles.len()).collect()
    }

    fn route(&self, site: &Site, &a: &usize) -> Route {
        route(&site.articles[a].article.slug)
    }

    fn view<'s>(&self, site: &'s Site, &a: &usize, view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct ArticleView<'v> {
            #[serde(flatten)]
            record: Costly<ArticleRecord<'v>>,
            title_html: Costly<String>,
            body_html: Costly<String>,
            /// The source URL when it is a web address that may be a link.
            source_link: Option<&'v str>,
            /// The page of its outlet.
            outlet_url: Option<String>,
            mention_count: usize,
            header: Header<'v>,
            /// Whether the text has code, which needs the highlighter's style sheet.
            has_code: bool,
            /// Its web address, when `base_url` is absolute: canonical link, citation.
            permalink: Option<String>,
            /// The original file as published.
            original: String,
            description: &'v str,
            /// When it was published, ISO 8601.
            published: Option<String>,
            /// When the original was read, as its metadata's `accessed` says.
            accessed: Option<&'v str>,
            /// schema.org `NewsArticle`, JSON for a `<script>`.
            json_ld: Costly<String>,
        }
        #[derive(Serialize, Hash)]
        struct RelatedView<'v> {
            article: &'v ArticleLink,
            shared: Vec<EntityLink<'v>>,
        }
        #[derive(Serialize, Hash)]
        struct Group<'s> {
            kind: Kind,
            label: &'static str,
            entities: Vec<EntityLink<'s>>,
        }
        let annotated = &site.articles[a];
        let article = &annotated.article;
        let text = article.text.as_str();
        let link = |m: &Mention| site.mention_link(m, text);
        // Entities of this article by type, most mentioned first.
        let mut named: Vec<EntityRef> = annotated.mentions.iter().filter(|m| m.has_page()).map(Mention::key).collect();
        named.sort_unstable();
        let counts: Vec<(EntityRef, usize)> = named.chunk_by(|x, y| x == y).map(|same| (same[0], same.len())).collect();
        let groups: Vec<Group> = Kind::ALL
            .iter()
            .map(|&kind| {
                let mut list: Vec<&(EntityRef, usize)> = counts.iter().filter(|(k, _)| k.kind == kind).collect();
                list.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                Group {
                    kind,
                    label: kind.plural_label(),
                    entities: list.into_iter().map(|&(key, n)| site.entity_link(key, n)).collect(),
                }
            })
            .filter(|g| !g.entities.is_empty())
            .collect();
        // The text and its mentions, and how each mention's entity is linked: the groups
        // link every entity with a page that a mention names.
        let made_from = (annotated.stamp, digest(&groups));
        let here = site.article_link(a).url.as_str();
        let page = markdown::Page { highlighter: site.highlighter, raw_html: site.config.markdown.raw_html, here };
        let body_html = view.costly(made_from, || {
            let events = markdown::body_events(article, &annotated.cleaned);
            Ok(markdown::render(text, events, &annotated.mentions, &link, &page))
        })?;
        let title_html = match &annotated.cleaned.title {
            Some(title) => view.costly(made_from, || {
                let events = markdown::title_events(article, title);
                Ok(markdown::render(text, events, &annotated.mentions, &link, &page))
            })?,
            None => Costly::Made(html::isolate(&annotated.title)),
        };
        let lifted = annotated.cleaned.lifted.iter().map(|l| (l.field.as_str(), l.value.as_str()));
        let fields: Vec<(&str, &str)> =
            lifted.chain(article.meta.extra.iter().map(|(k, v)| (k.as_str(), v.as_str()))).collect();
        let permalink = site.absolute(&route(&article.slug));
        let description = site.article_link(a).description.as_str();
        let source_link = article.meta.url.as_deref().filter(|u| html::is_web_url(u));
        let json_ld = view.costly((made_from, &permalink), || {
            Ok(json_ld(site, a, &counts, description, permalink.as_deref(), source_link))
        })?;
        let record = ArticleView {
            // Made from the article alone, at its URL.
            record: view.costly((annotated.stamp, &site.article_link(a).url), || Ok(record(site, a)))?,
            title_html,
            // Read off the body once made; when only digested, the body's digest stands for it.
            has_code: matches!(&body_html, Costly::Made(body) if body.contains("<pre class=\"code\"")),
            body_html,
            source_link,
            outlet_url: outlets::of_article(site, a).map(|name| site.href(&outlets::route(&outlets::slug(name)))),
            mention_count: annotated.mentions.len(),
            header: header(article.meta.source.as_deref(), &fields),
            permalink,
            original: site.href(&originals::route(article)),
            description,
            published: article.meta.published(),
            accessed: article.meta.extra.get("accessed").map(String::as_str),
            json_ld,
        };
        // Shared entities carry no count: a count here would change this page whenever any
        // article naming the entity changes.
        let related: Vec<RelatedView> = site.index.related[a]
            .iter()
            .map(|r| RelatedView {
                article: site.article_link(r.article),
                shared: r.shared.iter().take(SHARED_SHOWN).map(|k| site.entity_link(k.borrowed(), 0)).collect(),
            })
            .collect();
        let by_date: Vec<RelatedView> = site.index.by_date[a]
            .iter()
            .map(|d| RelatedView {
                article: site.article_link(d.article),
                shared: d.dates.iter().map(|k| site.entity_link(k.borrowed(), 0)).collect(),
            })
            .collect();
        let position = site.index.rank[a];
        let newer = site.index.chronological.get(position + 1).map(|&x| site.article_link(x));
        let older = position.checked_sub(1).map(|p| site.article_link(site.index.chronological[p]));
        view.insert("article", &record);
        view.insert("entities", &groups);
        view.insert("related", &related);
        view.insert("by_date", &by_date);
        view.insert("older", &older);
        view.insert("newer", &newer);
        view.template("article.html");
        Ok(())
    }
}

/// The article as schema.org describes a news article, with the named entities it
/// mentions (`counts`, which have pages): what search engines and reference managers read.
fn json_ld(
    site: &Site,
    a: usize,
    counts: &[(EntityRef, usize)],
    description: &str,
    permalink: Option<&str>,
    original_url: Option<&str>,
) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct NewsArticle<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        headline: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
        in_language: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        date_published: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        publisher: Option<Thing<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<&'a str>,
        /// The original on the web.
        #[serde(skip_serializing_if = "Option::is_none")]
        is_based_on: Option<&'a str>,
        /// The original file, with its hash.
        encoding: Encoding<'a>,
        mentions: Vec<Thing<'a>>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Encoding<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        encoding_format: &'static str,
        sha256: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_url: Option<String>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Thing<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: std::borrow::Cow<'a, str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        same_as: Option<String>,
    }
    let annotated = &site.articles[a];
    let article = &annotated.article;
    let mentions = counts
        .iter()
        .filter_map(|&(key, _)| {
            let kind = match key.kind {
                Kind::Person => "Person",
                Kind::Place => "Place",
                Kind::Organization => "Organization",
                Kind::Date | Kind::Quantity => return None,
            };
            let key = EntityKey::from(key);
            let wikidata = site.gazetteer_entry(&key).and_then(|e| e.wikidata.as_deref());
            Some(Thing {
                kind,
                name: site.entity_name(&key).into(),
                url: site.absolute(&entity::route(&key)),
                same_as: wikidata.map(|q| format!("https://www.wikidata.org/wiki/{q}")),
            })
        })
        .collect();
    let news = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &annotated.title,
        description,
        in_language: article.meta.lang.as_deref().unwrap_or(&site.config.lang),
        date_published: article.meta.published(),
        publisher: article.meta.source.as_deref().map(|name| Thing {
            kind: "Organization",
            name: name.into(),
            url: None,
            same_as: None,
        }),
        url: permalink,
        is_based_on: original_url,
        encoding: Encoding {
            kind: "MediaObject",
            encoding_format: article.format.media_type(),
            sha256: &article.sha256,
            content_url: site.absolute(&originals::route(article)),
        },
        mentions,
    };
    html::script_json(&news)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_says_each_fact_once_and_nothing_for_what_is_unknown() {
        let fields =
            [("source", "العرب"), ("byline", " العرب "), ("source_en", "Al-Arab"), ("category", "internationalNews")];
        let h = header(Some("العرب"), &fields);
        assert_eq!((h.source, h.source_en), (Some("العرب"), Some("Al-Arab")));
        assert_eq!(h.facts, [("التصنيف", "أخبار العالم")]);
        let h = header(None, &[("source_en", "unknown"), ("published", "2021/02/26"), ("updated", "2021/02/26")]);
        assert_eq!((h.source, h.source_en), (None, None));
        assert_eq!(h.facts, [("تاريخ النشر كما ورد", "2021/02/26")]);
        assert!(is_placeholder(" N/A ") && is_placeholder("غير معروف") && !is_placeholder("Al-Arab"));
    }
}
