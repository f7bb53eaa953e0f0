//! The `archive` command line: parses arguments, calls the library, prints what happened.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        /// The archive's folder (where site.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Prefix of internal links, e.g. https://example.org/archive/ [default: from site.toml].
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each step of the build took.
        #[arg(long)]
        timings: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, output, base_url, timings } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = archive::BuildOptions { root, output: output.clone(), base_url };
            match archive::build(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        eprintln!("warning: {warning}");
                    }
                    let entities: Vec<String> = report.entities.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
                    println!(
                        "built {} articles into {}: {} pages, {} mentions of {} entities ({}), {} debris lines removed, in {} ms",
                        report.articles,
                        output.display(),
                        report.pages,
                        report.mentions,
                        report.entities.values().sum::<usize>(),
                        entities.join(", "),
                        report.removed_lines,
                        report.elapsed.as_millis()
                    );
                    if timings {
                        for (step, took) in &report.steps {
                            println!("  {step:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
