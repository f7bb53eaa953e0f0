//! Entity pages (spellings seen, timelines in date order) and the type indexes (names in
//! Arabic alphabetical order, dates in time order).

use std::collections::BTreeSet;

use scraper::Html;

use crate::{assert_none, entity_url, resolve, sel, site, str_of, text_of};

fn entity_page(kind: &str, id: &str) -> Html {
    site().page(&resolve(&entity_url(kind, id)).0)
}

#[test]
fn an_entity_page_lists_each_spelling_seen() {
    let doc = entity_page("person", "pat-ryder");
    let seen: BTreeSet<String> = doc
        .select(&sel("ul.seen li"))
        .filter_map(|li| {
            let text = text_of(li);
            let inner = text.split_once('«')?.1.split_once('»')?.0.to_string();
            Some(inner)
        })
        .collect();
    let expected: BTreeSet<String> = ["رايدر", "باتريك رايدر", "بات ريدر", "ريدر"].map(String::from).into();
    assert_eq!(seen, expected);
}

#[test]
fn an_entity_page_lists_its_articles_in_date_order() {
    let article_url = |p: &str| str_of(site().article(p), "url").to_string();
    let doc = entity_page("person", "pat-ryder");
    let order: Vec<String> =
        doc.select(&sel("ol.timeline > li h3 > a")).filter_map(|a| a.value().attr("href").map(String::from)).collect();
    assert_eq!(order, [article_url("000"), article_url("003")], "000 (2023-03-25) before 003 (2023-11-01)");

    let mut failures = Vec::new();
    for path in site().html_paths().filter(|p| p.starts_with("entities/") && p.matches('/').count() == 3) {
        let page = site().page(path);
        // The URL a curated entity's spelling would have as a discovered one leads to it.
        if let Some(refresh) = page.select(&sel("meta[http-equiv=refresh]")).next() {
            let to = refresh.value().attr("content").and_then(|c| c.strip_prefix("0; url=")).unwrap_or_default();
            let (file, _) = resolve(to);
            if !to.starts_with("entities/") || !site().html_paths().any(|p| *p == file) {
                failures.push(format!("{path}: redirects to {to:?}, which is no entity page"));
            }
            continue;
        }
        let dates: Vec<String> = page
            .select(&sel("ol.timeline > li h3 time[datetime]"))
            .filter_map(|t| t.value().attr("datetime").map(String::from))
            .collect();
        // A month named only through its days lists the days instead; their pages hold the mentions.
        let only_days = dates.is_empty() && page.select(&sel("#days-heading")).next().is_some();
        if (dates.is_empty() && !only_days) || dates.windows(2).any(|w| w[0] > w[1]) {
            failures.push(format!("{path}: article dates {dates:?}"));
        }
    }
    assert_none(&failures, "timelines");
}

/// The names an entity index lists, in order.
fn index_names(kind: &str) -> Vec<String> {
    site().page(&format!("entities/{kind}/index.html")).select(&sel("ul.index li > a")).map(text_of).collect()
}

/// Each pair (a, b): both listed, a before b.
fn assert_order(kind: &str, pairs: &[(&str, &str)]) {
    let names = index_names(kind);
    let at = |n: &str| names.iter().position(|x| x == n);
    let failures: Vec<String> = pairs
        .iter()
        .filter(|(a, b)| !matches!((at(a), at(b)), (Some(x), Some(y)) if x < y))
        .map(|(a, b)| format!("{kind}: «{a}» should come before «{b}» in {names:?}"))
        .collect();
    assert_none(&failures, "index order");
}

#[test]
fn entity_indexes_sort_names_alphabetically_ignoring_the_article() {
    // ر < و; ط < ع; ا < ل; ا < ر; ت < ج; ز < ش — each pair in the opposite order by raw code points.
    assert_order(
        "place",
        &[
            ("بريطانيا", "البوكمال"),
            ("طهران", "العراق"),
            ("واشنطن", "الولايات المتحدة"),
            ("قاعدة التنف", "القرية الخضراء"),
            ("البادية السورية", "بريطانيا"),
        ],
    );
    assert_order(
        "organization",
        &[("تويتر", "الجيش السوري"), ("حزب الله", "الحشد الشعبي"), ("إنترفاكس", "البيت الأبيض")],
    );
}

/// "آليات" (vehicles) starts with alef madda, not the article ال: it sorts among the alef
/// words (after "أفراد", before "دول"), not as "يات".
#[test]
fn a_name_starting_with_alef_madda_is_not_taken_for_the_article() {
    assert_order("quantity", &[("أفراد", "آليات"), ("آليات", "دول")]);
}

#[test]
fn the_date_index_is_in_time_order() {
    let doc = site().page("entities/date/index.html");
    let isos: Vec<String> = doc
        .select(&sel("ul.index li > a"))
        .filter_map(|a| {
            a.value().attr("href")?.strip_prefix("entities/date/")?.strip_suffix("/index.html").map(String::from)
        })
        .collect();
    let mut sorted = isos.clone();
    sorted.sort();
    assert!(isos.len() > 10, "dates listed: {isos:?}");
    assert_eq!(isos, sorted);
}
