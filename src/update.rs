//! `archive serve`'s fast path. After an edit to some articles, the session runs the
//! pipeline's steps again on those articles only (load, clean, recognise), then discovery
//! and linking on the whole archive, and compares the digest of every page of the site (see
//! [`crate::render::view`]) with the digest it had: it renders and writes in place the
//! pages whose digest moved, and removes those no longer made. What a page shows is known
//! only to the page's output; nothing here knows it. The edited articles' own pages come
//! first, written and told before the digests of the rest are made: whoever edits has them
//! open. A change to static files copies them.
//! What an update leaves to make in the background (the search index) is written by the
//! next update, even one with nothing changed: `archive serve` runs one when it is made.
//!
//! Anything else — site.toml, the gazetteer, templates, an article added, removed, renamed
//! or given another slug — builds everything again, as `archive build` does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content;
use crate::domain::Annotated;
use crate::error::{Error, Result};
use crate::render::outputs::{Digests, Sink};
use crate::render::{self, Made, Route};
use crate::write::InPlace;
use crate::{link_all, recognise, Clock, Report, Session};

/// What a set of changed paths asks for.
enum Plan {
    /// Read everything again.
    Rebuild,
    /// Articles (by index) edited, and static files (relative to the static folder) changed.
    Edit { articles: BTreeSet<usize>, statics: BTreeSet<PathBuf> },
}

/// Which files of the site on disk an update has just written: what open pages reload for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Any of them: the site was built again, or a static file changed.
    All,
    /// These pages, written or removed, by their path in the site (`articles/a/index.html`).
    Pages(Vec<String>),
}

/// Files of the site that the build makes: a static file at one of these paths is hidden by
/// the page, so changing it takes a full build to get right.
fn is_generated(relative: &Path, pages: &Digests) -> bool {
    relative == Path::new("css/syntax.css") || pages.keys().any(|route| Path::new(&route.file_path()) == relative)
}

impl Session {
    /// Brings the site up to date with the files at `changed` (absolute paths), doing as
    /// little as it can, and tells `pages_written` which pages it wrote once they are on
    /// disk: the edited articles' pages first, then the others (exports may still be written
    /// after it). On error the session stays as the site on disk; the paths are remembered
    /// and looked at again with the next change.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>, pages_written: &mut dyn FnMut(Written)) -> Result<Report> {
        self.clock = Clock::start();
        let mut paths = std::mem::take(&mut self.pending);
        paths.extend(changed.iter().cloned());
        let mut signalled = false;
        let mut written = |written| {
            signalled = true;
            pages_written(written);
        };
        let result = self.ended().and_then(|late| {
            self.prepare()?;
            let mut report = match self.plan(&paths) {
                Plan::Rebuild => self.rebuild(),
                Plan::Edit { articles, statics } => self.edit(&articles, &statics, &mut written),
            }?;
            // What the last build left undone (a previous site that could not be removed).
            report.warnings.splice(0..0, late);
            Ok(report)
        });
        match &result {
            Ok(_) if !signalled => pages_written(Written::All),
            Ok(_) => {}
            Err(_) => self.pending = paths,
        }
        result
    }

    fn plan(&self, changed: &BTreeSet<PathBuf>) -> Plan {
        // A site removed or damaged while serving is made again whole, never patched.
        if !crate::write::is_whole(&self.options.output) {
            return Plan::Rebuild;
        }
        let Ok(root) = self.options.root.canonicalize() else { return Plan::Rebuild };
        let config = &self.setup.config;
        let content = root.join(&config.content_dir);
        let statics = root.join(&config.static_dir);
        // Settings, gazetteer and templates shape every page (checked first: the gazetteer
        // may sit in the content folder).
        let everywhere = [root.join("site.toml"), root.join(&config.gazetteer)];
        let mut plan = (BTreeSet::new(), BTreeSet::new());
        for path in changed {
            let settled = if everywhere.contains(path) || path.starts_with(root.join(&config.templates_dir)) {
                false
            } else if let Ok(relative) = path.strip_prefix(&statics) {
                self.static_change(path, relative, &mut plan.1)
            } else if path.starts_with(&content) {
                let relative = path.strip_prefix(&root).unwrap_or(path);
                self.content_change(path, relative, &mut plan.0)
            } else {
                false
            };
            if !settled {
                return Plan::Rebuild;
            }
        }
        Plan::Edit { articles: plan.0, statics: plan.1 }
    }

    /// Notes a changed path of the content folder; false when it takes a full build.
    fn content_change(&self, path: &Path, relative: &Path, edited: &mut BTreeSet<usize>) -> bool {
        let position = |relative: &Path| self.articles.iter().position(|a| a.article.path == relative);
        if content::load::format_of(path).is_some() {
            match (position(relative), path.is_file()) {
                (Some(a), true) => edited.insert(a),
                // Gone, or new: the list of articles changes.
                (Some(_), false) | (None, true) => return false,
                // An editor's temporary file, come and gone.
                (None, false) => true,
            };
            true
        } else if path.extension().is_some_and(|e| e == "toml") {
            // A sidecar: its article, if it has one.
            let article = ["txt", "md", "markdown"].iter().find_map(|ext| position(&relative.with_extension(ext)));
            edited.extend(article);
            true
        } else if path.is_dir() {
            // A folder moved in may hold articles.
            false
        } else {
            // A file the build does not read, unless it was a folder of articles.
            !self.articles.iter().any(|a| a.article.path.starts_with(relative))
        }
    }

    /// Notes a changed static file; false when it takes a full build.
    fn static_change(&self, path: &Path, relative: &Path, statics: &mut BTreeSet<PathBuf>) -> bool {
        if relative.as_os_str().is_empty()
            || is_generated(relative, self.digests.as_ref().unwrap_or(&Digests::new()))
            || path.is_dir()
        {
            return false;
        }
        // A removed path is a file the site has, or a folder: that takes a full build.
        if !path.exists() && !self.options.output.join(relative).is_file() {
            return false;
        }
        statics.insert(relative.to_path_buf());
        true
    }

    /// Updates the site after `edited` articles and `statics` files changed, or with what
    /// was made in the background since the last update.
    fn edit(
        &mut self,
        edited: &BTreeSet<usize>,
        statics: &BTreeSet<PathBuf>,
        pages_written: &mut dyn FnMut(Written),
    ) -> Result<Report> {
        if edited.is_empty() {
            if self.cache.has_made_later() {
                // Nothing to read again: the pages of what was made are written.
                let none = BTreeSet::new();
                return self.render_changes(&none, statics, pages_written).map(|pages| self.report(pages, Vec::new()));
            }
            self.copy_statics(statics)?;
            self.clock.lap("write");
            return Ok(self.report(0, Vec::new()));
        }
        let root = self.options.root.clone();
        let mut warnings = Vec::new();
        let mut fresh = Vec::with_capacity(edited.len());
        for &a in edited {
            let known = &self.articles[a].article;
            let path = root.join(&known.path);
            // As the build's walk does: a sidecar that is a symbolic link is not followed.
            let has_sidecar = std::fs::symlink_metadata(content::load::sidecar_of(&path)).is_ok_and(|m| m.is_file());
            let loaded = content::load::load(&root, &path, has_sidecar, &mut warnings)?;
            match loaded.filter(|article| self.setup.config.drafts || !article.meta.draft) {
                Some(article) if article.slug == known.slug => fresh.push(article),
                // Skipped now (empty, a draft), or at another URL: the list of articles changes.
                _ => return self.rebuild(),
            }
        }
        self.clock.lap("load");
        let fresh = recognise(crate::clean(fresh, &self.setup.rules), &self.setup.recogniser);
        self.clock.lap("recognise");
        let before: Vec<(usize, Annotated)> =
            edited.iter().zip(fresh).map(|(&a, new)| (a, std::mem::replace(&mut self.articles[a], new))).collect();
        // A name in an edited article can give another article's names a page, or take it.
        self.setup.discover(&mut self.articles);
        self.clock.lap("discover");
        let index = link_all(&self.articles, Some(&self.index), self.setup.limits());
        let index_before = std::mem::replace(&mut self.index, index);
        self.clock.lap("link");
        let result = self.render_changes(edited, statics, pages_written).map(|pages| self.report(pages, warnings));
        // A failed update leaves the session as the site on disk: the edit is tried again.
        if result.is_err() {
            for (a, article) in before {
                self.articles[a] = article;
            }
            self.setup.discover(&mut self.articles);
            self.index = index_before;
        }
        result
    }

    /// Waits for what the last update left to make in the background (the search index)
    /// and writes it: the site on disk is then the one a build of the same files makes.
    pub fn settle(&mut self) -> Result<Report> {
        self.cache.wait();
        self.update(&BTreeSet::new(), &mut |_| {})
    }

    fn rebuild(&mut self) -> Result<Report> {
        let (fresh, report) = Session::start_serving(&self.options, self.ready.clone())?;
        let running = std::mem::take(&mut self.background);
        *self = fresh;
        self.background.extend(running);
        Ok(report)
    }

    /// Renders the pages whose digest moved, in memory, and writes them: those of the
    /// `edited` articles first, then the rest (see [`Session::write_rest`]).
    fn render_changes(
        &mut self,
        edited: &BTreeSet<usize>,
        statics: &BTreeSet<PathBuf>,
        pages_written: &mut dyn FnMut(Written),
    ) -> Result<usize> {
        let mut on_disk = self.digests.take().unwrap_or_default();
        let links = std::mem::take(&mut self.links);
        let site = self.site(links)?;
        let written = self.write_edited(&site, edited, &mut on_disk, pages_written).and_then(|first| {
            let rest = self.write_rest(&site, &mut on_disk, statics, pages_written)?;
            Ok(first + rest)
        });
        self.links = site.into_links();
        self.digests = Some(on_disk);
        written
    }

    /// Writes the pages of the `edited` articles that moved since `on_disk`, and tells
    /// `pages_written` when there were any; returns how many. `on_disk` follows the site.
    fn write_edited(
        &self,
        site: &render::Site,
        edited: &BTreeSet<usize>,
        on_disk: &mut Digests,
        pages_written: &mut dyn FnMut(Written),
    ) -> Result<usize> {
        let edited: Vec<usize> = edited.iter().copied().collect();
        let (moved, pages, _) = kept(|sink| render::outputs::render_moved_articles(site, &edited, on_disk, sink));
        let moved = moved?;
        if pages.is_empty() {
            return Ok(0);
        }
        let paths = self.write_pages(pages)?;
        // Only once all are written: where one failed, the next try writes them all again.
        on_disk.extend(moved.into_iter().filter(|(_, _, moved)| *moved).map(|(route, digest, _)| (route, digest)));
        self.clock.lap("edited pages");
        let count = paths.len();
        pages_written(Written::Pages(paths));
        Ok(count)
    }

    /// Renders every other page that moved since `on_disk`, writes them, removes the pages
    /// no longer made, copies `statics` and tells `pages_written`; then writes the exports
    /// (megabytes for a large archive) straight to their files while pages are served.
    /// Returns how many pages were written; `on_disk` follows the site, even on error.
    fn write_rest(
        &self,
        site: &render::Site,
        on_disk: &mut Digests,
        statics: &BTreeSet<PathBuf>,
        pages_written: &mut dyn FnMut(Written),
    ) -> Result<usize> {
        let (rendered, pages, exports) = kept(|sink| render::outputs::render_moved(site, on_disk, sink));
        self.clock.lap("render");
        // Where writing failed, the site on disk is part old, part new: against the old
        // digests, the next try writes again every page that differs from them.
        let (after, count) = rendered?;
        let paths = self.write_changes(on_disk, &after, pages, statics)?;
        *on_disk = after;
        self.clock.lap("write");
        pages_written(if statics.is_empty() { Written::Pages(paths) } else { Written::All });
        let output = InPlace { root: &self.options.output };
        let mut exports = exports.into_iter();
        while let Some((route, export)) = exports.next() {
            if let Err(e) = output.replace_with(Path::new(&route.file_path()), |out| export.write_to(out)) {
                // Exports not written are not known on disk: the next update writes them.
                on_disk.remove(&route);
                for (route, _) in exports {
                    on_disk.remove(&route);
                }
                return Err(e);
            }
        }
        self.clock.lap("exports");
        Ok(count)
    }

    /// Writes `pages` in place; returns their paths.
    fn write_pages(&self, pages: Pages) -> Result<Vec<String>> {
        let output = InPlace { root: &self.options.output };
        let mut paths = Vec::with_capacity(pages.len());
        for (route, page) in pages {
            let path = route.file_path();
            output.replace_with(Path::new(&path), |out| page.write_to(out))?;
            paths.push(path);
        }
        Ok(paths)
    }

    /// Writes `pages`, removes those `before` had and `after` has not, and copies `statics`;
    /// returns the paths of the pages written and removed.
    fn write_changes(
        &self,
        before: &Digests,
        after: &Digests,
        pages: Pages,
        statics: &BTreeSet<PathBuf>,
    ) -> Result<Vec<String>> {
        let mut paths = self.write_pages(pages)?;
        let output = InPlace { root: &self.options.output };
        let mut gone: Vec<String> = before.keys().filter(|r| !after.contains_key(*r)).map(Route::file_path).collect();
        gone.sort();
        for path in &gone {
            output.remove_page(Path::new(path))?;
        }
        self.copy_statics(statics)?;
        paths.extend(gone);
        Ok(paths)
    }

    /// Copies changed static files into the site, or removes those that are gone.
    fn copy_statics(&self, statics: &BTreeSet<PathBuf>) -> Result<()> {
        let output = InPlace { root: &self.options.output };
        let from = self.options.root.join(&self.setup.config.static_dir);
        for relative in statics {
            match std::fs::read(from.join(relative)) {
                Ok(bytes) => output.replace(relative, &bytes)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => output.remove(relative)?,
                Err(e) => return Err(Error::io(&from.join(relative), "cannot read", e)),
            }
        }
        Ok(())
    }
}

/// Pages made, by route.
type Pages<'s> = Vec<(Route, Made<'s>)>;

/// Runs `render` with a sink that keeps in memory what it is given: what `render` returned,
/// the pages, and apart the exports, which are written after the pages.
fn kept<'s, T>(render: impl FnOnce(&Sink<'_, 's>) -> Result<T>) -> (Result<T>, Pages<'s>, Pages<'s>) {
    let made = Mutex::new((Vec::new(), Vec::new()));
    let result = render(&|route, page, deferred| {
        // A poisoned list is still whole: pushing cannot leave it half-done.
        let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
        let list = if deferred { &mut made.1 } else { &mut made.0 };
        list.push((route.clone(), page));
        Ok(())
    });
    let (pages, exports) = made.into_inner().unwrap_or_else(|e| e.into_inner());
    (result, pages, exports)
}
