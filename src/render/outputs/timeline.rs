//! `/timeline/`: the archive in time, twice over — by when its articles were published, and
//! by the dates they refer to (the date entities found in their text). The first page gives
//! each year and month with how many articles; each year has a page of its own
//! (`/timeline/2018/`), whole, listing under each month the articles published in it and
//! under each date referred to the articles that refer to it. Newest first throughout, as
//! the list of articles reads, so that a month's articles go on where the list has them.
//!
//! A page grows with its year, not with the archive: under a month at most [`SHOWN`]
//! articles are listed, under a date [`SHOWN_PER_DATE`], the rest counted and linked where
//! they are listed in full (the page of the list of articles where they go on, the date's
//! own page).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Datelike;
use serde::Serialize;

use super::article_list::{self, ByDate};
use super::{entity, Output};
use crate::arabic::format;
use crate::domain::{EntityKey, IsoDate, Kind, Precision};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::{ArticleLink, EntityLink, Site};
use crate::render::view::View;

pub struct Timeline;

/// Articles listed under a month on a year's page.
const SHOWN: usize = 20;
/// Articles listed, by title alone, under a date referred to: a year of a large archive
/// refers to most of its days, and each date's page lists them all in their sentences.
const SHOWN_PER_DATE: usize = 3;

/// The timeline's first page.
pub fn route() -> Route {
    Route::folder(&["timeline"])
}

/// The page of `year`.
pub fn year_route(year: i32) -> Route {
    Route::folder(&["timeline", &format!("{year:04}")])
}

/// What the timeline's pages are made of, found once for all of them.
pub struct Years {
    /// The list of articles, newest first, as its pages cut it.
    list: ByDate,
    /// By year, then month: positions in `list` of the articles published then.
    published: BTreeMap<i32, BTreeMap<u32, Vec<usize>>>,
    /// By year: the dates of it that have pages, in time order, and how many articles
    /// refer to any of them.
    referred: BTreeMap<i32, (Vec<IsoDate>, usize)>,
}

impl Years {
    fn of(site: &Site) -> Years {
        let list = article_list::by_date(site);
        let mut published: BTreeMap<i32, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
        for (position, &a) in list.articles.iter().enumerate() {
            if let Some(date) = site.articles[a].article.meta.date {
                published.entry(date.year()).or_default().entry(date.month()).or_default().push(position);
            }
        }
        let mut referred: BTreeMap<i32, (Vec<IsoDate>, BTreeSet<usize>)> = BTreeMap::new();
        for (key, index) in site.index.entities.iter().filter(|(k, _)| k.kind == Kind::Date) {
            if let Some(date) = key.date() {
                let (dates, articles) = referred.entry(date.year()).or_default();
                dates.push(date);
                articles.extend(&index.articles);
            }
        }
        let referred = referred.into_iter().map(|(y, (dates, articles))| (y, (dates, articles.len()))).collect();
        Years { list, published, referred }
    }

    /// Every year with a page, newest first.
    fn years(&self) -> Vec<i32> {
        let all: BTreeSet<i32> = self.published.keys().chain(self.referred.keys()).copied().collect();
        all.into_iter().rev().collect()
    }
}

/// A page: the first, or a year's.
pub enum Page {
    Overview(Arc<Years>),
    Year(Arc<Years>, i32),
}

/// A month or a year, as a page names it and links to it.
#[derive(Serialize, Hash)]
struct Period {
    /// Its id, `2018` or `2018-03`: its place on its year's page.
    id: String,
    /// In words, `مارس/آذار 2018`.
    label: String,
    url: String,
    count: usize,
}

/// A month in which articles were published, on its year's page.
#[derive(Serialize, Hash)]
struct Published<'s> {
    #[serde(flatten)]
    month: Period,
    articles: Vec<&'s ArticleLink>,
    /// The articles not listed, and the page of the list of articles where they go on.
    more: usize,
    more_url: Option<String>,
}

/// A date referred to, with the articles that refer to it, on its year's page.
#[derive(Serialize, Hash)]
struct Referred<'s> {
    id: String,
    date: EntityLink<'s>,
    articles: Vec<&'s ArticleLink>,
    /// The articles not listed: on the date's page.
    more: usize,
}

/// A month referred to, itself and by its days.
#[derive(Serialize, Hash)]
struct ReferredMonth<'s> {
    #[serde(flatten)]
    month: Referred<'s>,
    days: Vec<Referred<'s>>,
}

/// A year as the first page shows it: its months, as they link to its page.
#[derive(Serialize, Hash)]
struct YearSummary {
    #[serde(flatten)]
    year: Period,
    months: Vec<Period>,
}

impl Output for Timeline {
    type Page = Page;

    fn pages(&self, site: &Site) -> Vec<Page> {
        let years = Arc::new(Years::of(site));
        let mut pages = vec![Page::Overview(Arc::clone(&years))];
        pages.extend(years.years().into_iter().map(|y| Page::Year(Arc::clone(&years), y)));
        pages
    }

    fn route(&self, _: &Site, page: &Page) -> Route {
        match page {
            Page::Overview(_) => route(),
            Page::Year(_, year) => year_route(*year),
        }
    }

    fn view<'s>(&self, site: &'s Site, page: &Page, view: &mut View<'s>) -> Result<()> {
        match page {
            Page::Overview(years) => overview(site, years, view),
            Page::Year(years, year) => year_page(site, years, *year, view),
        }
        Ok(())
    }
}

/// A period of `year`'s page: `anchor` is `p` for what was published then, `r` for what
/// refers to it.
fn period(site: &Site, date: IsoDate, anchor: &str, count: usize) -> Period {
    let id = date.to_string();
    let url = format!("{}#{anchor}-{id}", site.href(&year_route(date.year())));
    Period { label: format::date(date), id, url, count }
}

fn overview(site: &Site, years: &Years, view: &mut View) {
    let month = |year: i32, m: u32| IsoDate::new(year, Some(m), None);
    let published: Vec<YearSummary> = years
        .published
        .iter()
        .rev()
        .filter_map(|(&year, months)| {
            let count = months.values().map(Vec::len).sum();
            Some(YearSummary {
                year: period(site, IsoDate::new(year, None, None)?, "p", count),
                months: months
                    .iter()
                    .rev()
                    .filter_map(|(&m, articles)| Some(period(site, month(year, m)?, "p", articles.len())))
                    .collect(),
            })
        })
        .collect();
    let referred: Vec<YearSummary> = years
        .referred
        .iter()
        .rev()
        .filter_map(|(&year, (dates, count))| {
            let months = dates.iter().rev().filter(|d| d.precision() == Precision::Month);
            Some(YearSummary {
                year: period(site, IsoDate::new(year, None, None)?, "r", *count),
                months: months
                    .map(|&d| {
                        let articles = site.index.entities.get(&EntityKey::from(d)).map_or(0, |e| e.articles.len());
                        period(site, d, "r", articles)
                    })
                    .collect(),
            })
        })
        .collect();
    // Articles without a date are last in the list of articles, on pages of their own.
    let undated = years.list.cut.years.last().filter(|(year, _)| year.is_none());
    let undated_url = undated.map(|(_, pages)| site.href(&article_list::route().page(pages.start)));
    let undated_count = years.list.articles.iter().filter(|&&a| site.articles[a].article.meta.date.is_none()).count();
    view.insert("published", &published);
    view.insert("referred", &referred);
    view.insert("undated", &undated_count);
    view.insert("undated_url", &undated_url);
    view.insert("article_count", &site.articles.len());
    view.template("timeline.html");
}

fn year_page(site: &Site, years: &Years, year: i32, view: &mut View) {
    let list = &years.list;
    let published: Vec<Published> = years.published.get(&year).map_or_else(Vec::new, |months| {
        months
            .iter()
            .rev()
            .filter_map(|(&m, positions)| {
                let more = positions.len().saturating_sub(SHOWN);
                let more_url =
                    positions.get(SHOWN).map(|&p| site.href(&article_list::route().page(list.cut.page_with(p))));
                Some(Published {
                    month: period(site, IsoDate::new(year, Some(m), None)?, "p", positions.len()),
                    articles: positions.iter().take(SHOWN).map(|&p| site.article_link(list.articles[p])).collect(),
                    more,
                    more_url,
                })
            })
            .collect()
    });
    let referred_to = |date: IsoDate| {
        let key = EntityKey::from(date);
        let index = site.index.entities.get(&key)?;
        // The articles that name the date itself, newest first; a month's days list theirs.
        let articles: Vec<usize> = entity::articles(index).rev().collect();
        Some(Referred {
            id: date.to_string(),
            date: site.entity_link(key.borrowed(), index.articles.len()),
            articles: articles.iter().take(SHOWN_PER_DATE).map(|&a| site.article_link(a)).collect(),
            more: articles.len().saturating_sub(SHOWN_PER_DATE),
        })
    };
    let dates = years.referred.get(&year).map_or(&[][..], |(dates, _)| dates.as_slice());
    let the_year = dates.iter().find(|d| d.precision() == Precision::Year).and_then(|&d| referred_to(d));
    let months: Vec<ReferredMonth> = dates
        .iter()
        .rev()
        .filter(|d| d.precision() == Precision::Month)
        .filter_map(|&m| {
            let days = dates.iter().rev().filter(|d| d.precision() == Precision::Day && d.month() == Some(m));
            Some(ReferredMonth { month: referred_to(m)?, days: days.filter_map(|&d| referred_to(d)).collect() })
        })
        .collect();
    // Every year's page, this one marked: (year, link, whether it is this one).
    let nav: Vec<(String, String, bool)> =
        years.years().into_iter().map(|y| (format!("{y:04}"), site.href(&year_route(y)), y == year)).collect();
    view.insert("year", &format!("{year:04}"));
    view.insert("years", &nav);
    view.insert("timeline_url", &site.href(&route()));
    view.insert("published", &published);
    view.insert("published_count", &published.iter().map(|p| p.month.count).sum::<usize>());
    view.insert("the_year", &the_year);
    view.insert("referred", &months);
    view.insert("referred_count", &years.referred.get(&year).map_or(0, |(_, n)| *n));
    view.template("timeline_year.html");
}
