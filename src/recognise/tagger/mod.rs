//! The trained tagger: people, places and organisations the gazetteer does not know, found
//! by a linear-chain CRF over folded tokens (see [`features`]), trained on ANERcorp with
//! `archive train` (see [`train`]).
//!
//! Tagging adds up, for each word, the weights of its features once per offset, and keeps
//! the sums: most tokens of an archive are words it has seen before, so most of the work is
//! a lookup and a few additions per token, then Viterbi.

pub mod clusters;
pub mod conll;
pub mod eval;
pub mod features;
pub mod lexicon;
pub mod model;
pub mod train;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use features::{Feature, REACH, SLOTS};
pub use model::{Chain, Class, Label, Model};

use crate::error::Result;

/// The model trained on ANERcorp that ships with the program (see README, Recognition):
/// CC BY-SA 4.0, as the corpus it was trained on.
const BUILT_IN: &[u8] = include_bytes!("anercorp.model");

/// A name the tagger found: its tokens, its class, and the lowest probability the model
/// gives any of its tokens' labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub tokens: Range<usize>,
    pub class: Class,
    pub confidence: f32,
}

/// A model ready to tag sentences, with the sums of the words it has seen (see the module).
pub struct Tagger {
    model: Model,
    chain: Chain,
    pairs: Pairs,
    /// Per word: what its features add to label scores (see [`Sums`]).
    sums: Cache,
    /// The same for the marks of a sentence's start and end.
    before: Arc<Sums>,
    after: Arc<Sums>,
}

/// What one word's features add to the label scores of the tokens around it, and what it
/// shows in pair features.
struct Sums {
    /// `SLOTS × L`: slot `s` for a tagged token `s - REACH` places from this word.
    slots: Box<[f32]>,
    pair_key: String,
    /// `pair_key` in [`Pairs`], when it is one of its keys.
    pair: Option<u16>,
}

impl Tagger {
    /// The model that ships with the program.
    pub fn built_in() -> Tagger {
        // Checked by a unit test: the embedded file always reads.
        Tagger::new(Model::from_bytes(BUILT_IN).unwrap_or_else(|why| panic!("the built-in model: {why}")))
    }

    /// A model from a file, such as `archive train` writes.
    pub(crate) fn load(path: &Path, shown: &Path) -> Result<Tagger> {
        Ok(Tagger::new(Model::load(path, shown)?))
    }

    /// The built-in tagger, read once per process: every build of `archive serve` shares it.
    pub fn shared_built_in() -> Arc<Tagger> {
        static BUILT_IN_TAGGER: OnceLock<Arc<Tagger>> = OnceLock::new();
        Arc::clone(BUILT_IN_TAGGER.get_or_init(|| Arc::new(Tagger::built_in())))
    }

    /// The tagger of a model file, read again only when the file changed since the last
    /// build of this process asked for it.
    pub(crate) fn shared(path: &Path, shown: &Path) -> Result<Arc<Tagger>> {
        type Kept = Option<(PathBuf, Option<SystemTime>, Arc<Tagger>)>;
        static LAST: Mutex<Kept> = Mutex::new(None);
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, m, tagger)) = last.as_ref() {
            if p == path && *m == modified && modified.is_some() {
                return Ok(Arc::clone(tagger));
            }
        }
        let tagger = Arc::new(Tagger::load(path, shown)?);
        *last = Some((path.to_path_buf(), modified, Arc::clone(&tagger)));
        Ok(tagger)
    }

    /// The tagger of `model`, with no word seen yet.
    pub fn new(model: Model) -> Tagger {
        let none = || Arc::new(Sums { slots: Box::new([]), pair_key: String::new(), pair: None });
        let (chain, pairs) = (Chain::of(&model), Pairs::of(&model));
        let mut tagger = Tagger { model, chain, pairs, sums: Cache::default(), before: none(), after: none() };
        tagger.before = Arc::new(tagger.sums_of(features::BEFORE));
        tagger.after = Arc::new(tagger.sums_of(features::AFTER));
        tagger
    }

    pub(crate) fn model(&self) -> &Model {
        &self.model
    }

    /// The labels of one sentence of folded tokens, and how sure the model is of each.
    pub(crate) fn labels(&self, tokens: &[&str]) -> model::Decoded {
        let l = self.model.labels.len();
        let sums: Vec<Arc<Sums>> = tokens.iter().map(|t| self.cached(t)).collect();
        let at = |j: isize| -> &Sums {
            if j < 0 {
                &self.before
            } else if j as usize >= tokens.len() {
                &self.after
            } else {
                &sums[j as usize]
            }
        };
        let mut scores = vec![0.0f32; tokens.len() * l];
        for (i, row) in scores.chunks_mut(l).enumerate() {
            let i = i as isize;
            for slot in 0..SLOTS {
                // Token j, `slot - REACH` places from i, adds what its features say at that offset.
                let from = &at(i + slot as isize - REACH as isize).slots[slot * l..(slot + 1) * l];
                for (s, w) in row.iter_mut().zip(from) {
                    *s += w;
                }
            }
            for pair in self.pairs.rows(&self.model, at(i - 1), at(i), at(i + 1)).into_iter().flatten() {
                for (s, w) in row.iter_mut().zip(self.model.weights_of(pair)) {
                    *s += w;
                }
            }
        }
        self.chain.decode(&scores)
    }

    /// Whether `token`'s own features, read without the words around it, make it begin a
    /// `class` name rather than none, as a surname written alone does: what the model
    /// learnt of the word itself, its clusters and affixes.
    pub(crate) fn reads_alone_as(&self, token: &str, class: Class) -> bool {
        let l = self.model.labels.len();
        let sums = self.cached(token);
        let own = &sums.slots[REACH * l..(REACH + 1) * l];
        let score = |wanted: Label| self.model.labels.iter().position(|&label| label == wanted).map(|i| own[i]);
        matches!((score(Label::Begin(class)), score(Label::Outside)), (Some(name), Some(none)) if name > none)
    }

    /// The names in one sentence of folded tokens (MISC left out).
    pub fn tag(&self, tokens: &[&str]) -> Vec<Span> {
        spans(&self.labels(tokens))
    }

    fn cached(&self, token: &str) -> Arc<Sums> {
        if let Some(sums) = self.sums.get(token) {
            return sums;
        }
        let sums = Arc::new(self.sums_of(token));
        self.sums.insert(token, Arc::clone(&sums));
        sums
    }

    /// What `token`'s features add to the label scores of a token at each offset from it.
    fn sums_of(&self, token: &str) -> Sums {
        let l = self.model.labels.len();
        let mut out = vec![0.0f32; SLOTS * l].into_boxed_slice();
        let features: Vec<Feature> = features::of_token(token, &self.model.lexicon);
        let mut name = String::new();
        for slot in 0..SLOTS {
            // Slot `s` holds what this token says of a tagged token it is `s - REACH` places from.
            let offset = slot as isize - REACH as isize;
            for f in &features {
                if features::name(f, offset, &mut name) {
                    if let Some(row) = self.model.row(&name) {
                        for (s, w) in out[slot * l..(slot + 1) * l].iter_mut().zip(row) {
                            *s += w;
                        }
                    }
                }
            }
        }
        let pair_key = features::pair_key(&features).to_string();
        Sums { pair: self.pairs.ids.get(&pair_key).copied(), slots: out, pair_key }
    }
}

/// The pair features of the keys most tokens have (word clusters, shapes, a sentence's
/// ends), by key number: a lookup in a table instead of two names made per token.
struct Pairs {
    ids: FxHashMap<String, u16>,
    /// `keys × keys`: the row of «<before|this», and of «>this|after».
    left: Vec<Option<u32>>,
    right: Vec<Option<u32>>,
}

impl Pairs {
    fn of(model: &Model) -> Pairs {
        let mut keys: Vec<String> = ["A", "L", "D", "M", features::BEFORE, features::AFTER].map(String::from).into();
        let clusters: std::collections::BTreeSet<[u16; 2]> =
            model.lexicon.words.values().filter_map(|e| e.cluster).map(|p| [p.0[0], p.0[1]]).collect();
        keys.extend(clusters.into_iter().map(|[a, b]| lexicon::Path([a, b, 0]).prefix(2)));
        let ids: FxHashMap<String, u16> = keys.into_iter().zip(0..).collect();
        let n = ids.len();
        let (mut left, mut right) = (vec![None; n * n], vec![None; n * n]);
        for (name, &row) in &model.rows {
            let (table, body) = match name.split_at_checked(1) {
                Some(("<", body)) => (&mut left, body),
                Some((">", body)) => (&mut right, body),
                _ => continue,
            };
            // Keys hold no «|»: at most one cut leaves a key on either side.
            for (cut, _) in body.match_indices('|') {
                if let (Some(&a), Some(&b)) = (ids.get(&body[..cut]), ids.get(&body[cut + 1..])) {
                    table[a as usize * n + b as usize] = Some(row);
                }
            }
        }
        Pairs { ids, left, right }
    }

    /// The rows of the pair features of the token `this`, between `before` and `after`.
    fn rows(&self, model: &Model, before: &Sums, this: &Sums, after: &Sums) -> [Option<u32>; 2] {
        let n = self.ids.len();
        match (before.pair, this.pair, after.pair) {
            (Some(b), Some(t), Some(a)) => {
                [self.left[b as usize * n + t as usize], self.right[t as usize * n + a as usize]]
            }
            // A mark of punctuation, say: its key is not in the table.
            _ => {
                features::pair_names(&before.pair_key, &this.pair_key, &after.pair_key).map(|name| model.row_of(&name))
            }
        }
    }
}

/// Marks that end a sentence: the tagger reads one sentence at a time, as it was trained.
fn ends_sentence(token: &str) -> bool {
    matches!(token, "." | "!" | "?" | "؟" | "؛" | "…")
}

/// Tokens the tagger reads at once at most: a text without full stops (a 20 MB line) is
/// read in pieces, cut after a comma where there is one, so memory stays bounded.
const LONGEST: usize = 200;

/// `tokens` as the sentences the tagger reads.
pub fn sentences<'t>(text: &str, tokens: &'t [Range<usize>]) -> Vec<&'t [Range<usize>]> {
    let mut out = Vec::new();
    for mut sentence in tokens.split_inclusive(|t| ends_sentence(&text[t.clone()])) {
        while sentence.len() > LONGEST {
            let cut = sentence[..LONGEST]
                .iter()
                .rposition(|t| matches!(&text[t.clone()], "،" | ","))
                .map_or(LONGEST, |c| c + 1);
            let (head, rest) = sentence.split_at(cut);
            out.push(head);
            sentence = rest;
        }
        out.push(sentence);
    }
    out
}

/// The names a sentence's labels make, with the lowest confidence among their tokens.
pub fn spans(decoded: &model::Decoded) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (t, (label, &p)) in decoded.labels.iter().zip(&decoded.confidence).enumerate() {
        match *label {
            Label::Begin(class) => out.push(Span { tokens: t..t + 1, class, confidence: p }),
            Label::Inside(class) => match out.last_mut() {
                Some(span) if span.tokens.end == t && span.class == class => {
                    span.tokens.end = t + 1;
                    span.confidence = span.confidence.min(p);
                }
                _ => out.push(Span { tokens: t..t + 1, class, confidence: p }),
            },
            Label::Outside => {}
        }
    }
    out.retain(|s| s.class != Class::Misc);
    out
}

/// Label sums by word, shared by the threads that tag: a lock per shard, so two threads
/// rarely wait for each other, and a bound, so memory stays flat on any archive. A full
/// shard keeps what it has: the words met first are mostly the frequent ones, and rare
/// words after them would only push out words that come back.
struct Cache {
    shards: Vec<Mutex<FxHashMap<Box<str>, Arc<Sums>>>>,
}

const SHARDS: usize = 64;
/// Words kept per shard.
const PER_SHARD: usize = 2048;

impl Default for Cache {
    fn default() -> Cache {
        Cache { shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }
}

impl Cache {
    fn shard(&self, word: &str) -> &Mutex<FxHashMap<Box<str>, Arc<Sums>>> {
        // The last bytes of Arabic words vary most; any spread will do.
        let h = word.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
        &self.shards[h % SHARDS]
    }

    fn get(&self, word: &str) -> Option<Arc<Sums>> {
        // A poisoned shard still holds whole entries: inserting cannot leave one half-made.
        self.shard(word).lock().unwrap_or_else(|e| e.into_inner()).get(word).cloned()
    }

    fn insert(&self, word: &str, sums: Arc<Sums>) {
        let mut shard = self.shard(word).lock().unwrap_or_else(|e| e.into_inner());
        if shard.len() < PER_SHARD {
            shard.insert(word.into(), sums);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold::{fold, tokens};

    #[test]
    fn long_texts_are_read_in_pieces_cut_after_commas() {
        let text = fold(&"كلمة أخرى، ".repeat(300));
        let all = tokens(&text);
        let pieces = sentences(&text, &all);
        assert!(pieces.iter().all(|p| p.len() <= LONGEST));
        assert!(pieces.iter().all(|p| &text[p[p.len() - 1].clone()] == "،"), "each piece ends at a comma");
        assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), all.len(), "nothing is lost");
        let text = fold("قال ترامب. ثم غادر! وماذا بعد؟ لا شيء");
        let all = tokens(&text);
        assert_eq!(sentences(&text, &all).len(), 4);
    }

    #[test]
    fn the_built_in_model_reads() {
        assert!(Model::from_bytes(BUILT_IN).is_ok());
    }

    #[test]
    fn the_cache_of_sums_is_bounded_and_keeps_the_words_met_first() {
        let cache = Cache::default();
        let sums = Arc::new(Sums { slots: Box::new([]), pair_key: String::new(), pair: None });
        for i in 0..SHARDS * PER_SHARD * 2 {
            cache.insert(&format!("كلمة{i}"), Arc::clone(&sums));
        }
        let kept: usize = cache.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(kept <= SHARDS * PER_SHARD, "{kept}");
        assert!(cache.get("كلمة0").is_some() && cache.get("كلمة1").is_some());
    }

    #[test]
    fn the_table_of_pairs_finds_what_the_names_find() {
        let tagger = Tagger::built_in();
        let keys: Vec<&String> = tagger.pairs.ids.keys().collect();
        assert!(keys.len() > 100, "the clusters' keys are in it");
        let sums =
            |key: &str| Sums { slots: Box::new([]), pair_key: key.into(), pair: tagger.pairs.ids.get(key).copied() };
        let mut found = 0;
        for a in &keys {
            for b in &keys {
                let (a, b) = (sums(a), sums(b));
                let fast = tagger.pairs.rows(&tagger.model, &a, &b, &a);
                let slow = features::pair_names(&a.pair_key, &b.pair_key, &a.pair_key).map(|n| tagger.model.row_of(&n));
                assert_eq!(fast, slow, "{} {}", a.pair_key, b.pair_key);
                found += fast.iter().flatten().count();
            }
        }
        assert!(found > 1000, "{found}");
    }
}
