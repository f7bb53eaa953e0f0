//! `data/annotations/SLUG.jsonld`: an article's mentions as W3C Web Annotations, one
//! `AnnotationPage` per article. Each targets the original file as published under
//! `data/` (text/plain or text/markdown, the article's language, the site's direction)
//! with two selectors: the quote with what is around it, and its place counted in
//! Unicode code points, as the model counts, not bytes. Its body is the entity's page;
//! a discovered entity without one is only classified by its type.
//!
//! Addresses are absolute when `base_url` is, else relative to this file, which JSON-LD
//! resolves against wherever the file was read from.

use serde::Serialize;

use super::{entity, originals, Output};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Annotations;

/// Code points of text kept before and after a quote.
const AROUND: usize = 32;

/// Where the annotations of the article of `slug` are.
pub fn route(slug: &str) -> Route {
    Route::file(&format!("data/annotations/{slug}.jsonld"))
}

impl Output for Annotations {
    /// The article's position in the archive.
    type Page = usize;

    fn pages(&self, site: &Site) -> Vec<usize> {
        (0..site.articles.len()).collect()
    }

    fn route(&self, site: &Site, &a: &usize) -> Route {
        route(&site.articles[a].article.slug)
    }

    fn view<'s>(&self, site: &'s Site, &a: &usize, view: &mut View<'s>) -> Result<()> {
        // Made from the article alone: its mentions say which have pages.
        let route = self.route(site, &a);
        view.stream(site.articles[a].stamp, move |out| out.write_all(page(site, a, &route).as_bytes()));
        Ok(())
    }
}

#[derive(Serialize)]
struct AnnotationPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Body,
    target: Target<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    /// The entity's page.
    Page(String),
    /// The mention's type, for an entity without a page.
    Type {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: &'static str,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a Source<'a>,
    selector: [Selector<'a>; 2],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Source<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    format: &'static str,
    language: &'a str,
    text_direction: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector { exact: &'a str, prefix: &'a str, suffix: &'a str },
    TextPositionSelector { start: usize, end: usize },
}

/// The annotations of article `a`, as JSON-LD.
fn page(site: &Site, a: usize, route: &Route) -> String {
    let annotated = &site.articles[a];
    let article = &annotated.article;
    let text = article.text.as_str();
    let link = |to: &Route| site.link_from(route, to);
    let own = link(route);
    let source = Source {
        id: link(&originals::route(article)),
        kind: "Text",
        format: article.format.media_type(),
        language: article.meta.lang.as_deref().unwrap_or(&site.config.lang),
        text_direction: &site.config.dir,
    };
    let mut counted = CodePoints::default();
    let items = annotated
        .mentions
        .iter()
        .map(|m| {
            let span = m.span.clone();
            let start = counted.at(text, span.start);
            let exact = &text[span.clone()];
            let (body, motivation) = if m.has_page() {
                (Body::Page(link(&entity::route(&m.key().into()))), "identifying")
            } else {
                (Body::Type { kind: "TextualBody", purpose: "classifying", value: m.kind.as_str() }, "classifying")
            };
            Annotation {
                id: format!("{own}#{}", m.anchor()),
                kind: "Annotation",
                motivation,
                body,
                target: Target {
                    source: &source,
                    selector: [
                        Selector::TextQuoteSelector {
                            exact,
                            prefix: last_chars(&text[..span.start], AROUND),
                            suffix: first_chars(&text[span.end..], AROUND),
                        },
                        Selector::TextPositionSelector { start, end: start + exact.chars().count() },
                    ],
                },
            }
        })
        .collect();
    let page =
        AnnotationPage { context: "http://www.w3.org/ns/anno.jsonld", id: own.clone(), kind: "AnnotationPage", items };
    // Compact: a third smaller than indented (160 MB against 107 MB for 10k articles).
    // Only strings, numbers, lists and structs with string keys: nothing that can fail.
    serde_json::to_string(&page).unwrap_or_default() + "\n"
}

/// Counts code points up to byte offsets of one text, from the last offset asked for when
/// the next is further on (mentions are in text order), else from the start.
#[derive(Default)]
struct CodePoints {
    byte: usize,
    count: usize,
}

impl CodePoints {
    /// Code points of `text` before byte `offset` (a char boundary).
    fn at(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.byte {
            *self = CodePoints::default();
        }
        self.count += text[self.byte..offset].chars().count();
        self.byte = offset;
        self.count
    }
}

/// The last `n` code points of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    s.char_indices().rev().nth(n.saturating_sub(1)).map_or(s, |(i, _)| &s[i..])
}

/// The first `n` code points of `s`.
fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points_not_bytes() {
        let text = "قال بات رايدر إن «دير الزور» هادئة، وإن 🙂 الحرة قالت";
        let mut counted = CodePoints::default();
        for name in ["رايدر", "دير الزور", "الحرة", "بات"] {
            let at = text.find(name).unwrap();
            let start = counted.at(text, at);
            let chars: Vec<char> = text.chars().collect();
            let back: String = chars[start..start + name.chars().count()].iter().collect();
            assert_eq!(back, name);
        }
        // Four bytes in UTF-8, one code point.
        assert_eq!(counted.at(text, text.find("الحرة").unwrap()) - counted.at(text, text.find('🙂').unwrap()), 2);
    }

    #[test]
    fn quotes_take_whole_code_points_around() {
        assert_eq!(last_chars("أبجد", 2), "جد");
        assert_eq!(last_chars("أب", 5), "أب");
        assert_eq!(last_chars("أب", 0), "");
        assert_eq!(first_chars("أبجد", 2), "أب");
        assert_eq!(first_chars("أب", 5), "أب");
        assert_eq!(first_chars("أب", 0), "");
    }
}
