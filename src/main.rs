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
}

/// Where an archive is and where its site goes.
#[derive(Args)]
struct Site {
    /// The archive's folder (where site.toml is).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    output: Option<PathBuf>,
}

impl Site {
    fn options(self, base_url: Option<String>) -> archive::BuildOptions {
        let output = self.output.unwrap_or_else(|| self.root.join("public"));
        archive::BuildOptions { root: self.root, output, base_url }
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build { site, base_url, timings } => build(&site.options(base_url), timings),
        Command::Serve { site, port, interface, timings } => {
            // Pages link from the root of the local server, whatever base_url the site has.
            let build = site.options(Some("/".into()));
            let address = SocketAddr::new(interface, port);
            archive::serve::run(&archive::serve::ServeOptions { build, address, timings })
        }
        Command::Init { dir } => init(&dir),
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
    let entities: Vec<String> = report.entities.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    println!(
        "built {} articles into {}: {} pages, {} mentions of {} entities ({}), {} debris lines removed, in {} ms",
        report.articles,
        options.output.display(),
        report.pages,
        report.mentions,
        report.entities.values().sum::<usize>(),
        entities.join(", "),
        report.removed_lines,
        report.elapsed.as_millis()
    );
    if timings {
        print!("{}", report.timings());
    }
    Ok(())
}

fn init(dir: &std::path::Path) -> archive::Result<()> {
    let written = archive::init::init(dir)?;
    println!("created a new archive in {} ({} files)", dir.display(), written.len());
    println!("  the example article is seeds/example.md; the gazetteer entities.toml is empty");
    println!("  next: archive build --root {0}   or   archive serve --root {0}", dir.display());
    Ok(())
}
