//! `archive`: a static site generator for annotated news archives, Arabic first.
//!
//! The build is one pipeline, each step a module taking the previous step's types:
//! load → clean → recognise → link → render → write.

pub mod arabic;
pub mod config;
pub mod content;
pub mod error;
pub mod init;
pub mod link;
pub mod recognise;
pub mod render;
pub mod serve;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use content::{Article, Cleaned};
pub use error::{Error, Result, Warning};
use rayon::prelude::*;
use recognise::{Anchor, Gazetteer, Kind, Mention, Recogniser};

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

/// An article with what cleaning and recognition made of it.
pub struct Annotated<'a> {
    pub article: &'a Article,
    pub cleaned: Cleaned,
    /// The title as shown: metadata, else the first line of the text, else the slug.
    pub title: String,
    pub mentions: Vec<Mention>,
}

/// What a build did, for the CLI to print.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    pub pages: usize,
    pub mentions: usize,
    pub removed_lines: usize,
    pub entities: BTreeMap<Kind, usize>,
    /// Files skipped and why.
    pub warnings: Vec<Warning>,
    /// How long each step took, in pipeline order.
    pub steps: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
}

/// Times the steps of the pipeline.
struct Clock {
    started: Instant,
    last: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Clock {
        let now = Instant::now();
        Clock { started: now, last: now, steps: Vec::new() }
    }

    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        self.steps.push((step, now - self.last));
        self.last = now;
    }
}

pub fn build(options: &BuildOptions) -> Result<Report> {
    let mut clock = Clock::start();
    let root = options.root.as_path();
    let (mut config, rules) = config::Config::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let gazetteer = Gazetteer::load(&root.join(&config.gazetteer), &config.gazetteer)?;
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
    write::check_output(&options.output, &inputs)?;
    clock.lap("setup");

    let (mut articles, warnings) = content::load_all(root, &root.join(&config.content_dir), config.drafts)?;
    clock.lap("load");
    let cleaned: Vec<Cleaned> = articles
        .par_iter_mut()
        .map(|article| {
            let cleaned = content::clean(article, &rules);
            content::clean::fill_metadata(&mut article.meta, &cleaned);
            cleaned
        })
        .collect();
    clock.lap("clean");
    let recogniser = Recogniser::new(&gazetteer);
    let annotated: Vec<Annotated> =
        articles.par_iter().zip(cleaned).map(|(a, c)| annotate(a, c, &recogniser)).collect();
    clock.lap("recognise");
    let facts: Vec<link::ArticleFacts> = annotated
        .iter()
        .map(|a| link::ArticleFacts { date: a.article.meta.date, slug: &a.article.slug, mentions: &a.mentions })
        .collect();
    let limits =
        link::Limits { related: config.related.max, by_date: config.related.by_date, cooccurring: COOCCURRING };
    let index = link::link(&facts, limits);
    clock.lap("link");
    let staging = write::Staging::create(&options.output, &root.join(&config.static_dir))?;
    staging.write("css/syntax.css", syntax_css.as_bytes())?;
    let site = render::Site::new(&config, tera, &gazetteer, &annotated, &index)?;
    let pages = site.render_all(&staging)?;
    clock.lap("render");
    staging.commit()?;
    clock.lap("write");

    let mut entities = BTreeMap::new();
    for key in index.entities.keys() {
        *entities.entry(key.0).or_insert(0) += 1;
    }
    Ok(Report {
        articles: annotated.len(),
        pages,
        mentions: annotated.iter().map(|a| a.mentions.len()).sum(),
        removed_lines: annotated.iter().map(|a| a.cleaned.removed.len()).sum(),
        entities,
        warnings,
        elapsed: clock.started.elapsed(),
        steps: clock.steps,
    })
}

/// Entities an entity page lists as found with it.
const COOCCURRING: usize = 15;

/// Recognises the mentions of one cleaned article, resolving relative dates against its own.
fn annotate<'a>(article: &'a Article, cleaned: Cleaned, recogniser: &Recogniser) -> Annotated<'a> {
    let events = render::markdown::body_events(article, &cleaned);
    let mut runs: Vec<std::ops::Range<usize>> = cleaned.title.iter().cloned().collect();
    runs.extend(render::markdown::prose_runs(&article.text, &events));
    let anchor = article.meta.date.map(|date| Anchor { date, approximate: article.meta.date_approximate });
    let mentions = recogniser.recognise(&article.text, &runs, anchor);
    let title = article
        .meta
        .title
        .clone()
        .or_else(|| cleaned.title.as_ref().map(|r| article.text[r.clone()].to_string()))
        .or_else(|| {
            cleaned.blocks.first().and_then(|b| content::clean::title_from_text(&article.text[b.range.clone()]))
        })
        .unwrap_or_else(|| article.slug.clone());
    Annotated { article, cleaned, title, mentions }
}
