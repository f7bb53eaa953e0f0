//! What a page shows, built by one function for two uses: rendered through its template, or
//! reduced to a digest. `archive serve` compares each page's digest before and after an edit
//! and renders again only the pages whose digest moved, so what a page depends on is never
//! written down apart from what it shows.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustc_hash::FxHasher;
use serde::Serialize;
use tera::Context;

use crate::error::Result;

/// What a view is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Render,
    Digest,
}

/// How a page's bytes are made once its view is built.
pub enum Body<'s> {
    /// Through this Tera template, with the view as its context.
    Template(&'static str),
    /// Made already.
    Bytes(Vec<u8>),
    /// Written straight to the file: an export too large to hold whole.
    Stream(Writer<'s>),
}

/// What writes an export straight to its file.
pub type Writer<'s> = Box<dyn FnOnce(&mut dyn io::Write) -> io::Result<()> + Send + 's>;

/// A page's view being built: the template context when rendering, a running digest when not.
pub struct View<'s> {
    mode: Mode,
    context: Context,
    hasher: Digester,
    body: Option<Body<'s>>,
}

/// A part of a view that takes long to make (an article's body, mentions in their
/// sentences). When only the digest is wanted it is not made: a digest of what it is made
/// from stands for it, and must cover all of that.
#[derive(Serialize, Hash)]
#[serde(untagged)]
pub enum Costly<T> {
    Made(T),
    Digest(u64),
}

impl<'s> View<'s> {
    pub(super) fn new(mode: Mode, context: Context) -> View<'s> {
        View { mode, context, hasher: Digester::default(), body: None }
    }

    /// Adds `value` to what the page shows, under `key`. Its `Hash` must cover what it
    /// serialises to: views derive both, and where a value hashes less (an article's link
    /// by its stamp), it is because the rest is made from that.
    pub fn insert<T: Serialize + Hash + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self.mode {
            Mode::Render => self.context.insert(key, value),
            Mode::Digest => (key, value).hash(&mut self.hasher),
        }
    }

    /// The page is `template` rendered with the view.
    pub fn template(&mut self, template: &'static str) {
        template.hash(&mut self.hasher);
        self.body = Some(Body::Template(template));
    }

    /// The page is `bytes`, made without a template (they are cheap: a digest covers them).
    pub fn bytes(&mut self, bytes: Vec<u8>) {
        bytes.hash(&mut self.hasher);
        self.body = Some(Body::Bytes(bytes));
    }

    /// The page is written by `write`, made from what `inputs` digests.
    pub fn stream(&mut self, inputs: impl Hash, write: impl FnOnce(&mut dyn io::Write) -> io::Result<()> + Send + 's) {
        inputs.hash(&mut self.hasher);
        if self.mode == Mode::Render {
            self.body = Some(Body::Stream(Box::new(write)));
        }
    }

    /// A costly part, made by `make` from what `inputs` digests (see [`Costly`]).
    pub fn costly<T>(&self, inputs: impl Hash, make: impl FnOnce() -> Result<T>) -> Result<Costly<T>> {
        Ok(match self.mode {
            Mode::Render => Costly::Made(make()?),
            Mode::Digest => Costly::Digest(digest(&inputs)),
        })
    }

    /// What the view came to: its digest, the context and how its bytes are made.
    pub(super) fn finish(self) -> (u64, Context, Option<Body<'s>>) {
        (self.hasher.finish(), self.context, self.body)
    }
}

/// What digests are made with: tens of megabytes of views are digested after each edit of
/// a large archive, and FxHash reads them several times faster than SipHash. A digest only
/// tells a page that changed from one that did not, among inputs nobody chose to collide.
pub type Digester = FxHasher;

/// The digest of `value`.
pub fn digest(value: &impl Hash) -> u64 {
    let mut hasher = Digester::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A number shown on a page (coordinates), hashed by its bits.
#[derive(Serialize, Clone, Copy, PartialEq)]
#[serde(transparent)]
pub struct Float(pub f64);

impl Hash for Float {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

/// Parts of pages kept between the updates of `archive serve`, by the digest of what each
/// is made from: each article's entry in archive.json and its rows of mentions.csv, so that
/// an edit makes again only the edited ones. A build keeps nothing. Parts not asked for by
/// the latest render that asked for any are dropped.
#[derive(Default)]
pub struct Cache {
    enabled: bool,
    parts: Mutex<CacheParts>,
    /// An output made whole before its pages are known: the search index, whose files are
    /// named by their contents. Kept by a build too, which asks for its pages more than once.
    whole: Mutex<Option<Whole>>,
    /// The whole output being made again in the background, while serving.
    later: Mutex<Option<Later>>,
    /// Told when `later` is made: `archive serve` then writes it (see [`Cache::whole`]).
    ready: Option<Ready>,
}

/// What is told that an output made in the background is ready to be written.
pub type Ready = Arc<dyn Fn() + Send + Sync>;

type AnyOutput = Arc<dyn Any + Send + Sync>;

/// A whole output and the key of what it was made from.
#[derive(Clone)]
struct Whole {
    key: u64,
    value: AnyOutput,
}

/// A whole output being made on a thread of its own, for `key`; `made` is filled once it is.
struct Later {
    key: u64,
    /// What the thread made; or, when a newer key came before it began, the newest output
    /// made before it, for the newer one to start from.
    made: Arc<OnceLock<Whole>>,
    /// Set when a newer key came: the thread then makes nothing, or tells nobody.
    superseded: Arc<AtomicBool>,
    /// Taken by whoever waits for it.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Later {
    /// The output, once it is made.
    fn made(&self) -> Option<Whole> {
        self.made.get().filter(|w| w.key == self.key).cloned()
    }
}

/// Leaves the cores to the updates that come while an output is made in the background:
/// an edit's pages, made on every core, would otherwise share them with Pagefind (which
/// took two thirds of the CPU while editing a 10,000-article archive). On Linux a thread's
/// nice value is its own, and the threads it starts (Pagefind's) inherit it. Elsewhere, or
/// if it is refused, the output is made at the usual priority.
fn yield_to_updates() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

#[derive(Default)]
struct CacheParts {
    kept: HashMap<u64, Arc<str>>,
    used: HashMap<u64, Arc<str>>,
}

/// A lock whose data stays whole if a thread panicked holding it: each of the cache's
/// slots is only ever replaced whole, and its maps changed by single inserts.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    /// A cache that keeps what it is given, and tells `ready` when an output it made in the
    /// background can be written.
    pub fn keeping(ready: Option<Ready>) -> Cache {
        Cache { enabled: true, ready, ..Cache::default() }
    }

    /// The whole output for `key`, made by `make` from the one kept (if it is a `T`), which
    /// it may reuse in part or whole; kept in its place.
    ///
    /// A build makes it at once. While serving, where one is kept for another key, that one
    /// is returned as it is and `make` runs on a thread of its own (the search index of a
    /// large archive takes seconds, and the edited pages should not wait for it); `ready`
    /// is told once it is made, and the next call returns it. A newer key waits for the
    /// thread already running and reuses what it made.
    pub fn whole<T: Any + Send + Sync>(
        &self,
        key: u64,
        make: impl FnOnce(Option<Arc<T>>) -> Arc<T> + Send + 'static,
    ) -> Arc<T> {
        let mut whole = lock(&self.whole);
        let mut later = lock(&self.later);
        if let Some(made) = later.as_ref().and_then(Later::made) {
            *whole = Some(made);
            *later = None;
        }
        let kept = whole.as_ref().and_then(|w| Arc::clone(&w.value).downcast::<T>().ok());
        if let (Some(kept), Some(w)) = (&kept, whole.as_ref()) {
            if w.key == key {
                return Arc::clone(kept);
            }
        }
        // A thread that ended without making its output (it panicked) is made again below.
        if later.as_ref().is_some_and(|l| l.thread.as_ref().is_none_or(|t| t.is_finished())) {
            *later = None;
        }
        match kept {
            Some(kept) if self.enabled => {
                if later.as_ref().is_none_or(|l| l.key != key) {
                    *later = Some(self.spawn(key, later.take(), whole.clone(), make));
                }
                kept
            }
            kept => {
                drop(later);
                // Let go of the kept one, so that what `make` does not reuse is not held while
                // it makes more.
                *whole = None;
                let made = make(kept);
                *whole = Some(Whole { key, value: Arc::clone(&made) as AnyOutput });
                made
            }
        }
    }

    /// Runs `make` on a thread, once `previous` (if any) has ended, from what it made or
    /// else from `kept`. `previous` is superseded: if it has not begun, it makes nothing.
    fn spawn<T: Any + Send + Sync>(
        &self,
        key: u64,
        previous: Option<Later>,
        kept: Option<Whole>,
        make: impl FnOnce(Option<Arc<T>>) -> Arc<T> + Send + 'static,
    ) -> Later {
        let (made, superseded) = (Arc::new(OnceLock::new()), Arc::new(AtomicBool::new(false)));
        let (slot, stop) = (Arc::clone(&made), Arc::clone(&superseded));
        let ready = self.ready.clone();
        if let Some(previous) = &previous {
            previous.superseded.store(true, Ordering::Relaxed);
        }
        let thread = std::thread::spawn(move || {
            yield_to_updates();
            let newer = previous.and_then(|p| {
                // A panicked thread made nothing: `kept` stands.
                let _ = p.thread.map(|t| t.join());
                p.made.get().cloned()
            });
            let from = newer.or(kept);
            if stop.load(Ordering::Relaxed) {
                let _ = from.map(|from| slot.set(from));
                return;
            }
            let from = from.and_then(|w| w.value.downcast::<T>().ok());
            // On a pool of its own, one thread: on rayon's own pool its work would queue
            // ahead of the next update's, which is what must not wait.
            let value = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(|| make(from)),
                Err(_) => make(from),
            };
            let _ = slot.set(Whole { key, value });
            if let Some(ready) = ready.filter(|_| !stop.load(Ordering::Relaxed)) {
                ready();
            }
        });
        Later { key, made, superseded, thread: Some(thread) }
    }

    /// Whether an output made in the background waits to be written.
    pub fn has_made_later(&self) -> bool {
        lock(&self.later).as_ref().is_some_and(|l| l.made().is_some())
    }

    /// Waits until the output being made in the background, if one is, is made.
    pub fn wait(&self) {
        let thread = lock(&self.later).as_mut().and_then(|l| l.thread.take());
        // A panicked thread made nothing: the output kept stands.
        let _ = thread.map(|t| t.join());
    }

    pub fn get_or(&self, key: u64, make: impl FnOnce() -> String) -> Arc<str> {
        if !self.enabled {
            return Arc::from(make());
        }
        let found = {
            let mut parts = lock(&self.parts);
            let found = parts.kept.get(&key).or_else(|| parts.used.get(&key)).cloned();
            if let Some(part) = &found {
                parts.used.insert(key, Arc::clone(part));
            }
            found
        };
        found.unwrap_or_else(|| {
            let part: Arc<str> = Arc::from(make());
            lock(&self.parts).used.insert(key, Arc::clone(&part));
            part
        })
    }

    /// Ends a render: what it asked for is what is kept.
    pub(super) fn settle(&self) {
        let mut parts = lock(&self.parts);
        if !parts.used.is_empty() {
            parts.kept = std::mem::take(&mut parts.used);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_moves_with_what_the_view_shows_and_nothing_else() {
        let digest_of = |title: &str, body_from: u64| {
            let mut view = View::new(Mode::Digest, Context::new());
            view.insert("title", title);
            let body = view.costly(body_from, || -> Result<String> { panic!("not made for a digest") }).unwrap();
            view.insert("body", &body);
            view.template("page.html");
            view.finish().0
        };
        assert_eq!(digest_of("أ", 1), digest_of("أ", 1));
        assert_ne!(digest_of("أ", 1), digest_of("ب", 1));
        assert_ne!(digest_of("أ", 1), digest_of("أ", 2));
    }

    #[test]
    fn rendering_fills_the_context() {
        let mut view = View::new(Mode::Render, Context::new());
        view.insert("n", &3);
        let body = view.costly(0, || Ok("<p>".to_string())).unwrap();
        view.insert("body", &body);
        let (_, context, _) = view.finish();
        let json = context.into_json();
        assert_eq!((json["n"].as_u64(), json["body"].as_str()), (Some(3), Some("<p>")));
    }

    #[test]
    fn a_cache_keeps_what_the_last_render_asked_for() {
        let cache = Cache::keeping(None);
        let made = std::cell::Cell::new(0);
        let make = |s: &str| {
            made.set(made.get() + 1);
            s.to_string()
        };
        cache.get_or(1, || make("a"));
        cache.get_or(2, || make("b"));
        cache.settle();
        assert_eq!(&*cache.get_or(1, || make("x")), "a");
        cache.settle();
        // 2 was not asked for by the last render: made again.
        assert_eq!(&*cache.get_or(2, || make("b")), "b");
        assert_eq!(made.get(), 3);
        // Without keeping, every part is made.
        let none = Cache::default();
        none.get_or(1, || make("a"));
        none.get_or(1, || make("a"));
        assert_eq!(made.get(), 5);
    }

    #[test]
    fn a_build_makes_a_whole_output_at_once_and_once_per_key() {
        let cache = Cache::default();
        let next = |kept: Option<Arc<u32>>| Arc::new(kept.map_or(1, |k| *k + 1));
        assert_eq!(*cache.whole(7, next), 1);
        // The same key: the one kept.
        assert_eq!(*cache.whole(7, |_: Option<Arc<u32>>| -> Arc<u32> { panic!("made again") }), 1);
        // Another key: made again, from the one kept.
        assert_eq!(*cache.whole(8, next), 2);
        // Of another type, it is not handed on.
        assert_eq!(*cache.whole(9, |kept: Option<Arc<&str>>| Arc::new(kept.map_or("new", |k| *k))), "new");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_output_made_in_the_background_runs_at_the_lowest_priority() {
        fn nice() -> i32 {
            rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap()
        }
        let cache = Cache::keeping(None);
        // Made at once when nothing is kept: on the caller's thread, at its priority.
        assert_eq!(*cache.whole(1, |_: Option<Arc<i32>>| Arc::new(nice())), nice());
        cache.whole(2, |_: Option<Arc<i32>>| Arc::new(nice()));
        cache.wait();
        assert_eq!(*cache.whole(2, |_: Option<Arc<i32>>| -> Arc<i32> { panic!("made already") }), 19);
    }

    #[test]
    fn serving_shows_the_kept_output_while_the_new_one_is_made_in_the_background() {
        let (told, tells) = std::sync::mpsc::channel();
        let told = Mutex::new(told);
        let ready: Ready = Arc::new(move || told.lock().unwrap().send(()).unwrap());
        let cache = Cache::keeping(Some(ready));
        // Nothing kept yet: made at once, and nobody is told.
        assert_eq!(*cache.whole(1, |_: Option<Arc<u32>>| Arc::new(10)), 10);
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let wait = Mutex::new(wait);
        let slow = move |kept: Option<Arc<u32>>| {
            wait.lock().unwrap().recv().unwrap();
            Arc::new(*kept.unwrap() + 1)
        };
        // A new key: the kept one at once, while the new one waits for `go`.
        assert_eq!(*cache.whole(2, slow), 10);
        assert!(!cache.has_made_later());
        // Asked again for the same key: still the kept one, and not made twice.
        assert_eq!(*cache.whole(2, |_: Option<Arc<u32>>| -> Arc<u32> { panic!("made twice") }), 10);
        go.send(()).unwrap();
        tells.recv_timeout(std::time::Duration::from_secs(10)).expect("told when it is made");
        assert!(cache.has_made_later());
        assert_eq!(*cache.whole(2, |_: Option<Arc<u32>>| -> Arc<u32> { panic!("made already") }), 11);
        assert!(!cache.has_made_later());
        // Keys that come while one is being made: one that has not begun is never made (its
        // panic would leave 11 to start from), and the newest starts from what the running
        // one made.
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let (began, has_begun) = std::sync::mpsc::channel::<()>();
        let (wait, began) = (Mutex::new(wait), Mutex::new(began));
        cache.whole(3, move |kept: Option<Arc<u32>>| {
            began.lock().unwrap().send(()).unwrap();
            wait.lock().unwrap().recv().unwrap();
            Arc::new(*kept.unwrap() * 10)
        });
        has_begun.recv().unwrap();
        cache.whole(4, |_: Option<Arc<u32>>| -> Arc<u32> { panic!("superseded before it began") });
        cache.whole(5, |kept: Option<Arc<u32>>| Arc::new(*kept.unwrap() + 5));
        go.send(()).unwrap();
        cache.wait();
        assert_eq!(*cache.whole(5, |_: Option<Arc<u32>>| -> Arc<u32> { panic!("waited for") }), 115);
    }
}
