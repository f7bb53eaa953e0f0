//! Bad input: the real binary on small archives made for each case. Every case stops with
//! exit code 1 and a message naming the file (and line, where there is one) and what to do;
//! none panics.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A minimal archive in a temporary folder: the repository's templates and static files,
/// a one-entity gazetteer and one article, which each test then breaks.
struct Archive {
    dir: tempfile::TempDir,
}

impl Archive {
    fn new() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["templates", "static"] {
            copy_dir(&repo.join(sub), &dir.path().join(sub));
        }
        let archive = Archive { dir };
        archive.write("site.toml", "title = \"تجربة\"\n");
        archive.write("entities.toml", "[[entity]]\nid = \"damascus\"\ntype = \"place\"\nname = \"دمشق\"\n");
        archive.write("seeds/a.txt", "عنوان\n\nخبر من دمشق.");
        archive
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Runs `archive build` and returns (exit code, stderr).
    fn build(&self) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["build", "--root"])
            .arg(self.dir.path())
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// Asserts the build fails cleanly and its message starts with `prefix` and holds `words`.
    fn fails_with(&self, prefix: &str, words: &[&str]) {
        let (code, stderr) = self.build();
        assert_eq!(code, 1, "exit code, stderr: {stderr}");
        assert!(stderr.starts_with(&format!("error: {prefix}")), "message should start with {prefix:?}: {stderr}");
        for w in words {
            assert!(stderr.contains(w), "message should contain {w:?}: {stderr}");
        }
        assert!(stderr.contains("hint:"), "message should say what to do: {stderr}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::create_dir_all(to).unwrap();
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_minimal_archive_builds() {
    let archive = Archive::new();
    let (code, stderr) = archive.build();
    assert_eq!(code, 0, "{stderr}");
    assert!(archive.path("public/entities/place/damascus/index.html").is_file());
}

#[test]
fn broken_toml_front_matter_names_file_line_and_column() {
    let archive = Archive::new();
    archive.write("seeds/b.md", "+++\ntitle = \"عنوان\"\ndate = = 2021\n+++\nنص");
    archive.fails_with("seeds/b.md:3:", &["front matter"]);
}

#[test]
fn broken_yaml_front_matter_names_file_and_line() {
    let archive = Archive::new();
    archive.write("seeds/b.md", "---\ntitle: [عنوان\n---\nنص");
    archive.fails_with("seeds/b.md:", &["YAML"]);
}

#[test]
fn a_date_that_is_not_a_date_names_the_sidecar_line() {
    let archive = Archive::new();
    archive.write("seeds/a.toml", "source = \"العرب\"\ndate = \"الأحد\"\n");
    archive.fails_with("seeds/a.toml:2:1:", &["is not a date", "YYYY-MM-DD"]);
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let archive = Archive::new();
    archive.write("seeds/c.txt", b"\xc7\xe1\xd4\xc7\xe3\n\nwindows-1256");
    archive.fails_with("seeds/c.txt:1:1: the file is not UTF-8", &["iconv"]);
}

#[test]
fn two_articles_with_one_slug() {
    let archive = Archive::new();
    archive.write("seeds/b.toml", "slug = \"a\"\n");
    archive.write("seeds/b.txt", "عنوان آخر\n\nنص.");
    archive.fails_with("seeds/b.txt: slug \"a\" is already used by seeds/a.txt", &[]);
}

#[test]
fn a_slug_cannot_leave_its_folder() {
    let archive = Archive::new();
    archive.write("seeds/a.toml", "slug = \"../../etc\"\n");
    archive.fails_with("seeds/a.txt: slug \"../../etc\" cannot be a URL segment", &[]);
}

#[test]
fn gazetteer_duplicate_ids_and_unknown_types() {
    let archive = Archive::new();
    archive.write("entities.toml", "[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"دمشق\"\n\n[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"حلب\"\n");
    archive.fails_with("entities.toml:7:6: entity id \"x\" is defined twice", &[]);
    archive.write("entities.toml", "[[entity]]\nid = \"x\"\ntype = \"city\"\nname = \"دمشق\"\n");
    archive.fails_with("entities.toml:3:", &["city"]);
}

#[test]
fn gazetteer_aliases_that_are_only_clitics() {
    let archive = Archive::new();
    archive.write("entities.toml", "[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"دمشق\"\naliases = [\"وال\"]\n");
    archive.fails_with("entities.toml:2:6: x: alias \"وال\" is empty or only clitics", &[]);
}

#[test]
fn a_template_syntax_error_names_the_template() {
    let archive = Archive::new();
    archive.write(
        "templates/entity.html",
        "{% extends \"base.html\" %}{% block main %}{{ entity.name }{% endblock main %}",
    );
    archive.fails_with("template entity.html", &[]);
}

#[test]
fn an_unknown_template_variable_names_the_template() {
    let archive = Archive::new();
    archive.write(
        "templates/entities.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ no_such_thing }}</p>\n{% endblock main %}",
    );
    archive.fails_with("template entities.html:3:", &["no_such_thing"]);
}

#[test]
fn a_bad_site_toml_names_its_line() {
    let archive = Archive::new();
    archive.write("site.toml", "title = \"x\"\nno_such_key = 1\n");
    archive.fails_with("site.toml:2:1:", &["no_such_key"]);
}

#[test]
fn a_missing_content_folder() {
    let archive = Archive::new();
    fs::remove_dir_all(archive.path("seeds")).unwrap();
    archive.fails_with("", &["content folder does not exist"]);
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let archive = Archive::new();
    assert_eq!(archive.build().0, 0);
    let page = archive.path("public/articles/a/index.html");
    let before = fs::read(&page).unwrap();
    archive.write("seeds/a.toml", "date = \"never\"\n");
    assert_eq!(archive.build().0, 1);
    assert_eq!(fs::read(&page).unwrap(), before);
}
