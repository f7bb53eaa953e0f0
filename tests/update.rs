//! `archive serve`'s fast path: after each kind of edit, the site updated in place must be
//! byte for byte the site a full build makes of the same files, and ordinary edits must
//! take the fast path (fewer pages written than the site has), telling first the edited
//! article's page, then every other page that changed.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use archive::{BuildOptions, Session, Written};
use common::{copy_dir, read_tree};

const SEED_A: &str = "seeds/002_dd75c90db8ad7c66.txt";
const SEED_B: &str = "seeds/003_dda62b9ba4865efa.txt";
const SIDECAR_C: &str = "seeds/001_0aeae3b849c18532.toml";

/// The seed archive in a temporary folder, with short pages so that edits move articles
/// from one page of a list to another.
fn archive() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("archive");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["seeds", "templates", "static"] {
        copy_dir(&repo.join(sub), &root.join(sub));
    }
    fs::copy(repo.join("entities.toml"), root.join("entities.toml")).unwrap();
    let site = fs::read_to_string(repo.join("site.toml")).unwrap();
    let paginate = "\n[paginate]\narticles = 2\nentities = 4\ntimeline = 1\nmentions_per_article = 2\n";
    fs::write(root.join("site.toml"), site + paginate).unwrap();
    (dir, root)
}

fn options(root: &Path, output: &str) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), output: root.parent().unwrap().join(output), base_url: None }
}

/// Fails unless the served site, once `session` has written what it made in the background
/// (the search index), is what a full build of the same files makes; returns how many pages
/// that build wrote.
fn assert_same_as_full_build(session: &mut Session, root: &Path, step: &str) -> usize {
    session.settle().unwrap_or_else(|e| panic!("{step}: {e}"));
    session.finish().unwrap();
    let full = options(root, "full");
    let pages = archive::build(&full).unwrap().pages;
    let (served, built) = (read_tree(&options(root, "public").output), read_tree(&full.output));
    let only_served: Vec<_> = served.keys().filter(|k| !built.contains_key(*k)).collect();
    let only_built: Vec<_> = built.keys().filter(|k| !served.contains_key(*k)).collect();
    assert!(
        only_served.is_empty() && only_built.is_empty(),
        "{step}: only updated {only_served:?}, only built {only_built:?}"
    );
    let differ: Vec<_> = served.iter().filter(|(k, v)| built[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{step}: these pages differ from a full build: {differ:?}");
    pages
}

/// The page of the article in `file`, as an update names it.
fn page_of(file: &str) -> String {
    format!("articles/{}/index.html", Path::new(file).file_stem().unwrap().to_str().unwrap())
}

/// Fails unless what an update said it wrote (`told`) starts with the page `first`, alone,
/// and names every page that differs between the sites `before` and `after` (a page told
/// and left the same only reloads for nothing).
fn assert_told(step: &str, told: &[Written], first: &str, before: &Tree, after: &Tree) {
    assert!(
        matches!(told.first(), Some(Written::Pages(pages)) if pages == &[first.to_string()]),
        "{step}: told first {:?}",
        told.first()
    );
    let named: BTreeSet<&str> = told
        .iter()
        .flat_map(|w| match w {
            Written::All => panic!("{step}: every page told to reload"),
            Written::Pages(pages) => pages.iter().map(String::as_str),
        })
        .collect();
    let pages: BTreeSet<&PathBuf> =
        before.keys().chain(after.keys()).filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    let untold: Vec<_> =
        pages.into_iter().filter(|p| before.get(*p) != after.get(*p) && !named.contains(p.to_str().unwrap())).collect();
    assert!(untold.is_empty(), "{step}: changed and not told: {untold:?}");
}

type Tree = std::collections::BTreeMap<PathBuf, Vec<u8>>;

fn edit(root: &Path, file: &str, change: impl FnOnce(String) -> String) -> BTreeSet<PathBuf> {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let changed = change(text.clone());
    assert_ne!(changed, text, "the edit changes {file}");
    fs::write(&path, changed).unwrap();
    BTreeSet::from([path])
}

#[test]
fn every_kind_of_edit_gives_the_site_a_full_build_gives() {
    let (_dir, root) = archive();
    let (mut session, _) = Session::start(&options(&root, "public")).unwrap();
    let public = options(&root, "public").output;
    // Run a step: the update must succeed, leave the site a full build would make, write
    // fewer pages than that build (`fast`) or all of them, and tell what it wrote: the page
    // of the article `edited` first, or else every page.
    let mut step = |name: &str, changed: BTreeSet<PathBuf>, fast: bool, edited: Option<&str>| {
        let before = read_tree(&public);
        let mut told = Vec::new();
        let report = session.update(&changed, &mut |w| told.push(w)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let total = assert_same_as_full_build(&mut session, &root, name);
        assert_eq!(report.pages < total, fast, "{name}: {} of {total} pages written", report.pages);
        match edited {
            Some(file) => assert_told(name, &told, &page_of(file), &before, &read_tree(&public)),
            None => assert_eq!(told, [Written::All], "{name}"),
        }
        report
    };

    // A typo fixed early in the text: every later mention moves, and so do its anchors.
    let changed = edit(&root, SEED_B, |t| t.replacen("تدريبات عسكرية مشتركة", "تدريبات  عسكرية مشتركة", 1));
    step("typo", changed, true, Some(SEED_B));

    // New entities, a new day among them, and more mentions of known ones.
    let sentence = "\n\nوقال مسؤول في بغداد إن 3 طائرات قصفت مواقع قرب البوكمال في 5 مارس/آذار 2021.\n";
    let changed = edit(&root, SEED_A, |t| t + sentence);
    step("new mentions", changed, true, Some(SEED_A));

    // The same sentence taken out: entities no longer mentioned lose their pages.
    let changed = edit(&root, SEED_A, |t| t.replace(sentence, ""));
    step("mentions removed", changed, true, Some(SEED_A));

    // A new spelling of a place other articles name: what search finds them by changes.
    let changed = edit(&root, SEED_A, |t| t + "\n\nوعادت الطائرات إلى البوكـمال.\n");
    step("spelling", changed, true, Some(SEED_A));

    // Another title: every page that lists the article changes.
    let changed = edit(&root, SEED_B, |t| t.replacen("مع تزايد التوترات", "مع ازدياد التوترات", 1));
    step("title", changed, true, Some(SEED_B));

    // Another date in a sidecar: the article moves in every timeline and list.
    let changed = edit(&root, SIDECAR_C, |t| t.replace("date = \"2022-01-08\"", "date = \"2019-05-01\""));
    step("date", changed, true, Some(SIDECAR_C));

    // An outlet named in a sidecar: the article joins the outlet's pages and leaves the
    // count of articles without one.
    let changed = edit(&root, SIDECAR_C, |t| format!("source = \"العرب\"\n{t}"));
    step("outlet", changed, true, Some(SIDECAR_C));

    // A stylesheet: copied, no page made again.
    let changed = edit(&root, "static/css/site.css", |t| t + "\n/* edited */\n");
    let report = step("static", changed, true, None);
    assert_eq!(report.pages, 0);

    // Changes the fast path leaves to a full build: a template, a new article, a removed one.
    let changed =
        edit(&root, "templates/base.html", |t| t.replace("<main id=\"main\">", "<main id=\"main\" class=\"x\">"));
    step("template", changed, false, None);
    let new = root.join("seeds/new.txt");
    fs::write(&new, "عنوان جديد\n\nقصفت طائرات مواقع في دير الزور.\n").unwrap();
    step("article added", BTreeSet::from([new.clone()]), false, None);
    fs::remove_file(&new).unwrap();
    step("article removed", BTreeSet::from([new]), false, None);
}

#[test]
fn a_broken_edit_keeps_the_site_and_is_looked_at_again() {
    let (_dir, root) = archive();
    let (mut session, _) = Session::start(&options(&root, "public")).unwrap();
    let before = read_tree(&options(&root, "public").output);

    let broken = edit(&root, SIDECAR_C, |t| t.replace("date = \"2022-01-08\"", "date = \"2022-13-45\""));
    let err = session.update(&broken, &mut |_| {}).unwrap_err().to_string();
    assert!(err.contains("001_0aeae3b849c18532.toml"), "{err}");
    assert!(read_tree(&options(&root, "public").output) == before, "a failed update leaves the site as it was");

    // Another article is edited while the first is still broken: the update still fails,
    // as a full build would.
    let other = edit(&root, SEED_B, |t| t.replacen("تدريبات عسكرية مشتركة", "تدريبات مشتركة", 1));
    assert!(session.update(&other, &mut |_| {}).is_err());

    // Fixed, with only the fixed file reported: both edits are in the site.
    let fixed = edit(&root, SIDECAR_C, |t| t.replace("date = \"2022-13-45\"", "date = \"2022-01-09\""));
    session.update(&fixed, &mut |_| {}).unwrap();
    assert_same_as_full_build(&mut session, &root, "fixed");
}

#[test]
fn an_update_that_fails_half_way_is_done_again_whole() {
    // A page cannot be written, a folder standing where its new copy goes: the edited
    // article's own (written first), or the list of articles (written after it).
    let slug = Path::new(SEED_B).file_stem().unwrap().to_str().unwrap();
    for blocked in [format!("articles/{slug}/.index.html.new"), "articles/.index.html.new".to_string()] {
        let (_dir, root) = archive();
        let (mut session, _) = Session::start(&options(&root, "public")).unwrap();
        let blocker = options(&root, "public").output.join(&blocked);
        fs::create_dir_all(blocker.join("x")).unwrap();
        let title = edit(&root, SEED_B, |t| t.replacen("مع تزايد التوترات", "مع ازدياد التوترات", 1));
        assert!(session.update(&title, &mut |_| {}).is_err(), "{blocked}");
        fs::remove_dir_all(&blocker).unwrap();
        // Nothing new changed: the failed edit alone is done again, and everything it touches.
        session.update(&BTreeSet::new(), &mut |_| {}).unwrap();
        assert_same_as_full_build(&mut session, &root, &format!("after a failed write of {blocked}"));
    }
}
