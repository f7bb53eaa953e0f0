//! `archive serve`'s fast path. After an edit to some articles, the session loads, cleans
//! and recognises only those, links the archive again, and renders and writes in place only
//! the pages that can show something different: the articles themselves, the articles that
//! link to them or whose related lists moved, the pages of the entities they mention, and
//! the indexes. A change to static files copies those files.
//!
//! Anything else — site.toml, the gazetteer, templates, an article added, removed, renamed
//! or given another slug — builds everything again, as `archive build` does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::Paginate;
use crate::content;
use crate::error::{Error, Result};
use crate::link::{discovered, ArchiveIndex, DateLink, EntityIndex, EntityKey, Related};
use crate::recognise::Kind;
use crate::render::data::ArchiveJson;
use crate::render::pages::{
    by_article, entity_dir, kind_dir, page_count, page_path, pages_of, timeline_pages, ArticleLink, Job, Page, Pages,
};
use crate::write::InPlace;
use crate::{annotate, clean, link_all, Annotated, Clock, Report, Session};

/// What a set of changed paths asks for.
enum Plan {
    /// Read everything again.
    Rebuild,
    /// Articles (by index) edited, and static files (relative to the static folder) changed.
    Edit { articles: BTreeSet<usize>, statics: BTreeSet<PathBuf> },
}

/// Files of the site that the build makes: a static file at one of these paths is hidden by
/// the page, so changing it takes a full build to get right.
fn is_generated(relative: &Path) -> bool {
    relative.file_name().is_some_and(|n| n == "index.html")
        || relative == Path::new("css/syntax.css")
        || relative == Path::new("data/archive.json")
}

impl Session {
    /// Brings the site up to date with the files at `changed` (absolute paths), doing as
    /// little as it can. On error the site on disk and the session stay as they were; the
    /// paths are remembered and looked at again with the next change.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Report> {
        self.clock = Clock::start();
        let mut paths = std::mem::take(&mut self.pending);
        paths.extend(changed.iter().cloned());
        let result = self.finish().and_then(|late| {
            let mut report = match self.plan(&paths) {
                Plan::Rebuild => self.rebuild(),
                Plan::Edit { articles, statics } => self.edit(&articles, &statics),
            }?;
            // What the last build left undone (a previous site that could not be removed).
            report.warnings.splice(0..0, late);
            Ok(report)
        });
        if result.is_err() {
            self.pending = paths;
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
        if relative.as_os_str().is_empty() || is_generated(relative) || path.is_dir() {
            return false;
        }
        // A removed path is a file the site has, or a folder: that takes a full build.
        if !path.exists() && !self.options.output.join(relative).is_file() {
            return false;
        }
        statics.insert(relative.to_path_buf());
        true
    }

    /// Updates the site after `edited` articles and `statics` files changed.
    fn edit(&mut self, edited: &BTreeSet<usize>, statics: &BTreeSet<PathBuf>) -> Result<Report> {
        if edited.is_empty() {
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
                Some(article) if article.slug == known.slug => fresh.push((a, article)),
                // Skipped now (empty, a draft), or at another URL: the list of articles changes.
                _ => return self.rebuild(),
            }
        }
        self.clock.lap("load");
        let fresh: Vec<(usize, Annotated)> = fresh
            .into_iter()
            .map(|(a, article)| {
                let (article, cleaned) = clean(article, &self.setup.rules);
                (a, annotate(article, cleaned, &self.setup.recogniser))
            })
            .collect();
        self.clock.lap("recognise");
        let before: Vec<(usize, Annotated)> =
            fresh.into_iter().map(|(a, new)| (a, std::mem::replace(&mut self.articles[a], new))).collect();
        // A name in an edited article can give another article's names a page, or take it.
        let mut edited = edited.clone();
        edited.extend(self.setup.discover(&mut self.articles));
        self.clock.lap("discover");
        let edited = &edited;
        let links_before: Vec<(usize, ArticleLink)> =
            edited.iter().filter_map(|&a| self.links.get(a).map(|link| (a, link.clone()))).collect();
        let index = link_all(&self.articles, Some(&self.index), self.setup.limits());
        let index_before = std::mem::replace(&mut self.index, index);
        self.clock.lap("link");
        let result = if kinds(&index_before) != kinds(&self.index) {
            // Every page's navigation changes.
            self.warnings = warnings;
            self.write_all()
        } else {
            self.render_changes(&index_before, edited, statics).map(|pages| self.report(pages, warnings))
        };
        // A failed update leaves the session as the site on disk: the edit is tried again.
        if result.is_err() {
            for (a, article) in before {
                self.articles[a] = article;
            }
            self.setup.discover(&mut self.articles);
            for (a, link) in links_before {
                self.links[a] = link;
            }
            self.index = index_before;
        }
        result
    }

    fn rebuild(&mut self) -> Result<Report> {
        let (fresh, report) = Session::start(&self.options)?;
        *self = fresh;
        Ok(report)
    }

    /// Renders the pages `edited` can change, in memory; then, all of them made, writes them.
    fn render_changes(
        &mut self,
        before: &ArchiveIndex,
        edited: &BTreeSet<usize>,
        statics: &BTreeSet<PathBuf>,
    ) -> Result<usize> {
        let paginate = &self.setup.config.paginate;
        let mut site = self.setup.site(&self.articles, &self.index, std::mem::take(&mut self.links));
        // Where discovered URLs led before the edit, and where they lead now (the site's).
        let redirects = (discovered::redirects(before, &self.setup.gazetteer), site.redirects().clone());
        let data = &mut self.data;
        let mut rendered = || -> Result<(Vec<Page>, ArchiveJson)> {
            let links_before: Vec<ArticleLink> = edited.iter().map(|&a| site.article_link(a).clone()).collect();
            site.refresh_links(&edited.iter().copied().collect::<Vec<_>>())?;
            let relinked: BTreeSet<usize> = edited
                .iter()
                .zip(&links_before)
                .filter(|(&a, old)| site.article_link(a) != *old)
                .map(|(&a, _)| a)
                .collect();
            let mut jobs = jobs(before, site.index(), edited, &relinked, paginate, |k| site.parent_key(k));
            let moved = redirects.1.iter().filter(|(old, to)| redirects.0.get(*old) != Some(*to));
            jobs.extend(moved.map(|(old, _)| Job::Redirect(old.clone())));
            let pages = Mutex::new(Vec::new());
            site.render(&jobs, |path, html| {
                // A poisoned list is still whole: pushing cannot leave it half-done.
                pages.lock().unwrap_or_else(|e| e.into_inner()).push((path, html));
                Ok(())
            })?;
            // No writer holds the entries now (see `update`): this changes them in place.
            let data = Arc::make_mut(data);
            if data.len() == site.article_count() {
                for &a in edited {
                    data[a] = site.article_json(a);
                }
            } else {
                *data = (0..site.article_count()).into_par_iter().map(|a| site.article_json(a)).collect();
            }
            Ok((pages.into_inner().unwrap_or_else(|e| e.into_inner()), site.archive_json()))
        };
        let rendered = rendered();
        self.links = site.into_links();
        let (pages, json) = rendered?;
        self.clock.lap("render");

        let output = InPlace { root: &self.options.output };
        for (path, html) in &pages {
            output.replace(Path::new(path), html)?;
        }

        let no_longer =
            redirects.0.keys().filter(|k| !redirects.1.contains_key(*k) && !self.index.entities.contains_key(*k));
        let mut removed: Vec<PathBuf> = no_longer.map(|k| PathBuf::from(entity_dir(k))).collect();
        removed.extend(gone(before, &self.index, paginate.timeline, paginate.entities));
        // A page gone that a redirect now holds stays: the redirect was just written there.
        let held: BTreeSet<PathBuf> = redirects.1.keys().map(|k| PathBuf::from(entity_dir(k))).collect();
        removed.retain(|dir| !held.contains(dir));
        for gone in removed {
            output.remove(&gone)?;
        }
        self.copy_statics(statics)?;
        // archive.json (megabytes for a large archive) is made and written while the pages
        // are already served.
        let (data, root) = (Arc::clone(&self.data), self.options.output.clone());
        self.background.push(std::thread::spawn(move || {
            InPlace { root: &root }
                .replace(Path::new("data/archive.json"), json.with(&data).as_bytes())
                .map(|()| Vec::new())
        }));
        self.clock.lap("write");
        Ok(pages.len())
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

/// The keys of one kind's entities, for `BTreeMap::range`: keys sort by kind first.
fn kind_range(kind: Kind) -> std::ops::RangeInclusive<EntityKey> {
    (kind, String::new())..=(kind, char::MAX.to_string())
}

/// What a type's index shows: its entities, with how many articles name each.
fn article_counts(index: &ArchiveIndex, kind: Kind) -> Vec<(&str, usize)> {
    index.entities.range(kind_range(kind)).map(|(k, e)| (k.1.as_str(), e.articles.len())).collect()
}

/// The kinds of entity that have pages: every page's navigation lists them.
fn kinds(index: &ArchiveIndex) -> Vec<Kind> {
    Kind::ALL.into_iter().filter(|&kind| index.entities.keys().any(|k| k.0 == kind)).collect()
}

/// What an article page shows of the index: related articles with what they share, articles
/// on the same dates, and the articles before and after it.
type ArticleView<'i> = (Vec<(usize, &'i [EntityKey])>, &'i [DateLink], [Option<usize>; 2]);

fn article_view(index: &ArchiveIndex, a: usize) -> ArticleView<'_> {
    let related = index.related[a].iter().map(|r: &Related| (r.article, r.shared.as_slice())).collect();
    let position = index.rank[a];
    let older = position.checked_sub(1).map(|p| index.chronological[p]);
    let newer = index.chronological.get(position + 1).copied();
    (related, &index.by_date[a], [older, newer])
}

/// What an entity page shows above its timeline; when it is unchanged, only the timeline
/// pages that moved or hold an edited article need rendering.
fn heading<'e>(index: &ArchiveIndex, entity: &'e EntityIndex, timeline: usize) -> impl PartialEq + 'e {
    let day_counts: Vec<usize> = entity
        .days
        .iter()
        .map(|d| index.entities.get(&(Kind::Date, d.clone())).map_or(0, |e| e.articles.len()))
        .collect();
    let pages = timeline_pages(entity, timeline);
    (
        entity.mentions.len(),
        entity.articles.len(),
        &entity.spellings,
        &entity.cooccurring,
        &entity.days,
        day_counts,
        pages,
    )
}

/// The pages that can differ after `edited` articles changed, `relinked` being those of
/// them that other pages now link to differently (title, date, source). `before` and
/// `after` are the archive's index before and after the edit.
fn jobs(
    before: &ArchiveIndex,
    after: &ArchiveIndex,
    edited: &BTreeSet<usize>,
    relinked: &BTreeSet<usize>,
    paginate: &Paginate,
    parent: impl Fn(&EntityKey) -> Option<EntityKey>,
) -> Vec<Job> {
    let timeline = paginate.timeline;
    // The home page counts mentions: always made again.
    let mut jobs = vec![Job::Home];
    // The list of articles: all of it when articles moved, else the pages of those relinked.
    if before.chronological != after.chronological {
        jobs.push(Job::Articles(Pages::All));
    } else if !relinked.is_empty() {
        let newest_first = |a: usize| after.rank.len() - 1 - after.rank[a];
        let numbers = relinked.iter().map(|&a| newest_first(a) / paginate.articles.max(1) + 1).collect();
        jobs.push(Job::Articles(Pages::Only(numbers)));
    }
    // A type's index, when its entities or their article counts changed.
    let changed = |kind: Kind| article_counts(before, kind) != article_counts(after, kind);
    jobs.extend(Kind::ALL.into_iter().filter(|&kind| changed(kind)).map(Job::Kind));
    for a in 0..after.rank.len() {
        let view = article_view(after, a);
        let links_to_relinked = view
            .0
            .iter()
            .map(|r| r.0)
            .chain(view.1.iter().map(|d| d.article))
            .chain(view.2.into_iter().flatten())
            .any(|b| relinked.contains(&b));
        if edited.contains(&a) || links_to_relinked || view != article_view(before, a) {
            jobs.push(Job::Article(a));
        }
    }
    // Entities that appeared or went: their children name them, linked or not.
    let appeared_or_gone: BTreeSet<&EntityKey> = before
        .entities
        .keys()
        .filter(|k| !after.entities.contains_key(*k))
        .chain(after.entities.keys().filter(|k| !before.entities.contains_key(*k)))
        .collect();
    let touched: BTreeSet<usize> = edited.union(relinked).copied().collect();
    for (key, entity) in &after.entities {
        let pages = match before.entities.get(key) {
            None => Some(Pages::All),
            Some(_) if parent(key).is_some_and(|p| appeared_or_gone.contains(&p)) => Some(Pages::All),
            Some(old) if old == entity && !entity.articles.iter().any(|a| touched.contains(a)) => None,
            Some(old) if heading(before, old, timeline) != heading(after, entity, timeline) => Some(Pages::All),
            Some(old) => {
                let (old, new) = (by_article(old), by_article(entity));
                let numbers: BTreeSet<usize> = pages_of(&old, timeline)
                    .iter()
                    .zip(pages_of(&new, timeline))
                    .enumerate()
                    .filter(|(_, (o, n))| *o != n || n.iter().any(|(a, _)| touched.contains(a)))
                    .map(|(i, _)| i + 1)
                    .collect();
                (!numbers.is_empty()).then_some(Pages::Only(numbers))
            }
        };
        jobs.extend(pages.map(|pages| Job::Entity(key.clone(), pages)));
    }
    jobs
}

/// Pages the site had before and no longer has: entities no longer mentioned, and the last
/// pages of lists that got shorter.
fn gone(before: &ArchiveIndex, after: &ArchiveIndex, timeline: usize, per_index: usize) -> Vec<PathBuf> {
    let page_dirs = |dir: String, from: usize, to: usize| {
        (from + 1..=to)
            .map(move |n| PathBuf::from(page_path(&dir, n)).parent().map(Path::to_path_buf).unwrap_or_default())
    };
    let mut out = Vec::new();
    for (key, old) in &before.entities {
        match after.entities.get(key) {
            None => out.push(PathBuf::from(entity_dir(key))),
            Some(new) => {
                out.extend(page_dirs(entity_dir(key), timeline_pages(new, timeline), timeline_pages(old, timeline)))
            }
        }
    }
    for kind in Kind::ALL {
        let pages = |index: &ArchiveIndex| page_count(index.entities.range(kind_range(kind)).count(), per_index);
        out.extend(page_dirs(kind_dir(kind), pages(after), pages(before)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::{link, ArticleFacts, Limits};
    use crate::recognise::Mention;

    fn index(articles: &[&[&str]]) -> ArchiveIndex {
        let mentions: Vec<Vec<Mention>> = articles
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|id| Mention {
                        span: 0..1,
                        kind: Kind::Place,
                        entity: id.to_string(),
                        amount: None,
                        discovered: None,
                    })
                    .collect()
            })
            .collect();
        let slugs: Vec<String> = (0..articles.len()).map(|i| format!("a{i}")).collect();
        let facts: Vec<ArticleFacts> = mentions
            .iter()
            .zip(&slugs)
            .map(|(m, slug)| ArticleFacts { date: None, slug, text: "x", mentions: m })
            .collect();
        link(&facts, Limits { related: 5, by_date: 5, cooccurring: 5 })
    }

    #[test]
    fn pages_no_longer_made_are_removed() {
        let before = index(&[&["syria", "iraq"], &["syria"], &["syria"]]);
        let after = index(&[&["syria"], &["syria"], &[]]);
        // One article a timeline page, one entity a page of the type's index.
        let gone: Vec<String> = gone(&before, &after, 1, 1).iter().map(|p| p.display().to_string()).collect();
        assert_eq!(gone, ["entities/place/iraq/", "entities/place/syria/page/3", "entities/place/page/2"]);
        assert!(super::gone(&before, &before, 1, 1).is_empty());
    }

    #[test]
    fn only_pages_that_show_an_edit_are_made_again() {
        let paginate = Paginate { articles: 100, entities: 100, timeline: 1, mentions_per_article: 5 };
        let before = index(&[&["syria"], &["syria"], &["iraq"]]);
        // Article 1 now names syria twice: its own page, and syria's timeline page that
        // shows it; not the other articles, not iraq.
        let after = index(&[&["syria"], &["syria", "syria"], &["iraq"]]);
        let made = jobs(&before, &after, &BTreeSet::from([1]), &BTreeSet::new(), &paginate, |_| None);
        let syria = (Kind::Place, "syria".to_string());
        assert!(
            made.contains(&Job::Article(1)) && !made.contains(&Job::Article(0)) && !made.contains(&Job::Article(2))
        );
        assert!(made.iter().all(|j| !matches!(j, Job::Entity(k, _) if k.1 == "iraq")));
        // The count of mentions changed, so every page of syria shows it.
        assert!(made.contains(&Job::Entity(syria.clone(), Pages::All)), "{made:?}");
        assert!(!made.contains(&Job::Articles(Pages::All)) && !made.iter().any(|j| matches!(j, Job::Kind(_))));
        // The same mentions again (a typo fixed elsewhere): only the page showing article 1.
        let made = jobs(&after, &after, &BTreeSet::from([1]), &BTreeSet::new(), &paginate, |_| None);
        assert!(made.contains(&Job::Entity(syria, Pages::Only(BTreeSet::from([2])))), "{made:?}");
    }
}
