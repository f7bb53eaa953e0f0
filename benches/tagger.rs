//! Tagger throughput: tokens per second on one core, on articles of the ANT corpus.
//!
//!     cargo bench --bench tagger                    # articles in /tmp/archive-bench/ant
//!     cargo bench --bench tagger -- DIR [ARTICLES]  # (benches/scale.py unpacks it there)
//!
//! Two passes over the same articles with one tagger: the first starts with an empty
//! cache of word sums, as a build does; the second finds most words in it, as `archive
//! serve` does after an edit.

use std::path::PathBuf;
use std::time::Instant;

use archive::arabic::fold::{fold, tokens};
use archive::fuzz::tagger::{sentences, Tagger};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/archive-bench/ant".into()));
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run benches/scale.py once, or name a folder of articles)", dir.display()))
        .map(|e| e.expect("a readable folder").path())
        .collect();
    files.sort();
    files.truncate(count);
    let texts: Vec<String> = files.iter().map(|f| fold(&std::fs::read_to_string(f).unwrap_or_default())).collect();
    let tagger = Tagger::built_in();
    println!("{} articles of {}", texts.len(), dir.display());
    for pass in ["first pass (empty cache)", "second pass"] {
        let (mut count, mut names) = (0usize, 0usize);
        let started = Instant::now();
        for text in &texts {
            let all = tokens(text);
            for sentence in sentences(text, &all) {
                let words: Vec<&str> = sentence.iter().map(|t| &text[t.clone()]).collect();
                names += tagger.tag(&words).len();
                count += words.len();
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{pass}: {count} tokens, {names} names, in {seconds:.2} s: {:.0} tokens/s on one core",
            count as f64 / seconds
        );
    }
}
