//! data/archive.json: its articles, mention offsets into the original files, the same
//! mentions as the pages, and every mentioned entity with its page.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{assert_none, encode_segment, entity_url, page_mentions, resolve, site, source, str_of, ARTICLES, KINDS};

#[test]
fn archive_json_lists_every_article_with_its_metadata() {
    let expected = [
        ("000", "2023-03-25", Some("العرب")),
        ("001", "2022-01-08", None),
        ("002", "2021-06-29", Some("الجزيرة + وكالات")),
        ("003", "2023-11-01", Some("القدس العربي")),
        ("004", "2021-02-26", Some("عربي بوست")),
    ];
    assert_eq!(site().articles().len(), 5);
    for (prefix, date, outlet) in expected {
        let a = site().article(prefix);
        let slug = str_of(a, "slug");
        assert_eq!(str_of(a, "url"), format!("articles/{}/index.html", encode_segment(slug)), "{prefix} url");
        assert!(site().files.contains_key(&resolve(str_of(a, "url")).0), "{prefix}: the url has a page");
        let first_line = String::from_utf8(source(prefix))
            .unwrap()
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .trim()
            .to_string();
        assert_eq!(str_of(a, "title"), first_line, "{prefix}: the title is the first line");
        assert_eq!(a["date"].as_str(), Some(date), "{prefix} date");
        assert_eq!(a["source"].as_str(), outlet, "{prefix} source");
        assert_eq!(a["sha256"].as_str().map(str::len), Some(64), "{prefix} sha256");
        assert!(a["mentions"].as_array().is_some_and(|m| !m.is_empty()), "{prefix} mentions");
    }
}

#[test]
fn archive_json_mention_offsets_index_the_original_file() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let bytes = source(prefix);
        for m in site().article(prefix)["mentions"].as_array().unwrap() {
            let (Some(start), Some(end)) = (m["start"].as_u64(), m["end"].as_u64()) else {
                failures.push(format!("{prefix}: offsets missing in {m}"));
                continue;
            };
            let ok = m["id"].is_string()
                && m["entity"].as_str().is_some_and(|e| !e.is_empty())
                && m["type"].as_str().is_some_and(|t| KINDS.contains(&t))
                && bytes.get(start as usize..end as usize) == m["text"].as_str().map(str::as_bytes)
                && std::str::from_utf8(&bytes[..start as usize]).is_ok();
            if !ok {
                failures.push(format!("{prefix}: {m}"));
            }
        }
    }
    assert_none(&failures, "mention offsets");
}

#[test]
fn archive_json_mentions_are_the_mentions_of_the_pages() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let json: BTreeSet<(String, String, String, String)> = site().article(prefix)["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                [&m["id"], &m["type"], &m["entity"], &m["text"]].map(|v| v.as_str().unwrap_or_default().to_string())
            })
            .map(|[a, b, c, d]| (a, b, c, d))
            .collect();
        let html: BTreeSet<(String, String, String, String)> =
            page_mentions(&site().article_page(prefix)).into_iter().map(|m| (m.id, m.kind, m.entity, m.text)).collect();
        if json != html {
            let only_json: Vec<_> = json.difference(&html).collect();
            let only_html: Vec<_> = html.difference(&json).collect();
            failures.push(format!("{prefix}: only in archive.json {only_json:?}; only on the page {only_html:?}"));
        }
    }
    assert_none(&failures, "archive.json vs pages");
}

#[test]
fn archive_json_lists_every_mentioned_entity_with_its_page() {
    // (type, id) → the articles that mention it.
    let mut mentioned: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    for a in site().articles() {
        for m in a["mentions"].as_array().unwrap() {
            let key = (str_of(m, "type").to_string(), str_of(m, "entity").to_string());
            mentioned.entry(key).or_default().insert(str_of(a, "slug"));
        }
    }
    // A month's page also gathers the days of that month ("أيام هذا الشهر").
    let articles_of = |kind: &str, id: &str| -> usize {
        let within =
            |(k, e): &(String, String)| k == kind && (e == id || (kind == "date" && e.starts_with(&format!("{id}-"))));
        mentioned.iter().filter(|(key, _)| within(key)).flat_map(|(_, a)| a.iter()).collect::<BTreeSet<_>>().len()
    };
    let mut failures = Vec::new();
    let mut listed = BTreeSet::new();
    for e in site().entities() {
        let (kind, id) = (e["type"].as_str().unwrap_or_default(), e["id"].as_str().unwrap_or_default());
        listed.insert((kind.to_string(), id.to_string()));
        let articles = articles_of(kind, id);
        let ok = KINDS.contains(&kind)
            && e["name"].as_str().is_some_and(|n| !n.is_empty())
            && e["aliases"].as_array().is_some_and(|a| a.iter().all(Value::is_string))
            && e["url"].as_str() == Some(entity_url(kind, id).as_str())
            && site().files.contains_key(&resolve(&entity_url(kind, id)).0)
            && e["article_count"].as_u64() == Some(articles as u64);
        if !ok {
            failures.push(format!("{e} (mentioned in {articles} articles)"));
        }
    }
    let unlisted: Vec<_> = mentioned.keys().filter(|k| !listed.contains(*k)).collect();
    if !unlisted.is_empty() {
        failures.push(format!("mentioned but not listed: {unlisted:?}"));
    }
    assert_none(&failures, "archive.json entities");
    let ryder = site().entities().iter().find(|e| e["id"] == "pat-ryder").expect("pat-ryder is listed");
    assert_eq!(ryder["article_count"], 2);
    assert!(ryder["aliases"].as_array().unwrap().iter().any(|a| a == "باتريك رايدر"));
}
