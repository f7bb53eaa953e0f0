//! Related articles, and articles cross-linked by the days and months they mention.

use std::collections::{BTreeMap, BTreeSet};

use crate::{assert_none, entity_url, sel, site, str_of, ARTICLES};

/// The article links of a section of an article page ("related-heading" or "dates-heading").
fn section_articles(prefix: &str, heading: &str) -> Vec<String> {
    site()
        .article_page(prefix)
        .select(&sel(&format!("section[aria-labelledby={heading}] li > a")))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect()
}

#[test]
fn related_articles_are_other_articles() {
    let urls: BTreeMap<&str, String> =
        ARTICLES.iter().map(|&p| (p, str_of(site().article(p), "url").to_string())).collect();
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let related = section_articles(prefix, "related-heading");
        let distinct: BTreeSet<&String> = related.iter().collect();
        // Every seed names سوريا, so every article has related articles.
        if related.is_empty()
            || distinct.len() != related.len()
            || related.iter().any(|u| u == &urls[prefix] || !urls.values().any(|v| v == u))
        {
            failures.push(format!("{prefix}: related {related:?}"));
        }
    }
    assert_none(&failures, "related articles");
}

#[test]
fn articles_about_the_same_month_are_cross_linked_by_date() {
    let url = |p: &str| str_of(site().article(p), "url").to_string();
    // 004 is dated 2021-02-26; 002 mentions «فبراير/شباط الماضي» = 2021-02.
    assert!(section_articles("004", "dates-heading").contains(&url("002")), "004 → 002");
    assert!(section_articles("002", "dates-heading").contains(&url("004")), "002 → 004");
    let shared: Vec<String> = site()
        .article_page("002")
        .select(&sel("section[aria-labelledby=dates-heading] p.shared a"))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(shared.contains(&entity_url("date", "2021-02")), "the shared month is named: {shared:?}");
}
