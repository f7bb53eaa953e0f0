//! `/outlets/`: the outlets the articles come from (their `source`), in Arabic alphabetical
//! order with how many articles each; and each outlet's articles, newest first, a page at a
//! time, pages cut between years.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::article::is_placeholder;
use super::article_list::{newest_first, ByDate};
use super::pager::Pager;
use super::Output;
use crate::arabic::sort::compare;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Outlets;

/// The index of outlets.
pub fn index_route() -> Route {
    Route::folder(&["outlets"])
}

/// The first page of the outlet whose slug is `slug`.
pub fn route(slug: &str) -> Route {
    Route::folder(&["outlets", slug])
}

/// The longest slug kept, in bytes: a slug is a folder's name.
const MAX_SLUG_BYTES: usize = 200;

/// The slug of the outlet named `name`: its words (letters and digits, Latin ones in lower
/// case) joined by `-`, so that spellings differing in case, spaces or punctuation («BBC»,
/// «bbc», «الجزيرة + وكالات», «الجزيرة - وكالات») are one outlet and the slug is the same on
/// every build. A name without a letter or digit is spelled by its code points.
pub fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(|c| c.to_ascii_lowercase()).collect())
        .collect();
    let mut slug = if words.is_empty() {
        name.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| format!("u{:x}", u32::from(c)))
            .collect::<Vec<_>>()
            .join("-")
    } else {
        words.join("-")
    };
    if slug.len() > MAX_SLUG_BYTES {
        let end = (0..=MAX_SLUG_BYTES).rev().find(|&i| slug.is_char_boundary(i)).unwrap_or(0);
        slug.truncate(end);
    }
    slug
}

/// The outlet an article names, when it names one.
pub fn of_article<'a>(site: &Site<'a>, a: usize) -> Option<&'a str> {
    site.articles[a].article.meta.source.as_deref().map(str::trim).filter(|s| !is_placeholder(s))
}

/// An outlet and its articles.
pub struct Outlet {
    slug: String,
    /// How its articles most often write its name.
    name: String,
    /// Its name in English, as its articles most often give it.
    name_en: Option<String>,
    articles: ByDate,
}

/// Every outlet, in Arabic alphabetical order.
fn outlets(site: &Site) -> Vec<Outlet> {
    /// An outlet being gathered: how often each name and English name is written, and its
    /// articles in the lists' order.
    #[derive(Default)]
    struct Gathered<'a> {
        names: BTreeMap<&'a str, usize>,
        names_en: BTreeMap<&'a str, usize>,
        articles: Vec<usize>,
    }
    let mut by_slug: BTreeMap<String, Gathered> = BTreeMap::new();
    for a in newest_first(site) {
        if let Some(name) = of_article(site, a) {
            let outlet = by_slug.entry(slug(name)).or_default();
            *outlet.names.entry(name).or_default() += 1;
            let en = site.articles[a].article.meta.extra.get("source_en").map(|s| s.trim());
            if let Some(en) = en.filter(|s| !is_placeholder(s)) {
                *outlet.names_en.entry(en).or_default() += 1;
            }
            outlet.articles.push(a);
        }
    }
    // The most frequent spelling; of those as frequent, the first in code-point order.
    let most = |seen: &BTreeMap<&str, usize>| {
        seen.iter().max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0))).map(|(s, _)| s.to_string())
    };
    let size = site.config.paginate.articles;
    let mut outlets: Vec<Outlet> = by_slug
        .into_iter()
        .map(|(slug, gathered)| Outlet {
            name: most(&gathered.names).unwrap_or_default(),
            name_en: most(&gathered.names_en),
            articles: ByDate::new(site, gathered.articles, size),
            slug,
        })
        .collect();
    outlets.sort_by(|x, y| compare(&x.name, &y.name).then_with(|| x.slug.cmp(&y.slug)));
    outlets
}

/// A page of this output.
pub enum Page {
    Index(Arc<Vec<Outlet>>),
    /// An outlet (its place in the index) and a page number, from 1.
    Outlet(Arc<Vec<Outlet>>, usize, usize),
}

impl Output for Outlets {
    type Page = Page;

    fn pages(&self, site: &Site) -> Vec<Page> {
        let all = Arc::new(outlets(site));
        let mut pages = vec![Page::Index(Arc::clone(&all))];
        for (o, outlet) in all.iter().enumerate() {
            pages.extend(outlet.articles.numbers().map(|n| Page::Outlet(Arc::clone(&all), o, n)));
        }
        pages
    }

    fn route(&self, _: &Site, page: &Page) -> Route {
        match page {
            Page::Index(_) => index_route(),
            Page::Outlet(all, o, number) => route(&all[*o].slug).page(*number),
        }
    }

    fn view<'s>(&self, site: &'s Site, page: &Page, view: &mut View<'s>) -> Result<()> {
        #[derive(Serialize, Hash)]
        struct OutletView<'v> {
            name: &'v str,
            name_en: Option<&'v str>,
            url: String,
            count: usize,
        }
        fn shown<'v>(site: &Site, outlet: &'v Outlet) -> OutletView<'v> {
            OutletView {
                name: &outlet.name,
                name_en: outlet.name_en.as_deref(),
                url: site.href(&route(&outlet.slug)),
                count: outlet.articles.articles.len(),
            }
        }
        match page {
            Page::Index(all) => {
                let list: Vec<OutletView> = all.iter().map(|o| shown(site, o)).collect();
                let without = (0..site.articles.len()).filter(|&a| of_article(site, a).is_none()).count();
                view.insert("outlets", &list);
                view.insert("without_outlet", &without);
                view.insert("all_articles_url", &site.href(&super::article_list::route()));
                view.template("outlets.html");
            }
            Page::Outlet(all, o, number) => {
                let outlet = &all[*o];
                let list = &outlet.articles;
                view.insert("outlet", &shown(site, outlet));
                view.insert("index_url", &site.href(&index_route()));
                view.insert("articles", &list.page(site, *number));
                view.insert("first_number", &(list.articles.len() - list.cut.pages[number - 1].start));
                view.insert("pager", &Pager::by_year(site, &route(&outlet.slug), *number, &list.cut));
                view.template("outlet.html");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_the_words_of_the_name() {
        assert_eq!(slug("الجزيرة + وكالات"), "الجزيرة-وكالات");
        assert_eq!(slug(" BBC "), slug("bbc"));
        assert_eq!(slug("Sky News/عربية"), "sky-news-عربية");
        assert_eq!(slug("+ / +"), "u2b-u2f-u2b");
        let long = "ب".repeat(300);
        let s = slug(&long);
        assert!(s.len() <= MAX_SLUG_BYTES && s.chars().all(|c| c == 'ب'), "{s}");
    }
}
