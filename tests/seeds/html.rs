//! The HTML contract of DESIGN.md section 2: language and direction, one `<article>`, mentions
//! as links, nothing loaded from another host, Latin script and digits isolated.

use std::collections::HashSet;

use scraper::{ElementRef, Html};

use crate::{assert_none, entity_url, mentions_in, page_mentions, sel, site, text_of, ARTICLES, KINDS};

#[test]
fn every_page_is_arabic_right_to_left_and_utf8() {
    let mut failures = Vec::new();
    for path in site().html_paths() {
        let doc = site().page(path);
        let root = doc.root_element();
        let (lang, dir) = (root.value().attr("lang"), root.value().attr("dir"));
        if root.value().name() != "html" || lang != Some("ar") || dir != Some("rtl") {
            failures.push(format!("{path}: <html lang={lang:?} dir={dir:?}>"));
        }
        let charsets: Vec<&str> =
            doc.select(&sel("head meta[charset]")).filter_map(|m| m.value().attr("charset")).collect();
        if charsets.len() != 1 || !charsets[0].eq_ignore_ascii_case("utf-8") {
            failures.push(format!("{path}: meta charset {charsets:?}"));
        }
        if !site().text(path).starts_with("<!DOCTYPE html>") {
            failures.push(format!("{path}: no HTML5 doctype"));
        }
    }
    assert_none(&failures, "page head");
}

#[test]
fn an_article_page_has_one_article_element_holding_every_body_mention() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let doc = site().article_page(prefix);
        let articles = doc.select(&sel("article")).count();
        if articles != 1 {
            failures.push(format!("{prefix}: {articles} <article> elements"));
        }
        let all = page_mentions(&doc).len();
        let placed = mentions_in(&doc, "article").len() + mentions_in(&doc, "main > header h1").len();
        if all != placed {
            failures.push(format!("{prefix}: {all} mentions, {placed} of them in <article> or the <h1>"));
        }
        if mentions_in(&doc, "article").is_empty() {
            failures.push(format!("{prefix}: no mention in the body"));
        }
    }
    assert_none(&failures, "article element");
}

#[test]
fn every_mention_is_a_link_to_its_entity_page_with_an_anchor_and_a_name() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        let mut ids = HashSet::new();
        for m in page_mentions(&doc) {
            seen += 1;
            let digits =
                m.id.strip_prefix("m-").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            let ok = m.tag == "a"
                && KINDS.contains(&m.kind.as_str())
                && !m.entity.is_empty()
                && m.href == entity_url(&m.kind, &m.entity)
                && digits
                && ids.insert(m.id.clone())
                && m.label.as_deref().is_some_and(|l| l.contains(m.text.trim()));
            if !ok {
                failures.push(format!("{path}: {m:?}"));
            }
        }
    }
    assert!(seen > 400, "only {seen} mentions found");
    assert_none(&failures, "mention elements");
}

/// A URL that loads nothing from another host: relative, root-relative, or data:.
fn is_local(url: &str) -> bool {
    let url = url.trim();
    let scheme = url.split(['/', '?', '#']).next().is_some_and(|head| head.contains(':'));
    url.starts_with("data:") || (!url.starts_with("//") && !url.starts_with("\\\\") && !scheme)
}

/// The URLs a stylesheet loads: `@import` targets and `url(...)` values.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (i, _) in css.match_indices("url(") {
        let rest = &css[i + 4..];
        urls.push(rest[..rest.find(')').unwrap_or(rest.len())].trim_matches(['"', '\'', ' ']).to_string());
    }
    for (i, _) in css.match_indices("@import") {
        let rest = css[i + 7..].trim_start();
        if let Some(quoted) = rest.strip_prefix(['"', '\'']) {
            urls.push(quoted[..quoted.find(['"', '\'']).unwrap_or(quoted.len())].to_string());
        }
    }
    urls
}

#[test]
fn nothing_is_loaded_from_another_host() {
    let loads = [
        ("script[src]", "src"),
        ("link[href]", "href"),
        ("img[src]", "src"),
        ("iframe", "src"),
        ("source[src]", "src"),
        ("source[srcset]", "srcset"),
        ("video[src]", "src"),
        ("audio[src]", "src"),
        ("embed[src]", "src"),
        ("object[data]", "data"),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        for (css, attr) in loads {
            for el in doc.select(&sel(css)) {
                checked += 1;
                let url = el.value().attr(attr).unwrap_or("(none)");
                if !is_local(url) || el.value().name() == "iframe" {
                    failures.push(format!("{path}: <{}> loads {url:?}", el.value().name()));
                }
            }
        }
        let inline_css = doc
            .select(&sel("style"))
            .map(text_of)
            .chain(doc.select(&sel("[style]")).filter_map(|el| el.value().attr("style").map(String::from)))
            .collect::<Vec<String>>();
        for css in inline_css {
            failures
                .extend(css_urls(&css).into_iter().filter(|u| !is_local(u)).map(|u| format!("{path}: CSS loads {u}")));
        }
    }
    for (path, bytes) in site().files.iter().filter(|(p, _)| p.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        failures.extend(css_urls(&css).into_iter().filter(|u| !is_local(u)).map(|u| format!("{path}: CSS loads {u}")));
    }
    assert!(checked > 0, "no loading element found at all");
    assert_none(&failures, "external loads");
}

fn has_latin_or_ascii_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphanumeric() || ('\u{C0}'..='\u{24F}').contains(&c))
}

/// The text runs with Latin letters or digits under the elements `scope` selects, and those
/// not isolated.
fn latin_runs(doc: &Html, scope: &str) -> (usize, Vec<String>) {
    let (mut runs, mut bare) = (0, Vec::new());
    for root in doc.select(&sel(scope)) {
        for node in root.descendants() {
            let Some(text) = node.value().as_text() else { continue };
            if !has_latin_or_ascii_digit(text) {
                continue;
            }
            runs += 1;
            // Inside a <bdi> or an element with a dir attribute.
            let isolated = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|el| el.value().name() == "bdi" || el.value().attr("dir").is_some());
            if !isolated {
                bare.push(text.to_string());
            }
        }
    }
    (runs, bare)
}

#[test]
fn latin_script_and_digits_in_article_text_are_isolated() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for prefix in ARTICLES {
        let doc = site().article_page(prefix);
        let (n, bare) = latin_runs(&doc, "article, main > header h1");
        runs += n;
        failures.extend(bare.into_iter().map(|t| format!("{prefix}: {t:?} is not in a <bdi>")));
        let body = doc.select(&sel("article")).map(text_of).collect::<String>();
        if body.contains("Akismet") {
            failures.push(format!("{prefix}: the comment form (Akismet) is in the body"));
        }
    }
    assert!(runs >= 20, "only {runs} Latin or digit runs found in the article bodies");
    assert_none(&failures, "bidi isolation");
}

/// Lines lifted out of the text (here the image caption "طائرات إف-35 الأمريكية/ بلومبيرغ")
/// are isolated in the header too: "35" after "إف-" could otherwise show as "إف35-".
#[test]
fn numbers_in_the_lifted_caption_are_isolated() {
    let doc = site().article_page("004");
    let caption = doc
        .select(&sel("main > header dd"))
        .find(|dd| text_of(*dd).contains("إف-35"))
        .expect("the caption «طائرات إف-35 …» in the header of 004");
    let isolated_35 = caption.select(&sel("bdi, [dir]")).any(|el| text_of(el).contains("35"));
    assert!(isolated_35, "«35» of the caption is not in a <bdi>: {}", caption.html());
}

#[test]
fn an_article_header_says_each_fact_once_in_arabic() {
    for prefix in ARTICLES {
        let doc = site().article_page(prefix);
        let header = doc.select(&sel("dl.article-meta")).next().unwrap_or_else(|| panic!("{prefix}: no header"));
        let labels: Vec<String> = header.select(&sel("dt")).map(text_of).collect();
        let values: Vec<String> = header.select(&sel("dd")).map(|dd| text_of(dd).trim().to_string()).collect();
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(unique, labels, "{prefix}: a label twice");
        // Labels are Arabic words, never a field's name as written in the metadata.
        assert!(labels.iter().all(|l| !l.chars().any(|c| c.is_ascii_alphabetic())), "{prefix}: {labels:?}");
        assert!(!values.iter().any(|v| v.eq_ignore_ascii_case("unknown")), "{prefix}: {values:?}");
        let source = site().article(prefix)["source"].as_str().unwrap_or_default();
        // The date's note may quote the outlet: it is how the date is known, not a fact again.
        let facts: Vec<String> = header
            .select(&sel("dd"))
            .filter(|dd| dd.select(&sel("details")).next().is_none())
            .map(|dd| text_of(dd).trim().to_string())
            .collect();
        let sources = facts.iter().filter(|v| !source.is_empty() && v.contains(source)).count();
        assert!(source.is_empty() || sources == 1, "{prefix}: the outlet «{source}» shown {sources} times: {values:?}");
        // The date basis is a note the reader opens, not a paragraph.
        assert!(header.select(&sel("details.basis summary")).next().is_some(), "{prefix}: no date basis note");
    }
    // The outlet's English name sits with the Arabic one.
    let doc = site().article_page("000");
    let en: Vec<String> = doc.select(&sel("dl.article-meta dd span[lang=en]")).map(text_of).collect();
    assert_eq!(en, ["Al-Arab"]);
}

#[test]
fn an_article_offers_a_key_and_quiet_reading_without_javascript() {
    let doc = site().article_page("000");
    let keys: Vec<String> =
        doc.select(&sel(".reading .legend .key")).filter_map(|k| k.value().attr("class").map(String::from)).collect();
    let groups = doc.select(&sel("section.in-article h3")).count();
    assert_eq!(keys.len(), groups, "one key for each type the article names: {keys:?}");
    // The toggle needs JavaScript: without it, it is hidden and the page stays quiet.
    let toggle = doc.select(&sel("button.highlight-toggle[hidden][aria-pressed=false]")).count();
    assert_eq!(toggle, 1);
    let html = doc.root_element().html();
    assert!(!html.contains("data-highlight"), "quiet is the default, set by no attribute");
    assert_eq!(doc.select(&sel("head script[src='js/reading.js']")).count(), 1);
    assert!(site().files.contains_key("js/reading.js"));
    // The highlighter's styles only where there is code: none in the seeds.
    for path in site().html_paths() {
        assert!(!site().page(path).root_element().html().contains("css/syntax.css"), "{path} links syntax.css");
    }
}
