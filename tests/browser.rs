//! The seed site in a real browser. The real binary builds the seeds into a temporary
//! folder, a small static server (below) serves it on 127.0.0.1 as a static host would, and
//! Debian's Chromium, driven by playwright-core, runs the checks in `tests/browser/`:
//!
//! - `pages.test.mjs`: every page is visited; no request leaves the local server, nothing a
//!   page asks for fails, and at 320, 390 and 430 px no page scrolls sideways;
//! - `accessibility.test.mjs`: axe-core finds no serious or critical violation on one page
//!   of each kind (`KEY_PAGES` in `lib.mjs`);
//! - `mentions.test.mjs`: a mention leads to its entity, and the entity page's link back
//!   returns to the same mention, targeted;
//! - `file.test.mjs`: the same build opened from disk (`file://`) keeps its styles from
//!   home to article to entity and back;
//! - `search.test.mjs`: the search page finds the seed articles for three spellings of a
//!   name, an entity by an alias, and offers the indexes when opened from disk;
//! - `reload.test.mjs`: under `archive serve` (the binary, `ARCHIVE_BIN`), an edit reloads
//!   its article's open page and no page it left the same, and a failed build's message
//!   goes once a build succeeds.
//!
//! Beside them the Nu HTML Checker (vnu.jar, on Java) reads every HTML page and stylesheet.
//!
//! Chromium, Node and Java are needed, and their absence fails the tests, saying what to
//! install: a check that is skipped is a check that does not protect anything.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Instant;
use std::{fs, thread};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CHROMIUM: &str = "/usr/bin/chromium";

/// The seed site, built once and served for every test of this file.
struct Site {
    public: PathBuf,
    url: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        require_tools();
        install_packages();
        // Cargo's folder for tests rather than a temporary one: a `static` is never
        // dropped, so a `TempDir` in it would never be removed. Each run builds it anew.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
        fs::create_dir_all(&dir).expect("a folder for the site");
        let public = dir.join("public");
        common::build_seeds(&public);
        let url = serve(public.clone());
        Site { public, url }
    })
}

fn browser_dir() -> PathBuf {
    Path::new(ROOT).join("tests/browser")
}

/// Fails, saying what to install, unless Chromium, Node and Java are all there.
fn require_tools() {
    let runs = |program: &str, arg: &str| Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success());
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!("Chromium at {CHROMIUM} (apt-get install chromium)"));
    }
    if !runs("java", "-version") {
        missing.push("Java, for the Nu HTML Checker (apt-get install default-jre-headless)".to_string());
    }
    if !runs("node", "--version") {
        missing.push("Node.js and npm (apt-get install nodejs npm)".to_string());
    }
    assert!(
        missing.is_empty(),
        "the browser tests need {}.\nOn Debian: apt-get install --no-install-recommends chromium default-jre-headless nodejs npm",
        missing.join(", ")
    );
}

/// `npm ci` in tests/browser when its packages are not there yet. No browser is downloaded
/// (playwright-core drives the installed Chromium), and tests/browser/.npmrc turns install
/// scripts off: vnu-jar's would download a Java runtime.
fn install_packages() {
    let dir = browser_dir();
    if dir.join("node_modules/.package-lock.json").is_file() {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(&dir)
        .output()
        .expect("npm runs");
    assert!(out.status.success(), "npm ci in {} failed:\n{}", dir.display(), String::from_utf8_lossy(&out.stderr));
}

/// Serves `public` on a free port of 127.0.0.1 for as long as the tests run; returns its
/// address, ending in `/`. Like a static host: a folder serves its `index.html`, a folder
/// asked for without its slash is redirected to it, and anything missing gets `404.html`
/// with status 404.
fn serve(public: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}/", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let public = public.clone();
            thread::spawn(move || answer(&public, stream));
        }
    });
    url
}

/// Answers one request, then closes the connection.
fn answer(public: &Path, mut stream: TcpStream) {
    let mut head = String::new();
    let mut reader = BufReader::new(&stream);
    while reader.read_line(&mut head).is_ok_and(|n| n > 2) {}
    let target = head.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = common::percent_decode(path);
    let (status, location, file) = if decoded.split('/').any(|s| s == "..") {
        ("400 Bad Request", None, None)
    } else {
        let on_disk = public.join(decoded.trim_start_matches('/'));
        if on_disk.is_dir() && !decoded.ends_with('/') {
            ("301 Moved Permanently", Some(format!("{path}/")), None)
        } else if on_disk.is_dir() && on_disk.join("index.html").is_file() {
            ("200 OK", None, Some(on_disk.join("index.html")))
        } else if on_disk.is_file() {
            ("200 OK", None, Some(on_disk))
        } else {
            ("404 Not Found", None, Some(public.join("404.html")))
        }
    };
    let body = file.as_deref().map(|f| fs::read(f).unwrap()).unwrap_or_default();
    let kind = file.as_deref().map_or("text/plain", archive::content_type);
    let location = location.map(|l| format!("Location: {l}\r\n")).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{location}Connection: close\r\n\r\n",
        body.len()
    );
    // The browser may give up on a response it no longer needs.
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// Runs `program` in tests/browser with the built site's folder and address in its
/// environment; returns whether it succeeded and all it printed, timed.
fn run(program: &str, args: &[&str]) -> (Output, String) {
    let site = site();
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .current_dir(browser_dir())
        .env("ARCHIVE_SITE_DIR", &site.public)
        .env("ARCHIVE_SITE_URL", &site.url)
        .env("ARCHIVE_BIN", env!("CARGO_BIN_EXE_archive"))
        .output()
        .unwrap_or_else(|e| panic!("{program} does not run: {e}"));
    let printed = format!(
        "{}{}\n{program}: {:.1} s",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        start.elapsed().as_secs_f64()
    );
    (out, printed)
}

/// Every `*.test.mjs` in tests/browser, found by Node's test runner itself, so that a check
/// added there runs without a line here.
#[test]
fn chromium_checks_pass() {
    let (out, printed) = run("node", &["--test", "--test-reporter=spec", "--test-concurrency=2"]);
    assert!(out.status.success(), "the checks in Chromium failed:\n{printed}");
    // The runner's closing count: a check skipped, or none found, protects nothing.
    let count = |what: &str| -> usize {
        let line = printed.lines().find_map(|l| l.strip_prefix(&format!("ℹ {what} ")));
        line.and_then(|n| n.trim().parse().ok()).unwrap_or_else(|| panic!("no count of {what} in:\n{printed}"))
    };
    assert!(count("pass") > 0 && count("skipped") == 0 && count("todo") == 0, "checks skipped or none run:\n{printed}");
    println!("{printed}");
}

/// The Nu HTML Checker finds no error on any HTML page of the site, nor in its stylesheets.
#[test]
fn nu_html_checker_finds_no_error() {
    let public = &site().public;
    let pages = common::read_tree(public).keys().filter(|p| p.extension().is_some_and(|e| e == "html")).count();
    assert!(pages > 100, "only {pages} HTML pages in the seed site");
    let vnu = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let args = [
        "-jar",
        vnu.to_str().unwrap(),
        "--errors-only",
        "--skip-non-html",
        "--also-check-css",
        "--format",
        "json",
        "--stdout",
        public.to_str().unwrap(),
    ];
    let (out, printed) = run("java", &args);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("vnu printed no JSON:\n{printed}"));
    let messages = report["messages"].as_array().expect("a list of messages");
    let errors: Vec<String> = messages
        .iter()
        .map(|m| {
            let file = m["url"].as_str().unwrap_or_default().strip_prefix("file:").unwrap_or_default();
            let file = file.strip_prefix(public.to_str().unwrap()).unwrap_or(file);
            format!(
                "{file}:{}: {}: {}",
                m["lastLine"],
                m["type"].as_str().unwrap_or_default(),
                m["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        errors.is_empty() && out.status.success(),
        "the Nu HTML Checker reports, on {pages} pages:\n{}\n{printed}",
        errors.join("\n")
    );
    println!("the Nu HTML Checker read {pages} pages: no error ({})", printed.lines().last().unwrap_or_default());
}
