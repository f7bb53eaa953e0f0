//! `archive serve` with the real binary, on a free port of 127.0.0.1, over plain HTTP/1.1
//! written by hand: edits are served after the rebuild, an edited article's page is told to
//! reload first, then the pages the edit changed, a broken edit keeps the last good
//! site, a removed site is built again, nothing outside the site is ever served, and floods,
//! malformed requests, idle, slow and unread connections leave the server answering, with
//! its connections and its memory bounded, and search finds an edit once its index is made.
//!
//! Each test makes its archive with `archive init`, and kills its server when it ends.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const ARTICLE: &str = "seeds/example.md";
const PAGE: &str = "/articles/example/";

/// A running `archive serve` on a fresh archive; killed when dropped.
struct Server {
    /// First, so that it is killed before its folder is removed.
    _process: Killed,
    port: u16,
    dir: tempfile::TempDir,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

/// A child process, killed when dropped, so that no test leaves a server behind.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `archive serve --root ROOT --port PORT`, collecting what it prints.
fn spawn_serve(root: &Path, port: u16) -> (Killed, Arc<Mutex<String>>, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["serve", "--timings", "--root"])
        .arg(root)
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    (Killed(child), stdout, stderr)
}

impl Server {
    /// `archive init`, then `archive serve` on it; waits (at most 20 s) until it answers.
    fn start() -> Server {
        Server::start_with(|_| {})
    }

    /// As [`Server::start`], with `prepare` called on the new archive's folder first.
    fn start_with(prepare: impl FnOnce(&Path)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        let init = Command::new(env!("CARGO_BIN_EXE_archive")).arg("init").arg(&root).output().unwrap();
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        prepare(&root);
        let port = free_port();
        let (process, stdout, stderr) = spawn_serve(&root, port);
        let server = Server { _process: process, port, dir, stdout, stderr };
        let ready = wait_for(Duration::from_secs(20), || {
            server.stdout().contains("serving ") && server.get("/").is_some_and(|(status, _)| status == 200)
        });
        assert!(ready, "not serving after 20 s\nstdout: {}\nstderr: {}", server.stdout(), server.stderr());
        server
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// GET `path` exactly as written (no normalisation): status and body.
    fn get(&self, path: &str) -> Option<(u16, String)> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let response = self.send(request.as_bytes(), false)?;
        let status = response.split(' ').nth(1)?.parse().ok()?;
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        Some((status, body))
    }

    /// Sends raw bytes, reads the answer until the server closes (or 5 s pass). With `end`,
    /// the client says it has nothing more to send, so that an incomplete request ends.
    fn send(&self, bytes: &[u8], end: bool) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.set_write_timeout(Some(Duration::from_secs(5))).ok()?;
        // The server may close before reading everything (a huge header): not an error here.
        let _ = stream.write_all(bytes);
        if end {
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        Some(String::from_utf8_lossy(&response).into_owned())
    }

    /// The page at `path`, once it is served with status 200 and holds `text` (at most 10 s).
    fn wait_for_page(&self, path: &str, text: &str) -> String {
        let mut last = None;
        let found = wait_for(Duration::from_secs(10), || {
            last = self.get(path);
            last.as_ref().is_some_and(|(status, body)| *status == 200 && body.contains(text))
        });
        assert!(found, "{path} never showed {text:?}\nlast: {last:?}\nstderr: {}", self.stderr());
        last.unwrap().1
    }

    /// Reads the event stream for up to `wait`, returning what came.
    fn events(&self, wait: Duration) -> String {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return String::new() };
        let request = "GET /__archive/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
        stream.write_all(request.as_bytes()).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let started = Instant::now();
        let mut seen = Vec::new();
        let mut buf = [0; 4096];
        while started.elapsed() < wait {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    fn write(&self, name: &str, contents: &str) {
        fs::write(self.root().join(name), contents).unwrap();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut sink = sink.lock().unwrap();
            sink.push_str(&line);
            sink.push('\n');
        }
    });
    text
}

fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The example article with `marker` as an extra paragraph.
fn edited(server: &Server, marker: &str) -> String {
    let original = fs::read_to_string(server.root().join(ARTICLE)).unwrap();
    format!("{original}\n{marker}\n")
}

#[test]
fn an_edit_is_served_after_the_rebuild() {
    let server = Server::start();
    let page = server.wait_for_page(PAGE, "أمينة المكتبة");
    // The reload script is added while serving, never written into the site.
    let tag = "<script src=\"/__archive/livereload.js\" data-page=\"articles/example/index.html\"></script>\n</body>";
    assert!(page.contains(tag), "{page}");
    let on_disk = fs::read_to_string(server.root().join("public/articles/example/index.html")).unwrap();
    assert!(!on_disk.contains("livereload"));
    let (status, script) = server.get("/__archive/livereload.js").unwrap();
    assert_eq!(status, 200);
    assert!(script.contains("EventSource(\"/__archive/events\")"));

    server.write(ARTICLE, &edited(&server, "فقرة أضيفت أثناء المعاينة."));
    server.wait_for_page(PAGE, "فقرة أضيفت أثناء المعاينة.");
    // The site is in place a moment before the terminal says so.
    let said = wait_for(Duration::from_secs(5), || server.stdout().contains("ms after the change"));
    assert!(said, "{}", server.stdout());

    // A new article shows on the home page; the gazetteer and templates are watched too.
    server.write("seeds/second.md", "+++\ntitle = \"مقال ثان للاختبار\"\ndate = \"2024-04-02\"\n+++\n\nنص قصير.\n");
    server.wait_for_page("/", "مقال ثان للاختبار");
    server.write(
        "entities.toml",
        "[[entity]]\nid = \"old-quarter-library\"\ntype = \"organization\"\nname = \"مكتبة الحي القديم\"\n",
    );
    server.wait_for_page("/entities/organization/old-quarter-library/", "مكتبة الحي القديم");
    let base = fs::read_to_string(server.root().join("templates/base.html")).unwrap();
    server.write("templates/base.html", &base.replace("<main id=\"main\">", "<main id=\"main\" data-edited=\"yes\">"));
    server.wait_for_page("/", "data-edited=\"yes\"");
}

/// The pages each "reload" event names, in order, until `count` have come (at most 30 s);
/// `edit` runs once the stream is open.
fn reloads(server: &Server, count: usize, edit: impl FnOnce()) -> Vec<serde_json::Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET /__archive/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
    assert!(lines.by_ref().any(|line| line.starts_with(": archive serve")), "no hello");
    edit();
    let mut seen = Vec::new();
    while seen.len() < count {
        let Some(line) = lines.next() else { break };
        if line == "event: reload" {
            let data = lines.next().unwrap_or_default();
            seen.push(serde_json::from_str(data.trim_start_matches("data: ")).unwrap());
        }
    }
    seen
}

#[test]
fn an_edit_reloads_its_own_page_first_then_the_pages_it_changed() {
    let server = Server::start();
    server.wait_for_page(PAGE, "أمينة المكتبة");
    let told = reloads(&server, 2, || server.write(ARTICLE, &edited(&server, "وفي 5 مارس 2024 افتتحت المكتبة.")));
    assert_eq!(told.first(), Some(&serde_json::json!(["articles/example/index.html"])), "{told:?}");
    let rest = told.get(1).and_then(|t| t.as_array()).unwrap_or_else(|| panic!("{told:?}"));
    // The new day's page, and not the article's again.
    assert!(rest.iter().any(|p| p == "entities/date/2024-03-05/index.html"), "{rest:?}");
    assert!(!rest.iter().any(|p| p == "articles/example/index.html"), "{rest:?}");
    // The terminal says when each was told.
    let said = wait_for(Duration::from_secs(5), || server.stdout().contains(" and "));
    assert!(said, "{}", server.stdout());
}

#[test]
fn search_finds_an_edit_once_its_index_is_made_after_the_pages() {
    let server = Server::start();
    let public = server.root().join("public");
    let word = "الزنجبيل";
    assert_eq!(common::search(&public, &[word]), [Vec::<(String, String)>::new()]);
    let builds = |server: &Server| server.stdout().matches(" pages written in ").count();
    let before = builds(&server);
    server.write(ARTICLE, &edited(&server, &format!("فقرة عن {word}.")));
    server.wait_for_page(PAGE, word);
    // The edit's update, then the one that writes the index made in the background.
    let written = wait_for(Duration::from_secs(30), || builds(&server) >= before + 2);
    assert!(written, "the index was not written\nstdout: {}\nstderr: {}", server.stdout(), server.stderr());
    let urls: Vec<String> = common::search(&public, &[word]).remove(0).into_iter().map(|(url, _)| url).collect();
    assert!(urls.len() == 1 && urls[0].contains("articles/example/"), "{urls:?}");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site() {
    let server = Server::start();
    server.write(ARTICLE, &edited(&server, "النسخة السليمة الأخيرة."));
    server.wait_for_page(PAGE, "النسخة السليمة الأخيرة.");

    // Front matter that is not TOML.
    server.write(ARTICLE, "+++\ntitle = \"عنوان\"\ndate = = 2024\n+++\n\nنسخة معطوبة.\n");
    let reported = wait_for(Duration::from_secs(10), || server.stderr().contains("error: seeds/example.md:3"));
    assert!(reported, "no error in the terminal: {}", server.stderr());
    let (status, body) = server.get(PAGE).unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("النسخة السليمة الأخيرة.") && !body.contains("نسخة معطوبة"));
    // A page that connects now is told at once.
    let events = server.events(Duration::from_secs(1));
    assert!(events.contains("event: error\ndata: error: seeds/example.md:3"), "{events}");
    assert!(events.contains("data:   hint: "), "{events}");

    // Fixed: built and served again, and the error is gone.
    server.write(ARTICLE, "+++\ntitle = \"عاد سليما\"\n+++\n\nنص سليم.\n");
    server.wait_for_page(PAGE, "عاد سليما");
    let cleared = wait_for(Duration::from_secs(5), || {
        let events = server.events(Duration::from_millis(300));
        events.starts_with("HTTP/1.1 200") && !events.contains("event: error")
    });
    assert!(cleared, "the error is still sent after a good build");
}

#[test]
fn paths_outside_the_site_are_refused() {
    let server = Server::start();
    let secret = "SECRET-NOT-FOR-THE-WEB";
    server.write("secret.txt", secret);
    fs::write(server.dir.path().join("Cargo.toml"), secret).unwrap();
    let public = server.root().join("public");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(server.root().join("secret.txt"), public.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink("/etc", public.join("etc")).unwrap();
        std::os::unix::fs::symlink(server.dir.path(), public.join("up")).unwrap();
    }
    for path in [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/etc/passwd%00.html",
        "/leak.txt",
        "/etc/passwd",
        "/up/archive/secret.txt",
        "/up/Cargo.toml",
        "http://127.0.0.1/../secret.txt",
        "../secret.txt",
        "/%",
        "/%ff",
    ] {
        let (status, body) = server.get(path).unwrap_or_else(|| panic!("{path}: no answer"));
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(!body.contains(secret) && !body.contains("root:"), "{path} leaked: {body}");
    }
    // Inside the site, all is well.
    assert_eq!(server.get("/css/site.css").map(|(s, _)| s), Some(200));
    let (status, body) = server.get("/no/such/page/").unwrap();
    assert_eq!(status, 404);
    assert!(body.contains("lang=\"ar\"") && body.contains("livereload.js"));
}

#[test]
fn many_concurrent_and_malformed_requests_leave_it_answering() {
    let server = Arc::new(Server::start());
    let threads = 200;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (server, barrier) = (Arc::clone(&server), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let path = ["/", PAGE, "/css/site.css", "/data/archive.json", "/missing"][i % 5];
                server.get(path).map(|(status, _)| status)
            })
        })
        .collect();
    let statuses: Vec<Option<u16>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = statuses.iter().filter(|s| matches!(s, Some(200 | 404))).count();
    assert_eq!(ok, threads, "{statuses:?}");

    let huge = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Huge: {}\r\n\r\n", "a".repeat(1 << 20));
    let many = format!("GET / HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-A: b\r\n".repeat(5000));
    let malformed: Vec<Vec<u8>> = vec![
        b"\x00\xff\xfe garbage \r\n\r\n".to_vec(),
        b"GET HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x".to_vec(),
        b"\r\n\r\n\r\n".to_vec(),
        huge.into_bytes(),
        many.into_bytes(),
        vec![b'A'; 100_000],
    ];
    for bytes in &malformed {
        let answer = server.send(bytes, true).unwrap();
        let head = &answer[..answer.len().min(40)];
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4") || answer.starts_with("HTTP/1.1 5"), "{head:?}");
    }
    // A request cut off in the middle, and a client that never sends anything.
    let idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut half = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    half.write_all(b"GET /articles/exa").unwrap();
    drop(half);

    let (status, body) = server.get(PAGE).unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("أمينة المكتبة"));
    drop(idle);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn a_removed_or_damaged_site_is_built_again_whole() {
    let server = Server::start();
    let public = server.root().join("public");
    let whole = || public.join(".archive-output").is_file() && public.join("css/site.css").is_file();
    fs::remove_dir_all(&public).unwrap();
    // Built again at once, without waiting for an edit.
    assert!(wait_for(Duration::from_secs(10), whole), "not built again\nstderr: {}", server.stderr());
    server.wait_for_page(PAGE, "أمينة المكتبة");
    // Its home page and stylesheet gone: the next edit builds everything, not only the article.
    fs::remove_file(public.join("index.html")).unwrap();
    fs::remove_dir_all(public.join("css")).unwrap();
    server.write(ARTICLE, &edited(&server, "فقرة بعد العطب."));
    server.wait_for_page(PAGE, "فقرة بعد العطب.");
    assert!(wait_for(Duration::from_secs(5), || whole() && public.join("index.html").is_file()));
    // archive build still takes the folder for its own.
    let out =
        Command::new(env!("CARGO_BIN_EXE_archive")).args(["build", "--root"]).arg(server.root()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The server's resident memory, in KB, and how many sockets it has open.
#[cfg(target_os = "linux")]
fn resources(pid: u32) -> (u64, usize) {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap();
    let rss = rss.trim().trim_end_matches(" kB").parse().unwrap();
    let fds = fs::read_dir(format!("/proc/{pid}/fd")).unwrap();
    let sockets = fds.filter(|fd| {
        fd.as_ref().is_ok_and(|fd| fd.path().read_link().is_ok_and(|to| to.to_string_lossy().starts_with("socket:")))
    });
    (rss, sockets.count())
}

/// Whether the server has closed `stream` (or answered it and closed), within a second.
fn closed(stream: &mut TcpStream) -> bool {
    stream.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut buf = [0; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => return !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        }
    }
}

/// Idle connections, requests sent a byte at a time, and large files asked for and never
/// read: the server keeps answering at once, holds at most its cap of connections, does not
/// grow in memory, and closes each of them after its time limit.
#[cfg(target_os = "linux")]
#[test]
fn idle_slow_and_unread_connections_are_bounded_and_closed() {
    const BIG: usize = 17 << 20;
    let server = Server::start_with(|root| {
        let bytes: Vec<u8> = (0..BIG).map(|i| (i % 251) as u8).collect();
        fs::write(root.join("static/big.bin"), bytes).unwrap();
    });
    let pid = server._process.0.id();
    let connect = || TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // The file once, read whole: what serving it costs, then the base to compare with.
    let mut whole = connect();
    whole.write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    whole.read_to_end(&mut response).unwrap();
    assert!(response.len() > BIG && response.starts_with(b"HTTP/1.1 200"));
    let (rss_before, sockets_before) = resources(pid);
    let started = Instant::now();

    let mut unread: Vec<TcpStream> = (0..50).map(|_| connect()).collect();
    for stream in &mut unread {
        stream.write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    }
    let mut idle: Vec<TcpStream> = (0..150).map(|_| connect()).collect();
    let mut halves: Vec<TcpStream> = (0..50).map(|_| connect()).collect();
    for stream in &mut halves {
        stream.write_all(b"GET /articles/exa").unwrap();
    }
    // A byte every 500 ms: never a whole head within the limit.
    let trickle = std::thread::spawn({
        let port = server.port;
        move || {
            let mut slow: Vec<TcpStream> = (0..5).map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
            let head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
            for &byte in head.iter().take(14) {
                for stream in &mut slow {
                    let _ = stream.write_all(&[byte]);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            slow.iter_mut().map(closed).collect::<Vec<bool>>()
        }
    });

    std::thread::sleep(Duration::from_secs(1));
    for _ in 0..5 {
        let asked = Instant::now();
        let (status, body) = server.get(PAGE).unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("أمينة المكتبة"));
        assert!(asked.elapsed() < Duration::from_secs(2), "answered in {:?}", asked.elapsed());
    }
    let (rss, sockets) = resources(pid);
    assert!(rss < rss_before + 64 * 1024, "{} MB more with 50 unread large files", (rss - rss_before) / 1024);
    assert!(sockets >= sockets_before + 250, "{sockets} sockets: the connections are served, not queued");

    // Past the cap, connections wait: the server holds no more.
    let waiting: Vec<TcpStream> = (0..100).map(|_| connect()).collect();
    std::thread::sleep(Duration::from_millis(500));
    let (_, sockets) = resources(pid);
    assert!(sockets <= sockets_before + 256, "{sockets} sockets for 355 connections, against {sockets_before} before");

    // Each runs out of time: heads after 5 s, unread responses after 10 s.
    assert!(trickle.join().unwrap().iter().all(|&c| c), "a head sent a byte at a time was not cut off");
    assert!(halves.iter_mut().chain(&mut idle).all(closed), "idle connections are closed");
    let released = wait_for(Duration::from_secs(15), || resources(pid).1 <= sockets_before);
    assert!(released, "{} sockets {:?} after the start", resources(pid).1, started.elapsed());
    let (status, _) = server.get(PAGE).unwrap();
    assert_eq!(status, 200);
    drop((unread, waiting));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["serve", "--root"])
        .arg(dir.path())
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with(&format!("error: 127.0.0.1:{port}: cannot listen")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

/// How long an edit takes to reach the pages: from writing the file to the "reload" event.
/// Run on any archive with `ARCHIVE_LATENCY_ROOT=/path cargo test --release --test serve
/// -- --ignored --nocapture`; the archive's first article (by name) is edited and restored.
#[test]
#[ignore]
fn reload_latency() {
    let Some(root) = std::env::var_os("ARCHIVE_LATENCY_ROOT").map(PathBuf::from) else {
        eprintln!("set ARCHIVE_LATENCY_ROOT to an archive's folder");
        return;
    };
    let port = free_port();
    let (process, stdout, stderr) = spawn_serve(&root, port);
    assert!(wait_for(Duration::from_secs(600), || stdout.lock().unwrap().contains("serving ")));
    let article = first_article(&content_dir(&root)).expect("an article in the content folder");
    let original = fs::read(&article).unwrap();
    let mut times = Vec::new();
    for round in 0..9 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(b"GET /__archive/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while !line.starts_with(": archive serve") {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
        let mut edited = original.clone();
        // Three kinds of edit, in turn: text only; a day no article names (a new entity);
        // countries most articles name (new links to thousands of articles).
        let addition = match round % 3 {
            0 => format!("\n\nتعديل رقم {round}.\n"),
            1 => format!("\n\nتعديل رقم {round} في {round} مارس 1899.\n"),
            _ => format!("\n\nتعديل رقم {round} عن سوريا والعراق ولبنان ومصر.\n"),
        };
        edited.extend_from_slice(addition.as_bytes());
        let written = Instant::now();
        fs::write(&article, &edited).unwrap();
        while !line.starts_with("event: reload") {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
        times.push(written.elapsed().as_millis());
        std::thread::sleep(Duration::from_millis(300));
    }
    fs::write(&article, &original).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    eprintln!("write → reload event, ms: {times:?}");
    eprintln!("{}{}", stdout.lock().unwrap(), stderr.lock().unwrap());
    drop(process);
}

/// The archive's content folder, as its site.toml names it (`seeds` when it does not).
fn content_dir(root: &Path) -> PathBuf {
    let text = fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let settings: toml::Table = text.parse().expect("site.toml parses");
    root.join(settings.get("content_dir").and_then(|dir| dir.as_str()).unwrap_or("seeds"))
}

fn first_article(dir: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "txt"))
        .collect();
    files.sort();
    files.into_iter().next()
}
