//! Paginated lists: how items split into pages, and the links between the pages.

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
        }
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
