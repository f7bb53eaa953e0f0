//! `archive serve`: builds the site, serves it on a local address, rebuilds it when an input
//! changes and tells open pages to reload.
//!
//! Four parts, each in its own place:
//! - [`resolve`]: the request path → a file inside the site, never outside it;
//! - `watch`: file-system events on the inputs, coalesced into one rebuild;
//! - [`limits`]: connections, bounded in number and in time;
//! - this module: the HTTP handlers (axum), the server-sent events that reload pages, and the
//!   script that listens to them, which exists only while serving: it is added to HTML
//!   responses on the way out, never written into the site on disk. Files are streamed, a
//!   chunk at a time.

pub mod limits;
pub mod resolve;
mod watch;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::{BuildOptions, Report, Session, Written};
use resolve::Resolved;

/// Where the live-reload script and its event stream live: a prefix no page of the site uses.
const SCRIPT_PATH: &str = "/__archive/livereload.js";
const EVENTS_PATH: &str = "/__archive/events";
const SCRIPT: &str = include_str!("livereload.js");

/// What `archive serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The build to run first and after each change. Its output is the folder served.
    pub build: BuildOptions,
    /// Where to listen; 127.0.0.1 unless the user says otherwise.
    pub address: SocketAddr,
    /// Print how long each step of each build took.
    pub timings: bool,
}

/// Builds the site, then keeps it up to date: the first build, and any build after a
/// failed one, reads everything; later ones update what changed (see [`crate::update`]).
struct Builder {
    options: BuildOptions,
    /// The last good build, once there is one.
    session: Option<Session>,
    /// Asks for an update once the session has made an output in the background.
    poke: watch::Poke,
}

impl Builder {
    /// Builds; `pages_written` is told which pages are in place, as they are.
    fn build(&mut self, changed: &BTreeSet<PathBuf>, pages_written: &mut dyn FnMut(Written)) -> Result<Report> {
        match &mut self.session {
            Some(session) => session.update(changed, pages_written),
            None => {
                let poke = self.poke.clone();
                let (session, report) = Session::start_serving(&self.options, Some(Arc::new(move || poke.poke())))?;
                self.session = Some(session);
                pages_written(Written::All);
                Ok(report)
            }
        }
    }
}

/// What the watcher tells the open pages.
#[derive(Debug, Clone)]
enum Signal {
    /// Pages are written: those open reload. The event's data, as [`reload_data`] makes it.
    Reload(Arc<str>),
    /// A build failed, with the message as the terminal shows it; the last good site stays.
    Failed(String),
}

/// What the request handlers share with the watcher.
struct Shared {
    site: PathBuf,
    timings: bool,
    signals: broadcast::Sender<Signal>,
    /// The message of the last build, when it failed: sent to pages that connect later.
    error: Mutex<Option<String>>,
}

impl Shared {
    /// New pages are in place: tells the open pages, which reload if they are among them,
    /// and take away the last failure's message if not.
    fn reload(&self, written: &Written) {
        if let Ok(mut error) = self.error.lock() {
            *error = None;
        }
        // Nobody listening is fine: no page is open.
        let _ = self.signals.send(Signal::Reload(reload_data(written).into()));
    }

    /// Builds through `builder`, telling the open pages as soon as the new pages are in
    /// place, and prints the outcome. `change` is when the first change behind a rebuild
    /// was seen.
    fn build(&self, builder: &mut Builder, changed: &BTreeSet<PathBuf>, change: Option<Instant>) {
        let mut reloaded = Vec::new();
        let result = builder.build(changed, &mut |written| {
            self.reload(&written);
            reloaded.extend(change.map(|c| c.elapsed()));
        });
        self.outcome(&result, &reloaded);
    }

    /// Writes what the last update made in the background (the search index), and prints
    /// the outcome. Open pages are not reloaded: nothing they show has changed, and a
    /// reader is not moved twice for one edit.
    fn write_made_later(&self, builder: &mut Builder) {
        let result = builder.build(&BTreeSet::new(), &mut |_| {});
        self.outcome(&result, &[]);
    }

    /// Prints a build's outcome, and sends a failure to the open pages. `reloaded` is how
    /// long after the change the pages were told to reload: the edited articles' pages,
    /// then the others.
    fn outcome(&self, result: &Result<Report>, reloaded: &[Duration]) {
        let message = match result {
            Ok(report) => {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
                let after = (!reloaded.is_empty()).then(|| {
                    let times: Vec<String> = reloaded.iter().map(|r| r.as_millis().to_string()).collect();
                    format!(", reloaded {} ms after the change", times.join(" and "))
                });
                println!(
                    "{} articles, {} pages written in {} ms{}",
                    report.articles,
                    report.pages,
                    report.elapsed.as_millis(),
                    after.unwrap_or_default()
                );
                if self.timings {
                    print!("{}", report.timings());
                }
                None
            }
            Err(err) => {
                let message = format!("error: {err}").replace("\r\n", "\n").replace('\r', "\n");
                eprintln!("{message}");
                Some(message)
            }
        };
        if let Some(message) = message {
            if let Ok(mut error) = self.error.lock() {
                *error = Some(message.clone());
            }
            let _ = self.signals.send(Signal::Failed(message));
        }
    }
}

/// Builds, then serves the site and rebuilds on each change until the process is stopped.
/// Returns only when the server cannot start.
pub fn run(options: &ServeOptions) -> Result<()> {
    let address = options.address;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(4)
        .enable_all()
        .build()
        .map_err(|e| Error::serve(address.to_string(), format!("cannot start the server: {e}"), "try again"))?;
    // Listen first, so a port already taken is reported before a long build.
    let listener = runtime.block_on(tokio::net::TcpListener::bind(address)).map_err(|e| {
        Error::serve(address.to_string(), format!("cannot listen: {e}"), "choose another --port or --interface")
    })?;
    let site = std::path::absolute(&options.build.output)
        .map_err(|e| Error::io(&options.build.output, "cannot find the output folder", e))?;
    let (signals, _) = broadcast::channel(16);
    let shared = Arc::new(Shared { site, timings: options.timings, signals, error: Mutex::new(None) });

    let watched = watch::Events::new();
    let mut builder = Builder { options: options.build.clone(), session: None, poke: watched.poke() };
    shared.build(&mut builder, &BTreeSet::new(), None);
    let watcher = watch::Watcher::start(&options.build, watched, {
        let shared = Arc::clone(&shared);
        move |change: Option<Instant>, changed: &BTreeSet<PathBuf>| match change {
            Some(_) => shared.build(&mut builder, changed, change),
            None => shared.write_made_later(&mut builder),
        }
    })?;

    let shown = listener.local_addr().unwrap_or(address);
    println!("serving {} at http://{shown}/ (Ctrl-C stops)", options.build.output.display());
    if !address.ip().is_loopback() {
        println!("note: {} is reachable from other machines on the network", address.ip());
    }
    let app = Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared);
    runtime.block_on(limits::serve(listener, app));
    drop(watcher);
    Ok(())
}

async fn script() -> Response {
    let mut response = SCRIPT.into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

/// Server-sent events: the last failure at once if there is one, then each build's outcome.
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let receiver = shared.signals.subscribe();
    let pending = shared.error.lock().ok().and_then(|e| e.clone()).map(Signal::Failed);
    // A comment first, so the client knows it is subscribed.
    let hello = Event::default().comment("archive serve");
    let stream =
        futures_util::stream::unfold((Some(hello), pending, receiver), |(hello, pending, mut receiver)| async {
            if let Some(hello) = hello {
                return Some((Ok::<_, Infallible>(hello), (None, pending, receiver)));
            }
            let signal = match pending {
                Some(signal) => signal,
                None => match receiver.recv().await {
                    Ok(signal) => signal,
                    // Missed some builds: the page is stale anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => Signal::Reload(reload_data(&Written::All).into()),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            let event = match signal {
                Signal::Reload(pages) => Event::default().event("reload").data(&*pages),
                Signal::Failed(message) => Event::default().event("error").data(message),
            };
            Some((Ok(event), (None, None, receiver)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Any other path: a file of the site, with the reload script added to HTML.
async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD only\n").into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = uri.path().to_string();
    let site = shared.site.clone();
    match tokio::task::spawn_blocking(move || respond(&site, &path)).await {
        Ok(response) => response,
        Err(_) => error_page(StatusCode::INTERNAL_SERVER_ERROR, "خطأ في الخادم", "Internal server error"),
    }
}

/// Opens the file a path resolves to. Where the system cannot swap two folders in one step,
/// a build moves the old site aside and the new one in: a request that falls between the two
/// waits a moment and looks again.
fn respond(site: &Path, raw: &str) -> Response {
    for attempt in 0..3 {
        let retry = attempt < 2;
        match resolve::resolve(site, raw) {
            Resolved::File(file) => match open(&file) {
                Ok(opened) => return file_response(&file, opened, &script_tag(page_of(site, &file).as_deref())),
                Err(_) if retry => {}
                Err(_) => break,
            },
            Resolved::NotFound if retry && !site.exists() => {}
            Resolved::NotFound => break,
            Resolved::BadRequest => {
                return error_page(StatusCode::BAD_REQUEST, "طلب غير صالح", "Bad request");
            }
            Resolved::Redirect(location) => {
                let Ok(location) = HeaderValue::from_str(&location) else {
                    return error_page(StatusCode::BAD_REQUEST, "طلب غير صالح", "Bad request");
                };
                let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
                response.headers_mut().insert(header::LOCATION, location);
                return response;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    error_page(StatusCode::NOT_FOUND, "الصفحة غير موجودة", "Not found")
}

/// A file of the site, open, with its length and, for HTML, where the reload script goes.
struct Opened {
    file: File,
    len: u64,
    script_at: Option<u64>,
}

/// How much of the end of an HTML file is searched for `</body>`.
const TAIL: u64 = 4096;
/// How much of a file a response reads at a time.
const CHUNK: u64 = 64 * 1024;

fn open(path: &Path) -> io::Result<Opened> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let script_at = if resolve::content_type(path).starts_with("text/html") {
        let start = len.saturating_sub(TAIL);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::new();
        file.by_ref().take(TAIL).read_to_end(&mut tail)?;
        Some(start + body_end(&tail).unwrap_or(tail.len()) as u64)
    } else {
        None
    };
    Ok(Opened { file, len, script_at })
}

/// The file as it is read, with the reload script (`tag`) added to HTML: the response holds
/// a chunk of it at a time, and only while the client takes it.
fn file_response(path: &Path, opened: Opened, tag: &str) -> Response {
    let Opened { file, len, script_at } = opened;
    let file = Arc::new(file);
    let (body, length) = match script_at {
        Some(at) => {
            let script = futures_util::stream::iter([Ok(Bytes::from(tag.to_string()))]);
            let parts = chunks(Arc::clone(&file), 0..at).chain(script).chain(chunks(file, at..len));
            (Body::from_stream(parts), len + tag.len() as u64)
        }
        None => (Body::from_stream(chunks(file, 0..len)), len),
    };
    let mut response = body.into_response();
    set_headers(&mut response, resolve::content_type(path));
    response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// The bytes of `range` of `file`, a chunk at a time, each read on the blocking pool.
fn chunks(file: Arc<File>, range: Range<u64>) -> impl Stream<Item = io::Result<Bytes>> + Send {
    futures_util::stream::try_unfold((file, range), |(file, range)| async move {
        if range.is_empty() {
            return Ok(None);
        }
        let (from, want) = (range.start, (range.end - range.start).min(CHUNK));
        let reader = Arc::clone(&file);
        let chunk = tokio::task::spawn_blocking(move || {
            let mut chunk = Vec::with_capacity(want as usize);
            let mut reader = &*reader;
            reader.seek(SeekFrom::Start(from))?;
            reader.take(want).read_to_end(&mut chunk)?;
            match chunk.is_empty() {
                // The file was cut short while it was sent.
                true => Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
                false => Ok(chunk),
            }
        })
        .await
        .map_err(io::Error::other)??;
        let rest = from + chunk.len() as u64..range.end;
        Ok(Some((Bytes::from(chunk), (file, rest))))
    })
}

/// A small page for 400 and 404, in the site's language, with the reload script so that it
/// too shows build errors and reloads once the page exists.
fn error_page(status: StatusCode, arabic: &str, english: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">\n\
         <title>{code} {arabic}</title>\n</head>\n<body>\n<h1>{code} {arabic}</h1>\n\
         <p><a href=\"/\">الصفحة الرئيسية</a></p>\n<p lang=\"en\" dir=\"ltr\">{english}</p>\n</body>\n</html>\n",
        code = status.as_u16()
    );
    let mut response = (status, inject(html.into_bytes(), &script_tag(None))).into_response();
    set_headers(&mut response, "text/html; charset=utf-8");
    response
}

fn set_headers(response: &mut Response, content_type: &'static str) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview: always the file as it is now.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

/// The reload script's tag for the page at `page` (its path in the site, as [`Written`]
/// names pages), which the script reloads for; none for a page the site does not have.
fn script_tag(page: Option<&str>) -> String {
    let page = page.map(|p| format!(" data-page=\"{}\"", crate::render::html::escape(p))).unwrap_or_default();
    format!("<script src=\"{SCRIPT_PATH}\"{page}></script>\n")
}

/// The path in the site of `file` (canonical, as [`resolve::resolve`] gives it), `/` between
/// folders.
fn page_of(site: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(site.canonicalize().ok()?).ok()?;
    let parts: Vec<_> = relative.iter().map(|part| part.to_string_lossy()).collect();
    Some(parts.join("/"))
}

/// What a "reload" event carries, in JSON: `"*"` for every page, or the list of pages, which
/// may be empty (a page then only takes away the last failure's message).
fn reload_data(written: &Written) -> String {
    match written {
        Written::All => "\"*\"".to_string(),
        Written::Pages(pages) => serde_json::to_string(pages).unwrap_or_else(|_| "\"*\"".to_string()),
    }
}

/// Where the last `</body>` starts.
fn body_end(html: &[u8]) -> Option<usize> {
    html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
}

/// Adds the reload script's `tag` before the last `</body>`, or at the end when there is none.
fn inject(mut html: Vec<u8>, tag: &str) -> Vec<u8> {
    let at = body_end(&html).unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end_tag() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        assert_eq!(
            String::from_utf8(inject(html, &script_tag(None))).unwrap(),
            "<html><body><p>x</p><script src=\"/__archive/livereload.js\"></script>\n</BODY></html>"
        );
        let tag = script_tag(Some("a"));
        assert!(String::from_utf8(inject(b"<p>x</p>".to_vec(), &tag)).unwrap().ends_with("</script>\n"));
        assert!(inject(Vec::new(), &tag).starts_with(b"<script"));
    }

    #[test]
    fn the_script_knows_its_page_as_reloads_name_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("مقالات").join("a\"b").join("index.html");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "").unwrap();
        let page = page_of(dir.path(), &file.canonicalize().unwrap()).unwrap();
        assert_eq!(page, "مقالات/a\"b/index.html");
        // The attribute is escaped; the event names the page as it is.
        assert_eq!(
            script_tag(Some(&page)),
            "<script src=\"/__archive/livereload.js\" data-page=\"مقالات/a&quot;b/index.html\"></script>\n"
        );
        let data: serde_json::Value = serde_json::from_str(&reload_data(&Written::Pages(vec![page.clone()]))).unwrap();
        assert_eq!(data, serde_json::json!([page]));
        assert_eq!(reload_data(&Written::All), "\"*\"");
        assert_eq!(reload_data(&Written::Pages(Vec::new())), "[]");
    }

    #[test]
    fn files_are_streamed_whole_with_the_script_where_inject_puts_it() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Longer than a chunk, so the script lands inside the second part.
        let page = format!("<html><body>{}</body></html>\n", "<p>سطر</p>\n".repeat(20_000)).into_bytes();
        let far = format!("<body>x</body>{}", " ".repeat(TAIL as usize)).into_bytes();
        let files = [
            ("page.html", page),
            ("plain.html", b"<p>x</p>".to_vec()),
            ("far.html", far),
            ("empty.html", Vec::new()),
            ("data.json", vec![b'7'; 200_000]),
        ];
        for (name, bytes) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let tag = script_tag(Some(name));
            let response = file_response(&path, open(&path).unwrap(), &tag);
            let length: usize = response.headers()[header::CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
            let body = runtime.block_on(axum::body::to_bytes(response.into_body(), usize::MAX)).unwrap();
            let expected = match name {
                // </body> more than TAIL bytes before the end: the script goes at the end.
                "far.html" => [bytes.as_slice(), tag.as_bytes()].concat(),
                _ if name.ends_with(".html") => inject(bytes, &tag),
                _ => bytes,
            };
            assert_eq!(body.len(), length, "{name}");
            assert!(body == expected, "{name}");
        }
    }

    #[test]
    fn the_script_path_matches_the_injected_tag() {
        assert!(script_tag(None).contains(SCRIPT_PATH));
        assert!(SCRIPT.contains(EVENTS_PATH));
        // The script finds its page where the tag puts it.
        assert!(script_tag(Some("a")).contains(" data-page=\"a\"") && SCRIPT.contains("getAttribute(\"data-page\")"));
        // The overlay is filled as text, never parsed as HTML.
        assert!(SCRIPT.contains("textContent") && !SCRIPT.contains("innerHTML"));
    }

    #[test]
    fn failed_builds_keep_their_message_and_clear_on_success() {
        let (signals, mut receiver) = broadcast::channel(4);
        let shared = Shared { site: PathBuf::from("public"), timings: false, signals, error: Mutex::new(None) };
        let err = Error::input(Path::new("seeds/a.md"), "bad\r\nthing", "fix it");
        shared.outcome(&Err(err), &[]);
        let message = shared.error.lock().unwrap().clone().unwrap();
        assert!(message.starts_with("error: seeds/a.md: bad\nthing"), "{message}");
        assert!(matches!(receiver.try_recv(), Ok(Signal::Failed(m)) if m == message));
        let report = Report {
            articles: 1,
            pages: 2,
            mentions: 0,
            removed_lines: 0,
            entities: Default::default(),
            warnings: Vec::new(),
            steps: Vec::new(),
            elapsed: Duration::ZERO,
        };
        // The new pages are in place: the pages reload, and the message is gone.
        shared.reload(&Written::Pages(vec!["index.html".into()]));
        shared.outcome(&Ok(report), &[Duration::from_millis(5)]);
        assert!(shared.error.lock().unwrap().is_none());
        assert!(matches!(receiver.try_recv(), Ok(Signal::Reload(pages)) if &*pages == "[\"index.html\"]"));
        assert!(receiver.try_recv().is_err(), "one reload, not one more with the outcome");
    }
}
