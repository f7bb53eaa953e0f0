//! Helpers shared by the integration suites that copy archives and compare sites.
// Each suite uses some of them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies the files under `from` into `to`, creating folders as needed.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds the repository's seed archive into `output` with the real binary; returns what
/// the build printed.
pub fn build_seeds(output: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(output)
        .output()
        .expect("archive runs");
    assert!(out.status.success(), "archive build failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `contents` at `dir/name`, creating folders as needed.
pub fn put(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// A small archive in `dir`: the repository's templates and static files, a title, and a
/// gazetteer of one entity (Damascus). No articles yet.
pub fn small_archive(dir: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["templates", "static"] {
        copy_dir(&repo.join(sub), &dir.join(sub));
    }
    put(dir, "site.toml", "title = \"تجربة\"\n");
    put(dir, "entities.toml", "[[entity]]\nid = \"damascus\"\ntype = \"place\"\nname = \"دمشق\"\n");
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A link's path percent-decoded: the file it names.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()).filter(|_| bytes[i] == b'%') {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("{s} does not decode to UTF-8"))
}

/// Each query's results in the index of the site at `output`: (url, kind) pairs, kind
/// empty for an article. Needs node, as the search page needs a browser.
pub fn search(output: &Path, queries: &[&str]) -> Vec<Vec<(String, String)>> {
    let run = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/query.mjs"))
        .arg(output)
        .args(queries)
        .output()
        .expect("node runs the search page's script: install nodejs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let found: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    queries
        .iter()
        .map(|q| {
            let results = found[q].as_array().unwrap_or_else(|| panic!("no results for {q}: {found}"));
            results
                .iter()
                .map(|r| (r["url"].as_str().unwrap().to_string(), r["kind"].as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .collect()
}
