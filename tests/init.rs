//! `archive init DIR` with the real binary: the new archive builds at once, and a folder
//! that holds anything is left alone.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn archive(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archive")).args(args).arg(dir).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_then_build_works_on_a_fresh_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-archive");
    let out = archive(&["init"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created a new archive"), "{}", text(&out.stdout));
    for file in ["site.toml", "entities.toml", "seeds/example.md", "templates/base.html", "static/css/site.css"] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    // The templates are the repository's own.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        fs::read(dir.join("templates/entity.html")).unwrap(),
        fs::read(repo.join("templates/entity.html")).unwrap()
    );

    let out = archive(&["build", "--root"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("built 1 articles"), "{}", text(&out.stdout));
    let public = dir.join("public");
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("مكتبة الحي القديم تفتح أبوابها من جديد"), "{home}");
    let page = fs::read_to_string(public.join("articles/example/index.html")).unwrap();
    assert!(page.contains("<article") && page.contains("أمينة المكتبة"));
    // An empty gazetteer still finds dates.
    assert!(page.contains("data-type=\"date\""), "{page}");
    assert!(public.join("entities/date/2024-03-14/index.html").is_file());
    assert!(public.join("data/archive.json").is_file());
    // Nothing of `archive serve` ends up in a built site.
    assert!(!page.contains("livereload"));
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.md"), "mine").unwrap();
    let out = archive(&["init"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: ") && stderr.contains("not empty") && stderr.contains("hint:"), "{stderr}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    assert_eq!(fs::read_to_string(tmp.path().join("notes.md")).unwrap(), "mine");

    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert_eq!(archive(&["init"], &empty).status.code(), Some(0));
}
