//! The `archive` command line: parses arguments, calls the library, prints what happened.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "archive",
    version,
    about = "Build annotated, cross-linked websites from collections of Arabic news articles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from the articles, the gazetteer, site.toml, templates and static files.
    Build {
        #[command(flatten)]
        site: Site,
        /// Prefix of internal links, e.g. https://example.org/archive/ [default: from site.toml].
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each step of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve the site on this machine, and rebuild and reload open pages on each change.
    Serve {
        #[command(flatten)]
        site: Site,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; another than 127.0.0.1 makes the preview reachable from the network.
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
        interface: IpAddr,
        /// Print how long each step of each build took.
        #[arg(long)]
        timings: bool,
    },
    /// Create a new archive in DIR (a new or empty folder) that builds at once.
    Init {
        /// The folder of the new archive.
        dir: PathBuf,
    },
    /// List the entities the tagger found that the gazetteer lacks, named in most articles first.
    Suggest {
        #[command(flatten)]
        archive: Root,
        /// Print them as gazetteer entries to review and paste into the gazetteer.
        #[arg(long)]
        toml: bool,
        /// How many to list.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Report problems of the gazetteer against the archive, without writing a site.
    Check {
        #[command(flatten)]
        archive: Root,
    },
    /// Train the tagger on annotated sentences (one `token LABEL` a line, as ANERcorp).
    Train {
        /// The annotated sentences.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Percent of the sentences, at the end, held out and measured on.
        #[arg(long, default_value_t = 10)]
        dev: usize,
        /// L1 regularisation.
        #[arg(long, default_value_t = archive::tagger::Options::default().c1)]
        c1: f64,
        /// L2 regularisation.
        #[arg(long, default_value_t = archive::tagger::Options::default().c2)]
        c2: f64,
        /// L-BFGS iterations at most.
        #[arg(long, default_value_t = archive::tagger::Options::default().iterations)]
        iterations: usize,
        /// Unlabelled articles (an archive's content folder) to learn word clusters from,
        /// and that `--tagged-by` tags.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Take the word counts and clusters of this model instead of learning them.
        #[arg(long)]
        clusters_from: Option<PathBuf>,
        /// Count how often this model, trained before, tags each word of `--corpus` as part
        /// of a name of each kind: features of the new model.
        #[arg(long, requires = "corpus")]
        tagged_by: Option<PathBuf>,
        /// Seed of the clustering's random start.
        #[arg(long, default_value_t = 2018)]
        seed: u64,
    },
    /// Measure recognition on annotated sentences: exact-span precision, recall and F1.
    Eval {
        /// The annotated sentences.
        #[arg(long)]
        data: PathBuf,
        /// The tagger model [default: the built-in one].
        #[arg(long)]
        model: Option<PathBuf>,
        /// Percent of the sentences, at the end, to measure on (as `archive train --dev`).
        #[arg(long, default_value_t = 10)]
        dev: usize,
        /// Also print each sentence where the tagger is wrong.
        #[arg(long)]
        errors: bool,
        /// An archive whose gazetteer (and site.toml's [discovery] model) the whole
        /// pipeline is measured with, besides the tagger alone.
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

/// Where an archive is.
#[derive(Args)]
struct Root {
    /// The archive's folder (where site.toml is).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Where an archive is and where its site goes.
#[derive(Args)]
struct Site {
    #[command(flatten)]
    archive: Root,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    output: Option<PathBuf>,
}

impl Root {
    /// The options of a command that reads the archive and writes no site.
    fn options(self) -> archive::BuildOptions {
        Site { archive: self, output: None }.options(None)
    }
}

impl Site {
    fn options(self, base_url: Option<String>) -> archive::BuildOptions {
        let root = self.archive.root;
        let output = self.output.unwrap_or_else(|| root.join("public"));
        archive::BuildOptions { root, output, base_url }
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build { site, base_url, timings } => build(&site.options(base_url), timings),
        Command::Serve { site, port, interface, timings } => {
            // Pages link from the root of the local server, whatever base_url the site has.
            let build = site.options(Some("/".into()));
            let address = SocketAddr::new(interface, port);
            archive::serve(&archive::ServeOptions { build, address, timings })
        }
        Command::Init { dir } => init(&dir),
        Command::Suggest { archive, toml, limit } => suggest(&archive.options(), toml, limit),
        Command::Check { archive } => match check(&archive.options()) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::FAILURE,
            Err(e) => Err(e),
        },
        Command::Train { data, out, dev, c1, c2, iterations, corpus, clusters_from, tagged_by, seed } => {
            let options = archive::tagger::Options { c1, c2, iterations };
            let unlabelled = Unlabelled { corpus, clusters_from, tagged_by, seed };
            train(&data, &out, dev, options, &unlabelled)
        }
        Command::Eval { data, model, dev, errors, root } => eval(&data, model.as_deref(), dev, errors, root.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn build(options: &archive::BuildOptions, timings: bool) -> archive::Result<()> {
    let report = archive::build(options)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    let kinds: Vec<String> = report.entities.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    let kinds = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
    println!(
        "built {} articles into {}: {} pages, {} mentions of {} entities{}, {} debris lines removed, in {} ms",
        report.articles,
        options.output.display(),
        report.pages,
        report.mentions,
        report.entities.values().sum::<usize>(),
        kinds,
        report.removed_lines,
        report.elapsed.as_millis()
    );
    if timings {
        print!("{}", report.timings());
    }
    Ok(())
}

/// What `archive train` learns from beside the annotated sentences.
struct Unlabelled {
    corpus: Option<PathBuf>,
    clusters_from: Option<PathBuf>,
    tagged_by: Option<PathBuf>,
    seed: u64,
}

fn train(
    data: &std::path::Path,
    out: &std::path::Path,
    dev: usize,
    options: archive::tagger::Options,
    unlabelled: &Unlabelled,
) -> archive::Result<()> {
    use archive::tagger;
    let started = std::time::Instant::now();
    let (corpus, seed) = (unlabelled.corpus.as_deref(), unlabelled.seed);
    let mut lexicon = match (unlabelled.clusters_from.as_deref(), corpus) {
        (Some(model), _) => tagger::Lexicon::of_model(model)?,
        (None, Some(dir)) => {
            let (lexicon, articles) = tagger::learn_clusters(dir, seed)?;
            println!(
                "learnt {} word clusters from {} articles in {:.0} s",
                lexicon.clusters(),
                articles,
                started.elapsed().as_secs_f64()
            );
            lexicon
        }
        (None, None) => tagger::Lexicon::default(),
    };
    if let (Some(model), Some(dir)) = (unlabelled.tagged_by.as_deref(), corpus) {
        let articles = tagger::tagged_from(&mut lexicon, model, dir)?;
        println!(
            "counted what {} tags in {} articles in {:.0} s",
            model.display(),
            articles,
            started.elapsed().as_secs_f64()
        );
    }
    let report = tagger::train(data, out, lexicon, dev, options)?;
    println!(
        "trained on {} sentences in {:.0} s: {} features, written to {}",
        report.sentences,
        started.elapsed().as_secs_f64(),
        report.features,
        out.display()
    );
    if let Some(scores) = report.dev {
        println!("on the last {} sentences, held out:\n{scores}", report.dev_sentences);
    }
    Ok(())
}

fn eval(
    data: &std::path::Path,
    model: Option<&std::path::Path>,
    dev: usize,
    errors: bool,
    root: Option<&std::path::Path>,
) -> archive::Result<()> {
    let evaluation = archive::tagger::eval(data, model, dev, root)?;
    let measured = evaluation.sentences;
    if errors {
        print!("{}", evaluation.tagger.errors);
    }
    println!("the tagger alone, on the last {measured} sentences:\n{}", evaluation.tagger.scores);
    if let (Some(root), Some(pipeline)) = (root, evaluation.pipeline) {
        if errors {
            print!("{}", pipeline.errors);
        }
        println!(
            "the whole pipeline with the gazetteer of {}, {} sentences an article:\n{}",
            root.display(),
            archive::tagger::SENTENCES_PER_ARTICLE,
            pipeline.scores
        );
    }
    Ok(())
}

fn suggest(options: &archive::BuildOptions, toml: bool, limit: usize) -> archive::Result<()> {
    let session = archive::Session::analyse(options)?;
    let all = archive::suggestions(&session);
    let with_page = all.iter().filter(|s| s.articles.len() >= session.min_articles()).count();
    if toml {
        println!(
            "# {} entities found by the tagger; the {} named in most articles:\n",
            all.len(),
            limit.min(all.len())
        );
        let mut taken = session.gazetteer_ids();
        for s in all.iter().take(limit) {
            println!("{}", s.as_toml(&mut taken));
        }
    } else {
        println!(
            "{} entities found by the tagger that the gazetteer lacks ({with_page} named in enough articles for a page); the {} named in most articles:\n",
            all.len(),
            limit.min(all.len())
        );
        for (rank, s) in all.iter().take(limit).enumerate() {
            println!("{}", s.describe(rank + 1));
        }
    }
    Ok(())
}

/// Prints what `archive check` found; whether there was no error.
fn check(options: &archive::BuildOptions) -> archive::Result<bool> {
    let findings = archive::check(options)?;
    for e in &findings.errors {
        eprintln!("error: {e}");
    }
    for w in &findings.warnings {
        eprintln!("warning: {w}");
    }
    if !findings.analysed {
        eprintln!("fix the errors above, then run archive check again for the checks against the articles");
    }
    println!("{} errors, {} warnings", findings.errors.len(), findings.warnings.len());
    Ok(findings.errors.is_empty())
}

fn init(dir: &std::path::Path) -> archive::Result<()> {
    let written = archive::init(dir)?;
    println!("created a new archive in {} ({} files)", dir.display(), written.len());
    println!("  the example article is seeds/example.md; the gazetteer entities.toml is empty");
    println!("  next: archive build --root {0}   or   archive serve --root {0}", dir.display());
    Ok(())
}
