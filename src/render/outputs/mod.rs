//! Every output of the site, one item each in [`OUTPUTS`]: the home page, the list of
//! articles, each article, the timeline, the outlets, each type's index, each entity, the
//! pages of entities that moved, the 404 page, the search page and its index, the sitemap,
//! `robots.txt`, the Atom feeds,
//! `data/archive.json`, the CSV tables, the Web Annotations of each article, the original
//! files and their manifest.
//!
//! An item knows which pages it makes, where each goes ([`Route`]) and what each shows
//! (its [`View`]). `archive build` renders every page of every item; `archive serve`
//! compares each page's digest before and after an edit, renders those that moved and
//! removes those that are gone. A new page or export is a new item here and its template.

pub mod annotations;
pub mod archive_json;
pub mod article;
pub mod article_list;
pub mod entity;
pub mod feed;
pub mod home;
pub mod kind_index;
pub mod manifest;
pub mod not_found;
pub mod originals;
pub mod outlets;
pub mod pager;
pub mod redirect;
pub mod robots;
pub mod search;
pub mod sitemap;
pub mod tables;
pub mod timeline;

use std::collections::HashMap;

use rayon::prelude::*;

use super::route::Route;
use super::site::Site;
use super::templates;
use super::view::{Body, Mode, View, Writer};
use crate::error::Result;

/// One kind of output.
pub trait Output: Sync {
    /// What tells its pages apart: an article, an entity and a page number…
    type Page: Send + Sync;

    /// Every page it makes of this site.
    fn pages(&self, site: &Site) -> Vec<Self::Page>;

    fn route(&self, site: &Site, page: &Self::Page) -> Route;

    /// Builds what `page` shows (see [`View`]).
    fn view<'s>(&self, site: &'s Site, page: &Self::Page, view: &mut View<'s>) -> Result<()>;

    /// Written after the pages, on a thread, when the site is updated in place: an export
    /// of megabytes need not hold back the pages.
    fn deferred(&self) -> bool {
        false
    }
}

/// The site's outputs, in the order they are written.
pub static OUTPUTS: &[&dyn AnyOutput] = &[
    &home::Home,
    &article_list::ArticleList,
    &article::Articles,
    &timeline::Timeline,
    &outlets::Outlets,
    &kind_index::KindIndex,
    &entity::Entities,
    &redirect::Redirects,
    &not_found::NotFound,
    &search::Search,
    &sitemap::Sitemap,
    &robots::Robots,
    &feed::Feeds,
    &originals::Originals,
    &manifest::Manifest,
    &annotations::Annotations,
    &archive_json::ArchiveJson,
    &tables::Tables,
];

/// A page made: bytes, or a writer for an export too large to hold.
pub enum Made<'s> {
    Bytes(Vec<u8>),
    Stream(Writer<'s>),
}

impl Made<'_> {
    /// Writes the page to `out`.
    pub fn write_to(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Made::Bytes(bytes) => out.write_all(&bytes),
            Made::Stream(write) => write(out),
        }
    }
}

/// Where made pages go: route, page, and whether its output is deferred. A page may be
/// kept as long as the site it is made of (`'s`).
pub type Sink<'w, 's> = dyn Fn(&Route, Made<'s>, bool) -> Result<()> + Sync + 'w;

/// An [`Output`] whatever its pages are: what the build and the update work with.
pub trait AnyOutput: Sync {
    /// Each page's route and digest.
    fn digests(&self, site: &Site) -> Result<Vec<(Route, u64)>>;

    /// How many pages it makes.
    fn page_count(&self, site: &Site) -> usize;

    /// Renders every page, handing each to `sink`; returns how many.
    fn render<'s>(&self, site: &'s Site, sink: &Sink<'_, 's>) -> Result<usize>;

    /// Each page's route and digest, as [`AnyOutput::digests`], rendering into `sink` the
    /// pages whose digest is not the one `before` gives: in one pass over the pages.
    fn render_moved<'s>(&self, site: &'s Site, before: &Digests, sink: &Sink<'_, 's>) -> Result<Vec<Moved>>;
}

/// Every page's digest, by route.
pub type Digests = HashMap<Route, u64>;

/// A page's route and digest, and whether it was rendered since it moved.
pub type Moved = (Route, u64, bool);

impl<O: Output> AnyOutput for O {
    fn digests(&self, site: &Site) -> Result<Vec<(Route, u64)>> {
        self.pages(site).par_iter().map(|page| digest_of(self, site, page)).collect()
    }

    fn page_count(&self, site: &Site) -> usize {
        self.pages(site).len()
    }

    fn render<'s>(&self, site: &'s Site, sink: &Sink<'_, 's>) -> Result<usize> {
        let pages = self.pages(site);
        pages.par_iter().try_for_each(|page| render_into(self, site, page, &self.route(site, page), sink))?;
        Ok(pages.len())
    }

    fn render_moved<'s>(&self, site: &'s Site, before: &Digests, sink: &Sink<'_, 's>) -> Result<Vec<Moved>> {
        moved(self, site, &self.pages(site), before, sink)
    }
}

/// The digests of `pages` of `output`, rendering into `sink` those that moved since `before`.
fn moved<'s, O: Output>(
    output: &O,
    site: &'s Site,
    pages: &[O::Page],
    before: &Digests,
    sink: &Sink<'_, 's>,
) -> Result<Vec<Moved>> {
    pages
        .par_iter()
        .map(|page| {
            let (route, digest) = digest_of(output, site, page)?;
            let moved = before.get(&route) != Some(&digest);
            if moved {
                render_into(output, site, page, &route, sink)?;
            }
            Ok((route, digest, moved))
        })
        .collect()
}

/// As [`render_moved`], for the pages of the articles at `edited` (positions in the
/// archive) only: what `archive serve` writes first after an edit, since the one editing
/// has them open. Returns those pages' digests.
pub fn render_moved_articles<'s>(
    site: &'s Site,
    edited: &[usize],
    before: &Digests,
    sink: &Sink<'_, 's>,
) -> Result<Vec<Moved>> {
    moved(&article::Articles, site, edited, before, sink)
}

/// One page's route and digest.
fn digest_of<O: Output>(output: &O, site: &Site, page: &O::Page) -> Result<(Route, u64)> {
    let route = output.route(site, page);
    let (digest, _) = make(output, site, page, &route, Mode::Digest)?;
    Ok((route, digest))
}

/// Renders one page into `sink`.
fn render_into<'s, O: Output>(
    output: &O,
    site: &'s Site,
    page: &O::Page,
    route: &Route,
    sink: &Sink<'_, 's>,
) -> Result<()> {
    match make(output, site, page, route, Mode::Render)? {
        (_, Some(made)) => sink(route, made, output.deferred()),
        (_, None) => Ok(()),
    }
}

/// Builds one page's view; when rendering, makes the page too.
fn make<'s, O: Output>(
    output: &O,
    site: &'s Site,
    page: &O::Page,
    route: &Route,
    mode: Mode,
) -> Result<(u64, Option<Made<'s>>)> {
    // A digest needs no template context; the route is part of the digest.
    let context = match mode {
        Mode::Render => {
            let mut context = site.context();
            // Links are written from the site's root; `root` leads there from the page, and
            // `here` is the page's own link, for links within it (`{{ here }}#main`).
            context.insert("root", &route.root());
            context.insert("here", &site.href(route));
            context
        }
        Mode::Digest => tera::Context::new(),
    };
    let mut view = View::new(mode, context);
    output.view(site, page, &mut view)?;
    let (digest, context, body) = view.finish();
    // The navigation every page shows, and where the page is, are part of each page.
    let digest = super::view::digest(&(site.base_digest, digest, route));
    let made = match (mode, body) {
        (Mode::Digest, _) => None,
        (Mode::Render, Some(Body::Template(name))) => Some(Made::Bytes(templates::render(site.tera, name, &context)?)),
        (Mode::Render, Some(Body::Bytes(bytes))) => Some(Made::Bytes(bytes)),
        (Mode::Render, Some(Body::Stream(write))) => Some(Made::Stream(write)),
        (Mode::Render, None) => Some(Made::Bytes(Vec::new())),
    };
    Ok((digest, made))
}

/// Every page of the site with its digest.
pub fn digests(site: &Site) -> Result<Digests> {
    let mut all = HashMap::new();
    for output in OUTPUTS {
        all.extend(output.digests(site)?);
    }
    Ok(all)
}

/// How many pages the site has.
pub fn page_count(site: &Site) -> usize {
    OUTPUTS.iter().map(|output| output.page_count(site)).sum()
}

/// Renders every page, every output in turn; returns how many.
pub fn render<'s>(site: &'s Site, sink: &Sink<'_, 's>) -> Result<usize> {
    let mut count = 0;
    for output in OUTPUTS {
        count += output.render(site, sink)?;
    }
    site.cache.settle();
    Ok(count)
}

/// Renders the pages whose digest moved since `before`; returns every page's digest now,
/// and how many were rendered.
pub fn render_moved<'s>(site: &'s Site, before: &Digests, sink: &Sink<'_, 's>) -> Result<(Digests, usize)> {
    let (mut after, mut count) = (HashMap::new(), 0);
    for output in OUTPUTS {
        for (route, digest, moved) in output.render_moved(site, before, sink)? {
            count += usize::from(moved);
            after.insert(route, digest);
        }
    }
    site.cache.settle();
    Ok((after, count))
}
