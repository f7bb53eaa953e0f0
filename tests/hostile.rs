//! Hostile input: the real binary on small archives, each broken in one way, with inputs
//! from `tests/hostile/` or generated here when a file would be awkward to commit. Each case
//! either builds with a warning naming the file and what was skipped, or stops with exit
//! code 1 and a message naming the file (and line) and what to do. None panics.
//!
//! Hostile conditions too: outputs that are files, links or folders of someone else's, and
//! builds killed or failing at each step of putting the new site in place, through the
//! fault points of src/write.rs (`ARCHIVE_FAULT`, compiled in for the tests only).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{put, read_tree, small_archive};
use scraper::{Html, Selector};

/// A minimal archive in a temporary folder: the repository's templates and static files, a
/// one-entity gazetteer and one article, which each test then breaks.
struct Archive {
    dir: tempfile::TempDir,
}

/// What one run of `archive build` did.
struct Run {
    code: i32,
    /// Killed by a signal (a fault point's SIGKILL).
    killed: bool,
    stdout: String,
    stderr: String,
}

impl Archive {
    fn new() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        small_archive(dir.path());
        let archive = Archive { dir };
        archive.put("seeds/a.txt", "عنوان\n\nخبر من دمشق.");
        archive
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn put(&self, name: &str, contents: impl AsRef<[u8]>) {
        put(self.dir.path(), name, contents);
    }

    /// Puts the file `case` of tests/hostile/ at `name`.
    fn put_case(&self, name: &str, case: &str) {
        self.put(name, fs::read(hostile(case)).unwrap());
    }

    fn build(&self) -> Run {
        self.run("", &[])
    }

    /// `archive build` with more arguments, and the faults `fault` (see src/write.rs).
    fn run(&self, fault: &str, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["build", "--root"])
            .arg(self.dir.path())
            .args(args)
            .env("ARCHIVE_FAULT", fault)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            killed: out.status.code().is_none(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The build stops cleanly: exit 1, a message starting with `prefix` (file and line),
    /// holding `words`, and a hint.
    fn fails_with(&self, prefix: &str, words: &[&str]) {
        let run = self.build();
        assert_eq!(run.code, 1, "exit code, stderr: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("error: {prefix}")),
            "message should start with {prefix:?}: {}",
            run.stderr
        );
        for w in words {
            assert!(run.stderr.contains(w), "message should contain {w:?}: {}", run.stderr);
        }
        assert!(run.stderr.contains("hint:"), "message should say what to do: {}", run.stderr);
    }

    /// The build succeeds, warning `warning` about `file`, and publishes `articles` articles.
    fn warns(&self, file: &str, warning: &str, articles: usize) -> Run {
        let run = self.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("warning: {file}: {warning}")),
            "expected a warning about {file}: {}",
            run.stderr
        );
        assert!(run.stdout.starts_with(&format!("built {articles} articles")), "{}", run.stdout);
        run
    }

    /// Every file of the output, by relative path.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        read_tree(&self.path("public"))
    }
}

fn hostile(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(case)
}

#[test]
fn the_minimal_archive_builds() {
    let archive = Archive::new();
    let run = archive.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(archive.path("public/entities/place/damascus/index.html").is_file());
}

// ─── Articles ───────────────────────────────────────────────────────────────────────────

#[test]
fn a_file_that_is_not_utf8_stops_the_build_with_its_line() {
    let archive = Archive::new();
    // "الشام" in Windows-1256, on the second line.
    archive.put("seeds/c.txt", b"title\n\xc7\xe1\xd4\xc7\xe3");
    archive.fails_with("seeds/c.txt:2:1: the file is not UTF-8", &["iconv"]);
}

#[test]
fn a_file_with_nul_bytes_is_skipped_with_a_warning() {
    let archive = Archive::new();
    archive.put("seeds/c.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    archive.warns("seeds/c.txt", "contains NUL bytes", 1);
    assert!(!archive.path("public/articles/c").exists());
}

#[test]
fn an_empty_file_is_skipped_with_a_warning() {
    let archive = Archive::new();
    archive.put("seeds/c.txt", "");
    archive.put("seeds/d.md", " \n\t\n");
    let run = archive.warns("seeds/c.txt", "is empty: skipped", 1);
    assert!(run.stderr.contains("warning: seeds/d.md: is empty: skipped"), "{}", run.stderr);
}

#[test]
fn twenty_megabytes_on_one_line_build_in_bounded_time() {
    let archive = Archive::new();
    let sentence = "قصفت القوات الأميركية مواقع قرب دمشق يوم 26 فبراير/شباط 2021 وقتل 22 شخصاً، ";
    let line = sentence.repeat(20_000_000 / sentence.len() + 1);
    archive.put("seeds/huge.txt", &line);
    let started = std::time::Instant::now();
    let run = archive.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(started.elapsed().as_secs() < 120, "took {:?}", started.elapsed());
    let page = fs::read_to_string(archive.path("public/articles/huge/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let title: String = doc.select(&Selector::parse("h1").unwrap()).next().unwrap().text().collect();
    assert!(title.chars().count() < 200, "the endless line is not the title: {} chars", title.chars().count());
    assert!(title.ends_with('…'), "{title}");
    // The text is all there.
    let body: String = doc.select(&Selector::parse("article").unwrap()).next().unwrap().text().collect();
    assert_eq!(body.trim(), line.trim());
}

#[test]
fn only_a_page_with_code_loads_the_highlighters_styles() {
    let archive = Archive::new();
    archive.put("seeds/code.md", "+++\ntitle = \"شيفرة\"\n+++\n\nمن دمشق:\n\n```rust\nfn main() {}\n```\n");
    let run = archive.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let linked = |page: &str| fs::read_to_string(archive.path(page)).unwrap().contains("href=\"css/syntax.css\"");
    assert!(linked("public/articles/code/index.html"));
    assert!(!linked("public/articles/a/index.html") && !linked("public/index.html"));
    assert!(archive.path("public/css/syntax.css").is_file());
}

#[test]
fn a_bom_and_crlf_line_endings_are_read_as_text() {
    let archive = Archive::new();
    archive.put("seeds/c.txt", "\u{feff}عنوان الخبر\r\n\r\nخبر من دمشق.\r\n\r\nفقرة ثانية.\r\n");
    archive.put("seeds/d.md", "\u{feff}+++\r\ntitle = \"خبر\"\r\n+++\r\n\r\nخبر من دمشق.\r\n");
    let run = archive.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = fs::read_to_string(archive.path("public/articles/c/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let title: String = doc.select(&Selector::parse("h1").unwrap()).next().unwrap().text().collect();
    assert_eq!(title, "عنوان الخبر");
    let paragraphs: Vec<String> =
        doc.select(&Selector::parse("article p").unwrap()).map(|p| p.text().collect()).collect();
    assert_eq!(paragraphs, ["خبر من دمشق.", "فقرة ثانية."]);
    assert!(fs::read_to_string(archive.path("public/articles/d/index.html"))
        .unwrap()
        .contains("data-entity=\"damascus\""));
}

#[test]
fn toml_front_matter_that_does_not_parse_names_file_line_and_column() {
    let archive = Archive::new();
    archive.put_case("seeds/b.md", "front-matter-toml.md");
    archive.fails_with("seeds/b.md:3:8:", &["front matter between +++ lines is TOML"]);
}

#[test]
fn yaml_front_matter_that_does_not_parse_names_file_line_and_column() {
    let archive = Archive::new();
    archive.put_case("seeds/b.md", "front-matter-yaml.md");
    archive.fails_with("seeds/b.md:3:", &["YAML"]);
}

#[test]
fn a_date_that_is_not_a_date_names_the_sidecar_line() {
    let archive = Archive::new();
    archive.put_case("seeds/a.toml", "bad-date.toml");
    archive.fails_with("seeds/a.toml:2:1: `date = السبت الماضي` is not a date", &["YYYY-MM-DD"]);
}

#[test]
fn two_articles_with_one_slug_stop_the_build() {
    let archive = Archive::new();
    archive.put("seeds/sub/a.txt", "عنوان آخر\n\nنص.");
    archive.fails_with("seeds/sub/a.txt: slug \"a\" is already used by seeds/a.txt", &[]);
}

#[test]
fn a_slug_with_dots_or_a_slash_stops_the_build() {
    let archive = Archive::new();
    archive.put_case("seeds/a.toml", "slug-dots.toml");
    archive.fails_with("seeds/a.txt: slug \"../../etc\" cannot be a URL segment", &[]);
    archive.put_case("seeds/a.toml", "slug-slash.toml");
    archive.fails_with("seeds/a.txt: slug \"articles/other\" cannot be a URL segment", &[]);
}

#[test]
fn file_names_that_cannot_be_slugs_stop_the_build_naming_the_file() {
    let archive = Archive::new();
    archive.put("seeds/a b#c?.txt", "عنوان\n\nنص.");
    archive.fails_with("seeds/a b#c?.txt: slug \"a b#c?\" cannot be a URL segment", &["rename the file"]);
    fs::remove_file(archive.path("seeds/a b#c?.txt")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // "الشام" in Windows-1256.
        let name = std::ffi::OsStr::from_bytes(b"\xc7\xe1\xd4\xc7\xe3.txt");
        fs::write(archive.path("seeds").join(name), "عنوان\n\nنص.").unwrap();
        archive.fails_with("seeds/", &["the file name is not UTF-8", "convmv"]);
        assert!(!archive.path("public").exists(), "nothing was published");
    }
}

#[test]
fn slugs_that_cannot_be_folders_stop_the_build_naming_the_article() {
    let archive = Archive::new();
    archive.put("seeds/a.toml", "slug = \"index.html\"\n");
    archive.fails_with("seeds/a.txt: slug \"index.html\" is the name of the page that lists the articles", &[]);
    archive.put("seeds/a.toml", format!("slug = \"{}\"\n", "a".repeat(300)));
    archive.fails_with("seeds/a.txt: the slug is 300 bytes long", &["255"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_not_followed() {
    let archive = Archive::new();
    std::os::unix::fs::symlink(archive.path("seeds"), archive.path("seeds/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", archive.path("seeds/outside.txt")).unwrap();
    let run = archive.warns("seeds/loop", "symbolic link not followed: skipped", 1);
    assert!(run.stderr.contains("warning: seeds/outside.txt: symbolic link not followed"), "{}", run.stderr);
}

// ─── Gazetteer ──────────────────────────────────────────────────────────────────────────

#[test]
fn gazetteer_duplicate_ids_name_the_line() {
    let archive = Archive::new();
    archive.put_case("entities.toml", "gazetteer-duplicate-ids.toml");
    archive.fails_with("entities.toml:7:6: entity id \"damascus\" is defined twice", &[]);
}

#[test]
fn gazetteer_aliases_that_are_empty_or_only_clitics_name_the_line() {
    let archive = Archive::new();
    archive.put_case("entities.toml", "gazetteer-clitic-alias.toml");
    archive.fails_with("entities.toml:2:6: damascus: alias \"وال\" is empty or only clitics", &[]);
    archive.put_case("entities.toml", "gazetteer-empty-alias.toml");
    archive.fails_with("entities.toml:2:6: damascus: alias \"\" is empty or only clitics", &[]);
}

#[test]
fn gazetteer_unknown_types_name_the_line() {
    let archive = Archive::new();
    archive.put_case("entities.toml", "gazetteer-unknown-type.toml");
    archive.fails_with("entities.toml:3:8:", &["city", "person"]);
}

// ─── Templates and configuration ────────────────────────────────────────────────────────

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let archive = Archive::new();
    archive.put_case("templates/entity.html", "template-syntax.html");
    archive.fails_with("template entity.html: Failed to parse", &["3:"]);
}

#[test]
fn an_unknown_template_variable_names_the_template_and_line() {
    let archive = Archive::new();
    archive.put_case("templates/entities.html", "template-unknown-variable.html");
    archive.fails_with("template entities.html:4:", &["no_such_thing"]);
}

#[test]
fn a_bad_site_toml_names_its_line() {
    let archive = Archive::new();
    archive.put("site.toml", "title = \"x\"\nno_such_key = 1\n");
    archive.fails_with("site.toml:2:1:", &["no_such_key"]);
}

#[test]
fn a_missing_content_folder() {
    let archive = Archive::new();
    fs::remove_dir_all(archive.path("seeds")).unwrap();
    archive.fails_with("seeds: the content folder does not exist", &[]);
}

#[test]
fn a_missing_archive_folder() {
    let archive = Archive::new();
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--root"])
        .arg(archive.path("no-such-archive"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains("no-such-archive: the archive's folder does not exist"));
    assert!(stderr.contains("hint: give --root the folder that holds site.toml"), "{stderr}");
}

#[test]
fn a_missing_templates_folder() {
    let archive = Archive::new();
    fs::remove_dir_all(archive.path("templates")).unwrap();
    archive.fails_with("", &["templates: the templates folder does not exist", "archive init"]);
}

#[test]
fn a_content_folder_that_is_a_file() {
    let archive = Archive::new();
    archive.put("notes.txt", "");
    archive.put("site.toml", "content_dir = \"notes.txt\"\n");
    archive.fails_with("notes.txt: the content folder is a file, not a folder", &["content_dir"]);
}

#[test]
fn a_wrong_command_line_exits_with_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_archive")).args(["build", "--no-such-option"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: archive build"));
}

// ─── Output ─────────────────────────────────────────────────────────────────────────────

#[test]
fn the_output_is_never_the_archive_or_one_of_its_inputs() {
    let archive = Archive::new();
    for (output, why) in [
        (archive.path(""), "holds the archive"),
        (archive.path("seeds"), "holds the content folder"),
        (archive.path("templates"), "holds the templates folder"),
        (archive.path("static/css"), "inside the static folder"),
        (archive.path("public/.."), "holds the archive"),
        (PathBuf::from("/"), "root of the file system"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["build", "--root"])
            .arg(archive.path(""))
            .arg("--output")
            .arg(&output)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", output.display());
        assert!(stderr.contains(why), "{}: {stderr}", output.display());
    }
    assert!(archive.path("seeds/a.txt").is_file() && archive.path("templates/base.html").is_file());
}

#[test]
fn an_existing_folder_that_archive_did_not_write_is_not_replaced() {
    let archive = Archive::new();
    archive.put("public/thesis.odt", "years of work");
    archive.fails_with("", &["is not empty and was not written by archive"]);
    assert_eq!(fs::read_to_string(archive.path("public/thesis.odt")).unwrap(), "years of work");
}

#[test]
fn a_build_failing_while_rendering_leaves_the_previous_site_byte_identical() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    let before = archive.snapshot();
    archive.put("seeds/b.txt", "عنوان ثان\n\nخبر آخر من دمشق.");
    archive.put_case("templates/entities.html", "template-unknown-variable.html");
    assert_eq!(archive.build().code, 1);
    assert_eq!(archive.snapshot(), before);
}

#[test]
fn a_build_failing_while_writing_leaves_the_previous_site_byte_identical() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    let before = archive.snapshot();
    // A static file where the articles folder must go: writing fails half-way through.
    archive.put("static/articles", "not a folder");
    let run = archive.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot"), "{}", run.stderr);
    assert_eq!(archive.snapshot(), before);
    assert!(!archive.path(".public.new").exists(), "the staging folder is cleaned up");
}

#[test]
fn an_output_that_is_a_file_is_refused_and_left_alone() {
    let archive = Archive::new();
    archive.put("public", "my notes");
    for _ in 0..2 {
        archive.fails_with("", &["public: the output is a file, not a folder", "move the file away"]);
    }
    assert_eq!(fs::read_to_string(archive.path("public")).unwrap(), "my notes");
    assert!(!archive.path(".public.old").exists() && !archive.path(".public.new").exists());
}

#[test]
fn folders_beside_the_output_that_archive_did_not_write_are_left_alone() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    let before = archive.snapshot();
    for beside in [".public.old", ".public.new"] {
        archive.put(&format!("{beside}/thesis.odt"), "years of work");
        archive.fails_with("", &[beside, "was not written by archive", "move or rename it"]);
        assert_eq!(fs::read_to_string(archive.path(&format!("{beside}/thesis.odt"))).unwrap(), "years of work");
        assert_eq!(archive.snapshot(), before);
        fs::rename(archive.path(beside), archive.path(&format!("kept{beside}"))).unwrap();
    }
    assert_eq!(archive.build().code, 0);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_has_the_folder_it_leads_to_replaced() {
    let archive = Archive::new();
    fs::create_dir_all(archive.path("www/site")).unwrap();
    std::os::unix::fs::symlink("www/site", archive.path("public")).unwrap();
    for text in ["نسخة أولى", "نسخة ثانية"] {
        archive.put("seeds/a.txt", format!("عنوان\n\n{text}"));
        let run = archive.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        let page = fs::read_to_string(archive.path("www/site/articles/a/index.html")).unwrap();
        assert!(page.contains(text));
    }
    assert!(fs::symlink_metadata(archive.path("public")).unwrap().file_type().is_symlink(), "still a link");
    let beside: Vec<_> = fs::read_dir(archive.path("www")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, ["site"], "nothing left beside the folder");
    // A link that leads nowhere is refused, not replaced.
    fs::remove_dir_all(archive.path("www")).unwrap();
    archive.fails_with("", &["public: the output is a symbolic link to www/site, which does not exist"]);
    assert!(fs::symlink_metadata(archive.path("public")).unwrap().file_type().is_symlink());
}

#[test]
fn an_output_ending_in_a_dot_is_that_folder() {
    let archive = Archive::new();
    for _ in 0..2 {
        let run = archive.run("", &["--output", archive.path("public/.").to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(archive.path("public/articles/a/index.html").is_file());
}

#[test]
fn a_previous_site_that_cannot_be_removed_is_a_warning() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    // As a previous site written with sudo would be, twice in a row.
    for text in ["نسخة أولى", "نسخة ثانية"] {
        archive.put("seeds/a.txt", format!("عنوان\n\n{text}"));
        let run = archive.run("remove .public.old=denied", &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("warning: ") && run.stderr.contains(".public.old: "), "{}", run.stderr);
        assert!(run.stderr.contains("is left here") && run.stderr.contains("sudo"), "{}", run.stderr);
        assert!(fs::read_to_string(archive.path("public/articles/a/index.html")).unwrap().contains(text));
    }
    let run = archive.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(!archive.path(".public.old").exists() && !archive.path(".public.new").exists());
}

#[test]
fn disk_full_and_permission_errors_say_what_to_do() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    let before = archive.snapshot();
    archive.put("seeds/b.txt", "عنوان ثان\n\nخبر آخر.");
    for (fault, hint) in
        [("write=full", "hint: the disk is full"), ("write=denied", "hint: check the owner and permissions")]
    {
        let run = archive.run(fault, &[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.starts_with("error: ") && run.stderr.contains(".public.new/"), "{}", run.stderr);
        assert!(run.stderr.contains(hint), "{fault}: {}", run.stderr);
        assert_eq!(archive.snapshot(), before);
    }
}

/// What the output must hold once a build is killed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum After {
    Old,
    New,
    /// Nothing: only where the system cannot swap two folders in one step, between moving
    /// the old site aside and the new one in. The new site waits beside it, whole.
    Missing,
}

/// Kills a build just before each step of putting its site in place, then checks that the
/// output is the old or the new site byte for byte, and that neither the next build, failing,
/// nor the one after, succeeding, ever leaves less than one whole site.
#[test]
fn a_build_killed_at_any_step_of_the_commit_leaves_the_old_or_the_new_site() {
    let exchange = "";
    let no_exchange = "swap=unsupported;";
    let steps = [
        (exchange, "write", After::Old),
        (exchange, "flush", After::Old),
        (exchange, "swap", After::Old),
        (exchange, "set-aside", After::New),
        (exchange, "remove .public.old", After::New),
        (exchange, "emptied .public.old", After::New),
        (no_exchange, "move-aside", After::Old),
        (no_exchange, "move-in", After::Missing),
        (no_exchange, "remove .public.old", After::New),
    ];
    for (system, step, after) in steps {
        let archive = Archive::new();
        assert_eq!(archive.build().code, 0);
        let old = archive.snapshot();
        archive.put("seeds/b.txt", "عنوان ثان\n\nخبر آخر من دمشق.");
        let expected = archive.path("expected");
        assert_eq!(archive.run("", &["--output", expected.to_str().unwrap()]).code, 0);
        let new = read_tree(&expected);
        fs::remove_dir_all(&expected).unwrap();
        assert_ne!(old, new);

        let run = archive.run(&format!("{system}{step}=kill"), &[]);
        assert!(run.killed, "{step}: not killed: {}", run.stderr);
        let sites = [(After::Old, &old), (After::New, &new)];
        let is = |site: After| sites.iter().any(|(s, files)| *s == site && archive.snapshot() == **files);
        match after {
            After::Missing => {
                assert!(!archive.path("public").exists(), "{step}");
                assert_eq!(read_tree(&archive.path(".public.new")), new, "{step}: the new site waits, whole");
                // Killed again, while putting it back: still there for the next one.
                assert!(archive.run("restore=kill", &[]).killed);
                assert_eq!(read_tree(&archive.path(".public.new")), new, "{step}");
            }
            _ => assert!(is(after), "{step}: the output is not the {after:?} site"),
        }

        // A build that fails on an article still puts back a missing site.
        archive.put("seeds/c.md", "+++\ntitle = = 1\n+++\n");
        let run = archive.build();
        assert_eq!(run.code, 1, "{step}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: seeds/c.md:2:"), "{step}: {}", run.stderr);
        assert!(is(if after == After::Missing { After::New } else { after }), "{step}: after a failed build");

        fs::remove_file(archive.path("seeds/c.md")).unwrap();
        let run = archive.build();
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{step}");
        assert!(is(After::New), "{step}: after the next good build");
        let beside: Vec<_> = fs::read_dir(archive.path("")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(!beside.iter().any(|n| n.to_string_lossy().starts_with(".public")), "{step}: {beside:?}");
    }
}

#[test]
fn a_first_build_killed_before_its_site_is_moved_in_is_put_back_by_the_next() {
    let archive = Archive::new();
    assert!(archive.run("move-in=kill", &[]).killed);
    assert!(!archive.path("public").exists());
    let waiting = read_tree(&archive.path(".public.new"));
    archive.put("site.toml", "title = = 1\n");
    assert_eq!(archive.build().code, 1);
    // site.toml is read before the output is looked at: the site still waits.
    assert_eq!(read_tree(&archive.path(".public.new")), waiting);
    archive.put("site.toml", "title = \"تجربة\"\n");
    archive.put("seeds/c.md", "+++\ntitle = = 1\n+++\n");
    assert_eq!(archive.build().code, 1);
    assert_eq!(archive.snapshot(), waiting);
}

/// Builds `builds` times, pausing before each step of the commit, while a thread looks at
/// the home page as fast as it can: how often it looked, and how often it was missing.
fn poll_while_building(archive: &Archive, system: &str, builds: usize) -> (u64, u64) {
    let public = archive.path("public/index.html");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || {
            let (mut looks, mut missing) = (0u64, 0u64);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                missing += u64::from(fs::metadata(&public).is_err());
            }
            (looks, missing)
        })
    };
    let steps = ["flush", "swap", "set-aside", "move-aside", "move-in", "remove .public.old"];
    let pauses: String = steps.iter().map(|step| format!("{step}=pause;")).collect();
    for i in 0..builds {
        archive.put("seeds/a.txt", format!("عنوان\n\nنسخة رقم {i}."));
        let run = archive.run(&format!("{system}{pauses}"), &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    poller.join().unwrap()
}

#[test]
fn the_output_is_never_missing_while_builds_replace_it() {
    let archive = Archive::new();
    assert_eq!(archive.build().code, 0);
    let (looks, missing) = poll_while_building(&archive, "", 3);
    assert!(looks > 1000, "looked {looks} times");
    assert_eq!(missing, 0, "the home page was missing {missing} times in {looks} looks");
    // Where the system cannot exchange two folders, it is missing between the two moves:
    // the poller sees such a gap.
    let (_, missing) = poll_while_building(&archive, "swap=unsupported;", 1);
    assert!(missing > 0, "without the exchange, the pause between the moves goes unseen");
}

// ─── Script injection through every channel ─────────────────────────────────────────────

#[test]
fn injected_markup_is_never_active_in_the_output() {
    let archive = Archive::new();
    fs::remove_file(archive.path("seeds/a.txt")).unwrap();
    for file in ["article.md", "plain.txt", "plain.toml"] {
        archive.put_case(&format!("seeds/{file}"), &format!("injection/{file}"));
    }
    archive.put_case("entities.toml", "injection/entities.toml");
    let run = archive.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let pages = archive.snapshot();
    let html_pages: Vec<_> = pages.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).collect();
    assert!(html_pages.len() >= 6, "{} pages", html_pages.len());
    let forbidden = Selector::parse("iframe, object, embed, form, svg, math").unwrap();
    let (base, script) = (Selector::parse("base").unwrap(), Selector::parse("script").unwrap());
    let any = Selector::parse("*").unwrap();
    let mut problems = Vec::new();
    for (path, bytes) in &html_pages {
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&forbidden) {
            problems.push(format!("{}: <{}>", path.display(), el.value().name()));
        }
        // The only scripts are the site's own files, with nothing written inline, and
        // JSON-LD data blocks, never run: JSON that no text in it could have closed.
        for el in doc.select(&script) {
            let (src, text) = (el.value().attr("src").unwrap_or_default(), el.text().collect::<String>());
            let data = el.value().attr("type") == Some("application/ld+json")
                && !text.contains('<')
                && serde_json::from_str::<serde_json::Value>(&text).is_ok();
            let own = !src.is_empty()
                && !src.contains(':')
                && !src.starts_with('/')
                && pages.contains_key(Path::new(src))
                && text.trim().is_empty();
            if !data && !own {
                problems.push(format!("{}: <script src={src:?}>", path.display()));
            }
        }
        // The one <base> a page has is the program's, leading to the site's root.
        let bases: Vec<&str> = doc.select(&base).map(|b| b.value().attr("href").unwrap_or_default()).collect();
        if bases.len() != 1 || !bases[0].chars().all(|c| c == '.' || c == '/') {
            problems.push(format!("{}: <base> {bases:?}", path.display()));
        }
        for el in doc.select(&any) {
            for (name, value) in el.value().attrs() {
                let compact: String =
                    value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
                let url_attr = matches!(name, "href" | "src" | "action" | "formaction" | "xlink:href" | "data");
                if name.starts_with("on") || name == "style" {
                    problems.push(format!("{}: <{} {name}=…>", path.display(), el.value().name()));
                }
                if url_attr && ["javascript:", "vbscript:", "data:"].iter().any(|s| compact.starts_with(s)) {
                    problems.push(format!("{}: <{} {name}={value:?}>", path.display(), el.value().name()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "active markup in the output:\n{}", problems.join("\n"));

    // Nothing is lost either: what was escaped is shown as text.
    let text_of = |page: &str| {
        let html = fs::read_to_string(archive.path(page)).unwrap();
        Html::parse_document(&html).root_element().text().collect::<String>()
    };
    let plain = text_of("public/articles/plain/index.html");
    for shown in [
        "<script>alert('txt-body')</script>",
        "\"><img src=x onerror=alert('txt')>",
        "\"><script>alert('sidecar')</script>",
        "<img src=x onerror=alert('basis')>",
    ] {
        assert!(plain.contains(shown), "{shown:?} should be shown as text");
    }
    let md = text_of("public/articles/article/index.html");
    for shown in ["\"><script>alert('title')</script> عنوان في دمشق", "<svg onload=alert('source')>", "رابط خبيث"]
    {
        assert!(md.contains(shown), "{shown:?} should be shown as text");
    }
    let place = text_of("public/entities/place/damascus/index.html");
    assert!(place.contains("<img src=x onerror=alert('description')> عاصمة سوريا"));
}
