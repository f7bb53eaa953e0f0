//! `archive`: a static site generator for annotated news archives, Arabic first.
//!
//! The build is one pipeline, each step a module taking the previous step's types:
//! load → clean → recognise → link → render → write. The modules are the crate's own;
//! what the `archive` command (and its tests) call is this facade, a function per command:
//! [`build`], [`serve()`], [`init`], [`suggestions`] and [`check`], and [`tagger`]'s
//! `train` and `eval`. [`Session`] keeps a build's state for updating it in place.
//! [`content_type`] is the Content-Type `archive serve` gives a file, which the browser
//! tests' static host gives too.
//! [`arabic`] is public too: the pure functions for Arabic text (folding, clitics, sorting,
//! numbers and dates in words), with examples.

#![deny(missing_docs)]

pub mod arabic;
mod config;
mod content;
mod curate;
mod domain;
mod error;
mod init;
mod link;
mod recognise;
mod render;
mod serve;
mod update;
mod write;

pub use curate::{check, suggestions, Findings, Suggestion};
pub use domain::{IsoDate, Kind};
pub use error::{Error, Problem, Result, Warning};
pub use init::init;
pub use serve::resolve::content_type;
pub use serve::{run as serve, ServeOptions};
pub use update::Written;

/// `archive train` and `archive eval`: the tagger that finds the names a gazetteer lacks,
/// trained on annotated sentences and measured on them.
pub mod tagger {
    pub use crate::recognise::tagger::clusters::{learn_from as learn_clusters, tagged_from};
    pub use crate::recognise::tagger::eval::{run as eval, Evaluation, Measured, Scores, SENTENCES_PER_ARTICLE};
    pub use crate::recognise::tagger::lexicon::Lexicon;
    pub use crate::recognise::tagger::train::{run as train, Options, Report};
}

/// What the fuzz targets (`fuzz/`) and the benches reach inside the pipeline, beside the
/// facade: not a stable API, only the pieces they exercise, grouped as the crate groups them.
#[doc(hidden)]
pub mod fuzz {
    pub use crate::config::{CleanConfig, CleanRules, RawHtml};
    pub use crate::content::clean::clean;
    pub use crate::content::{Article, Format, Metadata};
    pub use crate::recognise::{Anchor, Gazetteer, Mention, Recogniser};
    pub use crate::render::Highlighter;

    /// Dates found alone.
    pub mod dates {
        pub use crate::recognise::dates::find;
    }

    /// Quantities found alone.
    pub mod quantities {
        pub use crate::recognise::quantities::{find, COUNTED};
    }

    /// An article's body and title rendered with mentions woven in.
    pub mod markdown {
        pub use crate::render::markdown::{body_events, render, title_events, MentionLink, Page};
    }

    /// The tagger and its model file.
    pub mod tagger {
        pub use crate::recognise::tagger::{sentences, Model, Tagger};
    }
}

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::{Annotated, Article, Cleaned, Mention};
use indicatif::ParallelProgressIterator;
use rayon::prelude::*;
use recognise::{Anchor, Gazetteer, Recogniser};

/// What `archive build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive's folder: site.toml, content, gazetteer, templates, static.
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
}

// Here rather than in domain: the stamp is made with the render step's digest.
impl Annotated {
    fn restamp(&mut self) {
        let article = &self.article;
        self.stamp = render::view::digest(&(
            &article.path,
            &article.slug,
            &article.sha256,
            &article.meta,
            &self.title,
            &self.mentions,
        ));
    }
}

/// What a build did, for the CLI to print.
#[derive(Debug)]
pub struct Report {
    /// Articles built.
    pub articles: usize,
    /// Pages written: by an update, only those whose digest moved.
    pub pages: usize,
    /// Mentions found in all the articles.
    pub mentions: usize,
    /// Lines of web debris cleaning removed.
    pub removed_lines: usize,
    /// Entities of each type with mentions.
    pub entities: BTreeMap<Kind, usize>,
    /// Files skipped and why.
    pub warnings: Vec<Warning>,
    /// How long each step took, in pipeline order.
    pub steps: Vec<(&'static str, Duration)>,
    /// How long the whole took.
    pub elapsed: Duration,
}

impl Report {
    /// How long each step took, a line each.
    pub fn timings(&self) -> String {
        self.steps
            .iter()
            .map(|(step, took)| format!("  {step:<10} {:>8.1} ms\n", took.as_secs_f64() * 1000.0))
            .collect()
    }
}

/// Times the steps of the pipeline. A step may be timed where the session is only read
/// (while a site made of it is rendered): hence the lock.
struct Clock {
    started: Instant,
    laps: std::sync::Mutex<(Instant, Vec<(&'static str, Duration)>)>,
}

impl Clock {
    fn start() -> Clock {
        let now = Instant::now();
        Clock { started: now, laps: std::sync::Mutex::new((now, Vec::new())) }
    }

    fn lap(&self, step: &'static str) {
        let now = Instant::now();
        // A poisoned clock only times: its laps are still whole.
        let mut laps = self.laps.lock().unwrap_or_else(|e| e.into_inner());
        let took = now - laps.0;
        laps.1.push((step, took));
        laps.0 = now;
    }

    fn steps(self) -> Vec<(&'static str, Duration)> {
        self.laps.into_inner().unwrap_or_else(|e| e.into_inner()).1
    }
}

/// Builds the whole site: every step, every page.
pub fn build(options: &BuildOptions) -> Result<Report> {
    let (mut session, mut report) = Session::start(options)?;
    // The command returns once the previous site is gone.
    let started = Instant::now();
    let late = session.finish()?;
    report.warnings.extend(late);
    report.steps.push(("cleanup", started.elapsed()));
    report.elapsed += started.elapsed();
    Ok(report)
}

/// The recogniser an archive's build would use, with `tagger` in place of the one its
/// site.toml names: for `archive eval`.
pub(crate) fn recogniser_of(
    root: &std::path::Path,
    tagger: Option<Arc<recognise::tagger::Tagger>>,
) -> Result<Recogniser> {
    let (config, _) = config::Config::load(root)?;
    let gazetteer = Gazetteer::load(&root.join(&config.gazetteer), &config.gazetteer, config.countries)?;
    Ok(Recogniser::new(&gazetteer, tagger))
}

/// What a build reads before the articles: settings, gazetteer, templates, themes.
pub(crate) struct Setup {
    pub config: config::Config,
    pub rules: config::CleanRules,
    pub gazetteer: Gazetteer,
    pub recogniser: Recogniser,
    pub tera: tera::Tera,
    pub highlighter: render::Highlighter,
    pub syntax_css: String,
}

impl Setup {
    /// Reads everything a build starts from; `claim` also makes sure the output folder may
    /// be written (and puts back a site a killed build left).
    fn load(options: &BuildOptions, claim: bool) -> Result<Setup> {
        let root = options.root.as_path();
        let (mut config, rules) = config::Config::load(root)?;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        let gazetteer = Gazetteer::load(&root.join(&config.gazetteer), &config.gazetteer, config.countries)?;
        let tera = render::templates::load(&root.join(&config.templates_dir), config.digits == "arabic")?;
        let Some(syntax_css) = render::highlight::theme_css(&config.highlight.theme) else {
            let themes = render::highlight::theme_names().join(", ");
            return Err(Error::input(
                std::path::Path::new("site.toml"),
                format!("highlight theme {:?} is not bundled", config.highlight.theme),
                format!("use one of: {themes}"),
            ));
        };
        let inputs = [
            ("archive", root.to_path_buf()),
            ("content folder", root.join(&config.content_dir)),
            ("gazetteer", root.join(&config.gazetteer)),
            ("templates folder", root.join(&config.templates_dir)),
            ("static folder", root.join(&config.static_dir)),
        ];
        if claim {
            write::claim_output(&options.output, &inputs)?;
        }
        let tagger = match (&config.discovery.model, config.discovery.enabled) {
            (_, false) => None,
            (Some(model), true) => Some(recognise::tagger::Tagger::shared(&root.join(model), model)?),
            (None, true) => Some(recognise::tagger::Tagger::shared_built_in()),
        };
        let recogniser = Recogniser::new(&gazetteer, tagger);
        Ok(Setup {
            config,
            rules,
            gazetteer,
            recogniser,
            tera,
            highlighter: render::Highlighter::default(),
            syntax_css,
        })
    }

    fn tools(&self) -> render::Tools<'_> {
        render::Tools {
            config: &self.config,
            tera: &self.tera,
            highlighter: &self.highlighter,
            gazetteer: &self.gazetteer,
        }
    }

    /// Decides which entity each discovered name stands for and whether it has a page;
    /// returns the articles where that changed, stamped again.
    fn discover(&self, articles: &mut [Annotated]) -> BTreeSet<usize> {
        let mut mentions: Vec<&mut Vec<Mention>> = articles.iter_mut().map(|a| &mut a.mentions).collect();
        let changed = link::discovered::resolve(&mut mentions, &self.gazetteer, self.config.discovery.min_articles);
        for &a in &changed {
            articles[a].restamp();
        }
        changed
    }

    fn limits(&self) -> link::Limits {
        link::Limits {
            related: self.config.related.max,
            by_date: self.config.related.by_date,
            cooccurring: COOCCURRING,
        }
    }
}

/// An archive loaded, cleaned, recognised and linked: all a build knows before it renders.
/// `archive build` renders it once; `archive serve` keeps it, so that an edit updates only
/// the pages it touches ([`Session::update`]).
pub struct Session {
    options: BuildOptions,
    setup: Setup,
    articles: Vec<Annotated>,
    index: link::ArchiveIndex,
    /// Every article as other pages link to it, as last rendered.
    links: Vec<render::ArticleLink>,
    /// Parts of pages kept between updates (see [`render::Cache`]).
    cache: render::Cache,
    /// Every page of the site on disk with its digest, once [`Session::prepare`] made them.
    digests: Option<render::outputs::Digests>,
    /// Work left running so that pages are served sooner: removing the previous site after
    /// a build. [`Session::finish`] waits for it; an update takes what has ended.
    background: Vec<std::thread::JoinHandle<Result<Vec<Warning>>>>,
    warnings: Vec<Warning>,
    clock: Clock,
    /// Changed paths an update failed on: looked at again with the next change.
    pending: BTreeSet<PathBuf>,
    /// Told when an output made in the background after an update is ready to be written
    /// (see [`render::Cache::whole`]): `archive serve` then updates again.
    ready: Option<render::Ready>,
}

impl Session {
    /// Runs the pipeline up to rendering: setup, load, clean, recognise, link.
    pub(crate) fn open(options: &BuildOptions) -> Result<Session> {
        Session::read(options, true)
    }

    /// The pipeline up to rendering, touching no output: for `archive suggest` and `archive check`.
    pub fn analyse(options: &BuildOptions) -> Result<Session> {
        Session::read(options, false)
    }

    /// The pipeline, step by step, up to rendering; [`Session::write_all`] renders and writes.
    fn read(options: &BuildOptions, claim: bool) -> Result<Session> {
        let clock = Clock::start();
        let setup = Setup::load(options, claim)?;
        clock.lap("setup");
        let root = options.root.as_path();
        let (articles, warnings) = content::load_all(root, &root.join(&setup.config.content_dir), setup.config.drafts)?;
        clock.lap("load");
        let cleaned = clean(articles, &setup.rules);
        clock.lap("clean");
        let mut articles = recognise(cleaned, &setup.recogniser);
        clock.lap("recognise");
        setup.discover(&mut articles);
        let index = link_all(&articles, None, setup.limits());
        clock.lap("link");
        Ok(Session {
            options: options.clone(),
            setup,
            articles,
            index,
            links: Vec::new(),
            cache: render::Cache::default(),
            digests: None,
            background: Vec::new(),
            warnings,
            clock,
            pending: BTreeSet::new(),
            ready: None,
        })
    }

    /// Runs the whole pipeline, and writes the site.
    pub fn start(options: &BuildOptions) -> Result<(Session, Report)> {
        let mut session = Session::open(options)?;
        let report = session.write_all()?;
        Ok((session, report))
    }

    /// Runs the whole pipeline ready to update the site in place, for `archive serve`: as
    /// [`Session::start`], with [`Session::prepare`] before the site is written. `ready` is
    /// told when an update has made an output in the background.
    pub(crate) fn start_serving(options: &BuildOptions, ready: Option<render::Ready>) -> Result<(Session, Report)> {
        let mut session = Session::open(options)?;
        session.ready = ready;
        session.prepare()?;
        let report = session.write_all()?;
        Ok((session, report))
    }

    /// The site as the render step sees it, with `links`: the article links last made,
    /// taken from the session and given back once rendered ([`render::Site::into_links`]).
    fn site(&self, links: Vec<render::ArticleLink>) -> Result<render::Site<'_>> {
        render::Site::new(self.setup.tools(), &self.articles, &self.index, links, &self.cache)
    }

    /// Renders every page into a new copy of the output folder and swaps it in.
    pub(crate) fn write_all(&mut self) -> Result<Report> {
        let root = self.options.root.clone();
        let staging = write::Staging::create(&self.options.output, &root.join(&self.setup.config.static_dir))?;
        staging.write("css/syntax.css", self.setup.syntax_css.as_bytes())?;
        let links = std::mem::take(&mut self.links);
        let site = self.site(links)?;
        let shown = progress("render", render::outputs::page_count(&site));
        let pages = render::outputs::render(&site, &|route, made, _| {
            shown.inc(1);
            let path = route.file_path();
            match made {
                render::Made::Bytes(bytes) => staging.write(&path, &bytes),
                render::Made::Stream(write) => staging.write_with(&path, write),
            }
        })?;
        shown.finish_and_clear();
        self.links = site.into_links();
        self.clock.lap("render");
        let previous = staging.commit()?;
        self.background.push(std::thread::spawn(move || Ok(previous.remove())));
        self.clock.lap("write");
        let warnings = std::mem::take(&mut self.warnings);
        Ok(self.report(pages, warnings))
    }

    /// Gets ready to update the site in place: the digest of every page, to compare after an
    /// edit, and a cache of parts of pages that the next render fills. `archive serve` calls
    /// it before the site is first written.
    pub(crate) fn prepare(&mut self) -> Result<()> {
        if self.digests.is_none() {
            self.cache = render::Cache::keeping(self.ready.clone());
            let links = std::mem::take(&mut self.links);
            let site = self.site(links)?;
            let digests = render::outputs::digests(&site);
            self.links = site.into_links();
            self.digests = Some(digests?);
            self.clock.lap("digests");
        }
        Ok(())
    }

    /// Articles a discovered entity needs for a page (site.toml's `[discovery] min_articles`).
    pub fn min_articles(&self) -> usize {
        self.setup.config.discovery.min_articles
    }

    /// The ids the gazetteer already gives.
    pub fn gazetteer_ids(&self) -> BTreeSet<String> {
        self.setup.gazetteer.entities.iter().map(|e| e.id().to_string()).collect()
    }

    /// Waits for the work the last build or update left running (see `background`), and
    /// returns its warnings.
    pub fn finish(&mut self) -> Result<Vec<Warning>> {
        join(self.background.drain(..))
    }

    /// The warnings of the work left running that has ended; the rest goes on. It only
    /// removes previous sites, folders apart from the one updated, and removing one of a
    /// large archive takes long (about 20 s for 60,000 pages): an edit does not wait for it.
    pub(crate) fn ended(&mut self) -> Result<Vec<Warning>> {
        let (ended, running): (Vec<_>, Vec<_>) = self.background.drain(..).partition(|t| t.is_finished());
        self.background = running;
        join(ended)
    }

    fn report(&mut self, pages: usize, warnings: Vec<Warning>) -> Report {
        let mut entities = BTreeMap::new();
        for key in self.index.entities.keys() {
            *entities.entry(key.kind).or_insert(0) += 1;
        }
        let clock = std::mem::replace(&mut self.clock, Clock::start());
        Report {
            articles: self.articles.len(),
            pages,
            mentions: self.articles.iter().map(|a| a.mentions.len()).sum(),
            removed_lines: self.articles.iter().map(|a| a.cleaned.removed.len()).sum(),
            entities,
            warnings,
            elapsed: clock.started.elapsed(),
            steps: clock.steps(),
        }
    }
}

/// Waits for `threads`, and returns their warnings, or the first error.
fn join(threads: impl IntoIterator<Item = std::thread::JoinHandle<Result<Vec<Warning>>>>) -> Result<Vec<Warning>> {
    let mut outcome = Ok(Vec::new());
    for thread in threads {
        let done = thread.join().unwrap_or_else(|_| {
            Err(Error::serve("the output folder".into(), "writing it failed".into(), "change a file to build again"))
        });
        outcome = outcome.and_then(|mut warnings| {
            warnings.extend(done?);
            Ok(warnings)
        });
    }
    outcome
}

/// The clean step: each article cleaned, and the metadata its text gives filled in (date,
/// source, byline…).
fn clean(articles: Vec<Article>, rules: &config::CleanRules) -> Vec<(Article, Cleaned)> {
    articles
        .into_par_iter()
        .map(|mut article| {
            let cleaned = content::clean(&article, rules);
            content::clean::fill_metadata(&mut article.meta, &cleaned);
            (article, cleaned)
        })
        .collect()
}

/// The recognise step: each cleaned article's mentions, relative dates resolved against its own.
fn recognise(cleaned: Vec<(Article, Cleaned)>, recogniser: &Recogniser) -> Vec<Annotated> {
    let shown = progress("recognise", cleaned.len());
    let annotated = cleaned
        .into_par_iter()
        .progress_with(shown.clone())
        .map(|(article, cleaned)| annotate(article, cleaned, recogniser))
        .collect();
    shown.finish_and_clear();
    annotated
}

/// A progress bar for a step over `len` things, on the terminal only: nothing is drawn when
/// standard error is not one (CI, a pipe), nor for a step too short to watch.
fn progress(step: &'static str, len: usize) -> indicatif::ProgressBar {
    if len < PROGRESS_FROM {
        return indicatif::ProgressBar::hidden();
    }
    let style = indicatif::ProgressStyle::with_template("{msg:>10} {wide_bar} {human_pos}/{human_len} {eta}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::with_draw_target(Some(len as u64), indicatif::ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(step)
}

/// Articles or pages below which a step has no progress bar.
const PROGRESS_FROM: usize = 1_000;

/// Links the articles; see [`link::relink`] for what is kept from `previous`.
fn link_all(articles: &[Annotated], previous: Option<&link::ArchiveIndex>, limits: link::Limits) -> link::ArchiveIndex {
    let facts: Vec<link::ArticleFacts> = articles
        .iter()
        .map(|a| link::ArticleFacts {
            date: a.article.meta.date,
            slug: &a.article.slug,
            text: &a.article.text,
            mentions: &a.mentions,
        })
        .collect();
    link::relink(previous, &facts, limits)
}

/// Entities an entity page lists as found with it.
const COOCCURRING: usize = 15;

fn annotate(article: Article, cleaned: Cleaned, recogniser: &Recogniser) -> Annotated {
    let anchor = article.meta.date.map(|date| Anchor { date, approximate: article.meta.date_approximate });
    let mentions = recogniser.recognise(&article.text, &cleaned.prose, anchor);
    let title = article
        .meta
        .title
        .clone()
        .or_else(|| cleaned.title.as_ref().map(|t| t.text.clone()))
        .or_else(|| {
            cleaned.blocks.first().and_then(|b| content::clean::title_from_text(&article.text[b.range.clone()]))
        })
        .unwrap_or_else(|| article.slug.clone());
    let mut annotated = Annotated { article, cleaned, title, mentions, stamp: 0 };
    annotated.restamp();
    annotated
}
