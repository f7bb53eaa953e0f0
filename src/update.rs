//! `archive serve`'s fast path. After an edit to some articles, the session runs the
//! pipeline's steps again on those articles only (load, clean, recognise), then discovery
//! and linking on the whole archive, and compares the digest of every page of the site (see
//! [`crate::render::view`]) with the digest it had: it renders and writes in place the
//! pages whose digest moved, and removes those no longer made. What a page shows is known
//! only to the page's output; nothing here knows it. A change to static files copies them.
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
use crate::render::outputs::Digests;
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

/// Files of the site that the build makes: a static file at one of these paths is hidden by
/// the page, so changing it takes a full build to get right.
fn is_generated(relative: &Path, pages: &Digests) -> bool {
    relative == Path::new("css/syntax.css") || pages.keys().any(|route| Path::new(&route.file_path()) == relative)
}

impl Session {
    /// Brings the site up to date with the files at `changed` (absolute paths), doing as
    /// little as it can, and calls `pages_written` once the pages on disk are the new ones
    /// (exports may still be written after it). On error the session stays as the site on
    /// disk; the paths are remembered and looked at again with the next change.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>, pages_written: &mut dyn FnMut()) -> Result<Report> {
        self.clock = Clock::start();
        let mut paths = std::mem::take(&mut self.pending);
        paths.extend(changed.iter().cloned());
        let mut signalled = false;
        let mut written = || {
            signalled = true;
            pages_written();
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
            Ok(_) if !signalled => pages_written(),
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
        pages_written: &mut dyn FnMut(),
    ) -> Result<Report> {
        if edited.is_empty() {
            if self.cache.has_made_later() {
                // Nothing to read again: the pages of what was made are written.
                return self.render_changes(statics, pages_written).map(|pages| self.report(pages, Vec::new()));
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
        let result = self.render_changes(statics, pages_written).map(|pages| self.report(pages, warnings));
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
        self.update(&BTreeSet::new(), &mut || {})
    }

    fn rebuild(&mut self) -> Result<Report> {
        let (fresh, report) = Session::start_serving(&self.options, self.ready.clone())?;
        let running = std::mem::take(&mut self.background);
        *self = fresh;
        self.background.extend(running);
        Ok(report)
    }

    /// Renders the pages whose digest moved, in memory; then, all of them made, writes them,
    /// removes the pages no longer made and calls `pages_written`. Exports (megabytes for a
    /// large archive) come last, written straight to their files while pages are served.
    fn render_changes(&mut self, statics: &BTreeSet<PathBuf>, pages_written: &mut dyn FnMut()) -> Result<usize> {
        let before = self.digests.take().unwrap_or_default();
        let links = std::mem::take(&mut self.links);
        let site = self.site(links)?;
        let (on_disk, written) = self.write_moved(&site, &before, statics, pages_written);
        self.links = site.into_links();
        self.digests = Some(on_disk);
        written
    }

    /// Writes what moved since `before`; returns the digests of what is now on disk, and
    /// how many pages were written.
    fn write_moved(
        &self,
        site: &render::Site,
        before: &Digests,
        statics: &BTreeSet<PathBuf>,
        pages_written: &mut dyn FnMut(),
    ) -> (Digests, Result<usize>) {
        let made = Mutex::new((Vec::new(), Vec::new()));
        let rendered = render::outputs::render_moved(site, before, &|route, page, deferred| {
            // A poisoned list is still whole: pushing cannot leave it half-done.
            let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
            let list = if deferred { &mut made.1 } else { &mut made.0 };
            list.push((route.clone(), page));
            Ok(())
        });
        let (pages, exports) = made.into_inner().unwrap_or_else(|e| e.into_inner());
        self.clock.lap("render");
        // Where writing failed, the site on disk is part old, part new: against the old
        // digests, the next try writes again every page that differs from them.
        let written = rendered.and_then(|(after, count)| {
            self.write_changes(before, &after, pages, statics)?;
            Ok((after, count))
        });
        let (mut on_disk, count) = match written {
            Ok(written) => written,
            Err(e) => return (before.clone(), Err(e)),
        };
        self.clock.lap("write");
        pages_written();
        let output = InPlace { root: &self.options.output };
        let mut exports = exports.into_iter();
        while let Some((route, export)) = exports.next() {
            if let Err(e) = output.replace_with(Path::new(&route.file_path()), |out| export.write_to(out)) {
                // Exports not written are not known on disk: the next update writes them.
                on_disk.remove(&route);
                for (route, _) in exports {
                    on_disk.remove(&route);
                }
                return (on_disk, Err(e));
            }
        }
        self.clock.lap("exports");
        (on_disk, Ok(count))
    }

    fn write_changes(
        &self,
        before: &Digests,
        after: &Digests,
        pages: Vec<(Route, Made)>,
        statics: &BTreeSet<PathBuf>,
    ) -> Result<()> {
        let output = InPlace { root: &self.options.output };
        for (route, page) in pages {
            output.replace_with(Path::new(&route.file_path()), |out| page.write_to(out))?;
        }
        let mut gone: Vec<String> = before.keys().filter(|r| !after.contains_key(*r)).map(Route::file_path).collect();
        gone.sort();
        for path in gone {
            output.remove_page(Path::new(&path))?;
        }
        self.copy_statics(statics)
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
