//! Every internal link and fragment resolves, and every mention is linked back from its
//! entity page.

use std::collections::{HashMap, HashSet};

use scraper::Html;

use crate::{assert_none, encode_segment, page_mentions, percent_decode, resolve, sel, site, str_of, ARTICLES};

/// The ids of a page, cached by path.
fn ids_of<'c>(cache: &'c mut HashMap<String, HashSet<String>>, path: &str) -> &'c HashSet<String> {
    cache.entry(path.to_string()).or_insert_with(|| {
        site().page(path).select(&sel("[id]")).filter_map(|el| el.value().attr("id").map(String::from)).collect()
    })
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let mut cache = HashMap::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        for el in doc.select(&sel(":not(base)[href], [src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap_or_default();
            // Every page's <base> is the site's root: a link with a scheme leaves the site,
            // and one from the host's root or to a bare fragment would miss its page.
            if url.split_once(':').is_some_and(|(scheme, _)| !scheme.contains(['/', '#', '?'])) {
                continue;
            }
            if url.starts_with('/') || url.starts_with('#') {
                failures.push(format!("{path}: {url} is not written from the site's root"));
                continue;
            }
            let (file, fragment) = resolve(url);
            checked += 1;
            if !site().files.contains_key(&file) {
                failures.push(format!("{path}: {url} → {file} does not exist"));
                continue;
            }
            if let Some(fragment) = fragment {
                let fragment = percent_decode(&fragment);
                if fragment.is_empty() || !ids_of(&mut cache, &file).contains(&fragment) {
                    failures.push(format!("{path}: {url} → no id {fragment:?} in {file}"));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} internal links found");
    assert_none(&failures, "internal links");
}

#[test]
fn every_page_has_one_base_that_leads_to_the_site_root() {
    let mut failures = Vec::new();
    for path in site().html_paths().filter(|p| *p != "404.html") {
        let bases: Vec<String> = site()
            .page(path)
            .select(&sel("head > base[href]"))
            .map(|b| b.value().attr("href").unwrap_or_default().to_string())
            .collect();
        let depth = path.matches('/').count();
        let root = if depth == 0 { "./".to_string() } else { "../".repeat(depth) };
        if bases != [root.clone()] {
            failures.push(format!("{path}: <base> {bases:?}, expected [{root:?}]"));
        }
    }
    assert_none(&failures, "bases");
}

#[test]
fn an_entity_page_links_back_to_every_mention_of_it() {
    let mut links: HashMap<String, HashSet<String>> = HashMap::new();
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let slug = str_of(site().article(prefix), "slug");
        for m in page_mentions(&site().article_page(prefix)) {
            let (file, _) = resolve(&m.href);
            let Some(bytes) = site().files.get(&file) else {
                failures.push(format!("{prefix} {}: no page {file}", m.id));
                continue;
            };
            let hrefs = links.entry(file.clone()).or_insert_with(|| {
                let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
                doc.select(&sel("a[href]")).filter_map(|a| a.value().attr("href").map(String::from)).collect()
            });
            let back = format!("articles/{}/index.html#{}", encode_segment(slug), m.id);
            if !hrefs.contains(&back) {
                failures.push(format!("{file} has no link to {back} («{}»)", m.text));
            }
        }
    }
    assert_none(&failures, "back-links");
}
