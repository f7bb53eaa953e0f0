//! Determinism: two builds are byte-identical, and README quotes what the build prints.

use std::fs;
use std::path::Path;

use crate::{build, site, ROOT};

#[test]
fn a_second_build_is_byte_identical() {
    let (again, _) = build();
    let first = &site().files;
    assert_eq!(first.keys().collect::<Vec<_>>(), again.keys().collect::<Vec<_>>(), "the same files");
    let differ: Vec<&String> = first.iter().filter(|(path, bytes)| again[*path] != **bytes).map(|(p, _)| p).collect();
    assert!(differ.is_empty(), "files that differ between two builds: {differ:?}");
}

/// README quotes the line the build prints on the seeds: the same counts, whatever the time.
#[test]
fn the_readme_quotes_what_the_build_prints() {
    let counts = |line: &str| {
        let after_output = line.split_once(": ").map(|(_, rest)| rest.to_string());
        after_output.and_then(|rest| rest.rsplit_once(", in ").map(|(counts, _)| counts.to_string()))
    };
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let quoted = readme.lines().map(str::trim).find(|l| l.starts_with("built 5 articles into ./public: "));
    let printed = site().printed.trim();
    assert!(printed.starts_with("built 5 articles into "), "{printed}");
    assert_eq!(quoted.and_then(counts), counts(printed), "README quotes {quoted:?}, the build prints {printed:?}");
}
