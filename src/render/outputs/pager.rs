//! Paginated lists: how items split into pages, and the links between the pages.

use std::ops::Range;

use serde::Serialize;

use crate::render::route::Route;
use crate::render::site::Site;

/// Links between the pages of a paginated list.
#[derive(Serialize, Hash)]
pub struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last pages, when the numbers shown do not reach them.
    first: Option<String>,
    last: Option<String>,
    pages: Vec<PageLink>,
    /// For a list by date: each year's first page, in the list's order.
    years: Vec<YearLink>,
}

#[derive(Serialize, Hash)]
struct YearLink {
    /// None for the articles without a date.
    year: Option<i32>,
    url: String,
    /// The year is on the current page.
    current: bool,
}

#[derive(Serialize, Hash)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// Numbered page links shown either side of the current one.
const REACH: usize = 4;

impl Pager {
    /// Page `current` of `total` of the list whose first page is `first`.
    pub fn new(site: &Site, first: &Route, current: usize, total: usize) -> Pager {
        Pager::at(&|route| site.href(route), first, current, total)
    }

    /// Page `current` of a list by date cut by [`Cut::by_year`], with a link to each year.
    pub fn by_year(site: &Site, first: &Route, current: usize, cut: &Cut) -> Pager {
        Pager::at_years(&|route| site.href(route), first, current, cut)
    }

    fn at_years(href: &dyn Fn(&Route) -> String, first: &Route, current: usize, cut: &Cut) -> Pager {
        let mut pager = Pager::at(href, first, current, cut.pages.len());
        pager.years = cut
            .years
            .iter()
            .map(|&(year, ref pages)| YearLink {
                year,
                url: href(&first.page(pages.start)),
                current: pages.contains(&current),
            })
            .collect();
        pager
    }

    fn at(href: &dyn Fn(&Route) -> String, first: &Route, current: usize, total: usize) -> Pager {
        let url = |n: usize| href(&first.page(n));
        let (low, high) = (current.saturating_sub(REACH).max(1), (current + REACH).min(total));
        Pager {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            first: (low > 1).then(|| url(1)),
            last: (high < total).then(|| url(total)),
            pages: (low..=high).map(|n| PageLink { number: n, url: url(n), current: n == current }).collect(),
            years: Vec::new(),
        }
    }
}

/// A list by date cut into pages that never split a year: a page holds whole years, as
/// many as fit in `size` items; a year larger than that has pages of its own.
#[derive(Debug, PartialEq, Eq)]
pub struct Cut {
    /// Each page's items, as positions in the list: at least one page, even when empty.
    pub pages: Vec<Range<usize>>,
    /// Each year (none for undated items) in the list's order, with its pages (from 1).
    pub years: Vec<(Option<i32>, Range<usize>)>,
}

impl Cut {
    /// Cuts a list whose items' years are `years`, in the list's order (a year's items
    /// together), `size` items a page.
    pub fn by_year(years: impl IntoIterator<Item = Option<i32>>, size: usize) -> Cut {
        let size = size.max(1);
        let mut runs: Vec<(Option<i32>, Range<usize>)> = Vec::new();
        for (i, year) in years.into_iter().enumerate() {
            match runs.last_mut() {
                Some((y, run)) if *y == year => run.end = i + 1,
                _ => runs.push((year, i..i + 1)),
            }
        }
        let mut cut = Cut { pages: Vec::new(), years: Vec::with_capacity(runs.len()) };
        // Whether the last page may take another year: not when a larger year filled it.
        let mut open = false;
        for (year, run) in runs {
            match cut.pages.last_mut() {
                Some(page) if open && page.len() + run.len() <= size => page.end = run.end,
                _ => {
                    open = run.len() <= size;
                    cut.pages.extend(run.clone().step_by(size).map(|start| start..(start + size).min(run.end)));
                }
            }
            let last = cut.pages.len();
            let first = cut.pages.iter().rposition(|p| p.start <= run.start).map_or(last, |p| p + 1);
            cut.years.push((year, first..last + 1));
        }
        if cut.pages.is_empty() {
            cut.pages.push(0..0);
        }
        cut
    }

    /// The page (from 1) that holds item `position`.
    pub fn page_with(&self, position: usize) -> usize {
        self.pages.partition_point(|p| p.end <= position).min(self.pages.len() - 1) + 1
    }
}

/// How many pages `items` things take, `size` a page: at least one, even when empty.
pub fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size.max(1)).max(1)
}

/// Page `number` (from 1) of `items`, `size` a page.
pub fn page_of<T>(items: &[T], size: usize, number: usize) -> &[T] {
    let size = size.max(1);
    let start = ((number - 1) * size).min(items.len());
    &items[start..(start + size).min(items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_link_neighbours_and_nearby_pages() {
        let syria = Route::folder(&["entities", "place", "syria"]);
        let href = |route: &Route| route.link(true);
        let p = Pager::at(&href, &syria, 1, 3);
        assert_eq!((p.prev, p.next.as_deref()), (None, Some("entities/place/syria/page/2/index.html")));
        let p = Pager::at(&href, &Route::folder(&["articles"]), 10, 30);
        assert_eq!(p.prev.as_deref(), Some("articles/page/9/index.html"));
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [6, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert_eq!(p.first.as_deref(), Some("articles/index.html"));
        assert_eq!(p.last.as_deref(), Some("articles/page/30/index.html"));
        let p = Pager::at(&href, &syria, 2, 3);
        assert_eq!((p.first, p.last), (None, None), "pages 1 and 3 are among the numbers");
    }

    /// The years on each page of `cut`, from the years of its items.
    fn years_by_page(years: &[Option<i32>], cut: &Cut) -> Vec<Vec<Option<i32>>> {
        cut.pages
            .iter()
            .map(|p| {
                let mut on: Vec<Option<i32>> = years[p.clone()].to_vec();
                on.dedup();
                on
            })
            .collect()
    }

    #[test]
    fn lists_by_date_are_cut_between_years() {
        let empty = Cut::by_year([], 3);
        assert_eq!((empty.pages.len(), empty.pages[0].clone(), empty.years.len()), (1, 0..0, 0));
        let one = Cut::by_year([Some(2018); 2], 3);
        assert_eq!((one.pages.len(), one.pages[0].clone()), (1, 0..2));
        assert_eq!(one.years, [(Some(2018), 1..2)]);
        // A year larger than a page has pages of its own, the next year starts a new one.
        let years = [[Some(2018); 7].as_slice(), &[Some(2014), Some(2013)], &[None]].concat();
        let cut = Cut::by_year(years.iter().copied(), 3);
        assert_eq!(cut.pages, [0..3, 3..6, 6..7, 7..10]);
        assert_eq!(cut.years, [(Some(2018), 1..4), (Some(2014), 4..5), (Some(2013), 4..5), (None, 4..5)]);
        let on_pages = [vec![Some(2018)], vec![Some(2018)], vec![Some(2018)], vec![Some(2014), Some(2013), None]];
        assert_eq!(years_by_page(&years, &cut), on_pages);
        assert_eq!((cut.page_with(0), cut.page_with(5), cut.page_with(6), cut.page_with(9)), (1, 2, 3, 4));
        // Many small years: as many whole years a page as fit, none split.
        let years: Vec<Option<i32>> = (0..20).map(|i| Some(2000 - i / 2)).collect();
        let cut = Cut::by_year(years.iter().copied(), 5);
        assert!(cut.pages.iter().all(|p| p.len() == 4), "{:?}", cut.pages);
        for size in 1..8 {
            let years: Vec<Option<i32>> =
                [3, 1, 6, 2, 2, 9, 1].iter().enumerate().flat_map(|(y, &n)| vec![Some(y as i32); n]).collect();
            let cut = Cut::by_year(years.iter().copied(), size);
            let all: Vec<usize> = cut.pages.iter().flat_map(Clone::clone).collect();
            assert_eq!(all, (0..years.len()).collect::<Vec<_>>(), "every item once, in order ({size})");
            for (page, on) in years_by_page(&years, &cut).iter().enumerate() {
                let len = cut.pages[page].len();
                assert!(len <= size || on.len() == 1, "a page over size holds one year ({size})");
                // A year on several pages is alone on each.
                for (year, pages) in &cut.years {
                    if pages.len() > 1 && pages.contains(&(page + 1)) {
                        assert_eq!(on, &[*year], "{size} {page}");
                    }
                }
            }
        }
    }

    #[test]
    fn pagers_by_date_link_each_year_where_it_starts() {
        let href = |route: &Route| route.link(true);
        let years = [[Some(2018); 4].as_slice(), &[Some(2014), None]].concat();
        let cut = Cut::by_year(years.iter().copied(), 2);
        let p = Pager::at_years(&href, &Route::folder(&["articles"]), 2, &cut);
        let links: Vec<(Option<i32>, &str, bool)> =
            p.years.iter().map(|y| (y.year, y.url.as_str(), y.current)).collect();
        assert_eq!(
            links,
            [
                (Some(2018), "articles/index.html", true),
                (Some(2014), "articles/page/3/index.html", false),
                (None, "articles/page/3/index.html", false)
            ]
        );
        assert_eq!(p.total, 3);
        assert!(Pager::at(&href, &Route::folder(&["articles"]), 1, 3).years.is_empty());
    }

    #[test]
    fn lists_split_into_pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!((page_of(&[1, 2, 3], 2, 1), page_of(&[1, 2, 3], 2, 2)), (&[1, 2][..], &[3][..]));
        for items in 0..12 {
            for size in 0..5 {
                let all: Vec<usize> = (0..items).collect();
                let pages: Vec<&[usize]> = (1..=page_count(items, size)).map(|n| page_of(&all, size, n)).collect();
                // Every item on exactly one page, in order; no page empty but a lone one.
                assert_eq!(pages.concat(), all, "{items} {size}");
                assert!(pages.iter().all(|p| !p.is_empty()) || pages.len() == 1, "{items} {size}");
            }
        }
    }
}
