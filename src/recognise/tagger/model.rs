//! A trained linear-chain CRF: a weight per feature name and label, a weight per pair of
//! labels, and the lexicon its features were computed with. Decoding (best labels and how
//! sure the model is of each) and the model file live here.
//!
//! The file: a magic line and a format version, the SHA-256 of what follows (a damaged
//! file is refused, not half-read), then labels, transitions, the lexicon and the weights,
//! little-endian.

use std::path::Path;

use rustc_hash::FxHashMap;

use sha2::{Digest, Sha256};

use super::lexicon::{Entry, Lexicon, Named, Path as ClusterPath};
use crate::error::{Error, Result};

/// What the tagger finds: BIO labels over these classes. MISC is learnt (it keeps other
/// names apart) but never reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Person,
    Place,
    Organization,
    Misc,
}

impl Class {
    pub fn code(self) -> &'static str {
        match self {
            Class::Person => "PERS",
            Class::Place => "LOC",
            Class::Organization => "ORG",
            Class::Misc => "MISC",
        }
    }

    pub fn from_code(code: &str) -> Option<Class> {
        [Class::Person, Class::Place, Class::Organization, Class::Misc].into_iter().find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Outside,
    Begin(Class),
    Inside(Class),
}

impl Label {
    /// Reads `O`, `B-PERS`, `I-LOC`…
    pub fn parse(s: &str) -> Option<Label> {
        if s == "O" {
            return Some(Label::Outside);
        }
        let (bio, class) = s.split_once('-')?;
        let class = Class::from_code(class)?;
        match bio {
            "B" => Some(Label::Begin(class)),
            "I" => Some(Label::Inside(class)),
            _ => None,
        }
    }

    pub fn as_string(self) -> String {
        match self {
            Label::Outside => "O".into(),
            Label::Begin(c) => format!("B-{}", c.code()),
            Label::Inside(c) => format!("I-{}", c.code()),
        }
    }

    /// Whether `self` may follow `previous` (`None` at a sentence's start): an inside label
    /// continues a name of its own class.
    fn may_follow(self, previous: Option<Label>) -> bool {
        match self {
            Label::Inside(c) => matches!(previous, Some(Label::Begin(p) | Label::Inside(p)) if p == c),
            _ => true,
        }
    }
}

/// A trained CRF as the tagger reads it: its labels, transition weights and feature
/// weights, and the lexicon its features were made with.
#[derive(Debug)]
pub struct Model {
    pub(crate) labels: Vec<Label>,
    /// `transitions[i * L + j]`: the weight of label `j` after label `i`.
    pub(crate) transitions: Vec<f32>,
    /// Row of each feature name in `weights`.
    pub(crate) rows: FxHashMap<Box<str>, u32>,
    /// `L` weights a row.
    pub(crate) weights: Vec<f32>,
    pub(crate) lexicon: Lexicon,
}

const MAGIC: &[u8] = b"archive tagger model\n";
/// Bumped when features or the file change: an older model must be trained again.
const VERSION: u32 = 3;

/// The labels of a sentence, and how sure the model is of each (its marginal probability).
pub struct Decoded {
    pub labels: Vec<Label>,
    pub confidence: Vec<f32>,
}

impl Model {
    /// The weights of feature `name`, one per label, if the model has it.
    pub(crate) fn row(&self, name: &str) -> Option<&[f32]> {
        self.row_of(name).map(|r| self.weights_of(r))
    }

    /// Which row of weights feature `name` has, if the model has it.
    pub(crate) fn row_of(&self, name: &str) -> Option<u32> {
        self.rows.get(name).copied()
    }

    pub(crate) fn weights_of(&self, row: u32) -> &[f32] {
        let l = self.labels.len();
        &self.weights[row as usize * l..(row as usize + 1) * l]
    }

    /// Reads a model file; `shown` names it in messages.
    pub(crate) fn load(path: &Path, shown: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(shown, "cannot read the tagger model", e))?;
        Model::from_bytes(&bytes).map_err(|why| {
            Error::input(
                shown,
                format!("the tagger model is damaged or not a model: {why}"),
                "train it again with `archive train`, or remove `model` from `[discovery]` in site.toml to use the built-in one",
            )
        })
    }

    /// A model from the bytes of a model file, or why they are not one.
    pub fn from_bytes(bytes: &[u8]) -> std::result::Result<Model, String> {
        let rest = bytes.strip_prefix(MAGIC).ok_or("it does not start as a model file does")?;
        let mut r = Reader { bytes: rest };
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!("it is of format {version}, this program reads format {VERSION}"));
        }
        let digest = r.take(32)?;
        if Sha256::digest(r.bytes).as_slice() != digest {
            return Err("its checksum does not match its contents".into());
        }
        let l = r.u8()? as usize;
        let labels = (0..l)
            .map(|_| {
                let s = r.str8()?;
                Label::parse(s).ok_or_else(|| format!("unknown label {s:?}"))
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        let transitions = (0..l * l).map(|_| r.f32()).collect::<std::result::Result<Vec<_>, _>>()?;
        let mut lexicon = Lexicon::default();
        for _ in 0..r.u32()? {
            let word = r.str8()?.to_string();
            let count = r.u32()?;
            let path = [r.u16()?, r.u16()?, r.u16()?];
            let cluster = (path[0] != u16::MAX).then_some(ClusterPath(path));
            let (mut announced, mut tagged) = ([0; Named::ALL.len()], [0; Named::ALL.len()]);
            for n in announced.iter_mut().chain(&mut tagged) {
                *n = r.u32()?;
            }
            lexicon.words.insert(word, Entry { count, cluster, announced, tagged });
        }
        let features = r.u32()? as usize;
        let mut rows = FxHashMap::with_capacity_and_hasher(features, Default::default());
        let mut weights = vec![0.0f32; features * l];
        for row in 0..features {
            let name = r.str16()?;
            for _ in 0..r.u8()? {
                let label = r.u8()? as usize;
                let weight = r.f32()?;
                *weights.get_mut(row * l + label).ok_or("a weight of a label it does not have")? = weight;
            }
            rows.insert(name.into(), row as u32);
        }
        if !r.bytes.is_empty() {
            return Err("it goes on after its last weight".into());
        }
        Ok(Model { labels, transitions, rows, weights, lexicon })
    }

    /// The model file's bytes. Names are written sorted, so the same model gives the same file.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let l = self.labels.len();
        let mut body = Vec::new();
        body.push(l as u8);
        for label in &self.labels {
            put_str8(&mut body, &label.as_string());
        }
        for w in &self.transitions {
            body.extend_from_slice(&w.to_le_bytes());
        }
        let mut words: Vec<(&String, &Entry)> = self.lexicon.words.iter().collect();
        words.sort_by_key(|(w, _)| *w);
        body.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for (word, entry) in words {
            put_str8(&mut body, word);
            body.extend_from_slice(&entry.count.to_le_bytes());
            for part in entry.cluster.map_or([u16::MAX; 3], |p| p.0) {
                body.extend_from_slice(&part.to_le_bytes());
            }
            for a in entry.announced.iter().chain(&entry.tagged) {
                body.extend_from_slice(&a.to_le_bytes());
            }
        }
        let mut names: Vec<(&Box<str>, &u32)> = self.rows.iter().collect();
        names.sort();
        body.extend_from_slice(&(names.len() as u32).to_le_bytes());
        for (name, &row) in names {
            let weights = &self.weights[row as usize * l..(row as usize + 1) * l];
            body.extend_from_slice(&(name.len() as u16).to_le_bytes());
            body.extend_from_slice(name.as_bytes());
            let nonzero: Vec<(usize, &f32)> = weights.iter().enumerate().filter(|(_, w)| **w != 0.0).collect();
            body.push(nonzero.len() as u8);
            for (label, w) in nonzero {
                body.push(label as u8);
                body.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&body));
        out.extend_from_slice(&body);
        out
    }
}

/// What decoding needs of a model's transitions, worked out once per tagger: with the
/// constraint that an inside label continues a name of its class, as −∞ for Viterbi and as
/// 0 for forward-backward.
pub struct Chain {
    labels: Vec<Label>,
    /// Per label: 0, or −∞ where it may not start a sentence.
    start: Vec<f32>,
    /// `L × L`: the transition's weight, or −∞ where it is not allowed.
    viterbi: Vec<f32>,
    /// `L × L`: e to the transition's weight, or 0 where it is not allowed.
    forward: Vec<f32>,
}

impl Chain {
    pub fn of(model: &Model) -> Chain {
        let labels = model.labels.clone();
        let l = labels.len();
        let allowed = |k: usize| labels[k % l].may_follow(Some(labels[k / l]));
        let start = labels.iter().map(|j| if j.may_follow(None) { 0.0 } else { f32::NEG_INFINITY }).collect();
        let viterbi = (0..l * l).map(|k| if allowed(k) { model.transitions[k] } else { f32::NEG_INFINITY }).collect();
        let forward = (0..l * l).map(|k| if allowed(k) { model.transitions[k].exp() } else { 0.0 }).collect();
        Chain { labels, start, viterbi, forward }
    }

    /// The best labels for a sentence whose label scores are `scores` (`L` per token), and
    /// the probability of each where it is part of a name (1 elsewhere: nothing asks).
    pub fn decode(&self, scores: &[f32]) -> Decoded {
        let l = self.labels.len();
        let n = scores.len() / l;
        if n == 0 {
            return Decoded { labels: Vec::new(), confidence: Vec::new() };
        }
        let mut best: Vec<f32> = scores[..l].iter().zip(&self.start).map(|(s, b)| s + b).collect();
        best.resize(n * l, f32::NEG_INFINITY);
        let mut back = vec![0u8; n * l];
        for t in 1..n {
            let (done, rest) = best.split_at_mut(t * l);
            let previous = &done[(t - 1) * l..];
            for j in 0..l {
                let mut top = (f32::NEG_INFINITY, 0);
                for (i, p) in previous.iter().enumerate() {
                    let s = p + self.viterbi[i * l + j];
                    if s > top.0 {
                        top = (s, i);
                    }
                }
                rest[j] = top.0 + scores[t * l + j];
                back[t * l + j] = top.1 as u8;
            }
        }
        let last = &best[(n - 1) * l..];
        let mut path = vec![0usize; n];
        path[n - 1] = (0..l).max_by(|&a, &b| last[a].total_cmp(&last[b])).unwrap_or(0);
        for t in (1..n).rev() {
            path[t - 1] = back[t * l + path[t]] as usize;
        }
        let labels: Vec<Label> = path.iter().map(|&j| self.labels[j]).collect();
        // Most sentences name no one: their marginals would go unread.
        let confidence = if labels.iter().all(|&label| label == Label::Outside) {
            vec![1.0; n]
        } else {
            let marginals = self.marginals(scores, n);
            path.iter().enumerate().map(|(t, &j)| marginals[t * l + j]).collect()
        };
        Decoded { labels, confidence }
    }

    /// The probability of each label at each token (forward-backward, scaled per token).
    fn marginals(&self, scores: &[f32], n: usize) -> Vec<f32> {
        let l = self.labels.len();
        let trans = &self.forward;
        let emit: Vec<f32> = scores
            .chunks(l)
            .flat_map(|row| {
                let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                row.iter().map(move |s| (s - max).exp())
            })
            .collect();
        let mut alpha = vec![0.0f32; n * l];
        for j in 0..l {
            alpha[j] = if self.start[j] == 0.0 { emit[j] } else { 0.0 };
        }
        normalise(&mut alpha[..l]);
        for t in 1..n {
            for j in 0..l {
                let s: f32 = (0..l).map(|i| alpha[(t - 1) * l + i] * trans[i * l + j]).sum();
                alpha[t * l + j] = s * emit[t * l + j];
            }
            normalise(&mut alpha[t * l..(t + 1) * l]);
        }
        let mut beta = vec![1.0f32; n * l];
        for t in (0..n - 1).rev() {
            for i in 0..l {
                beta[t * l + i] =
                    (0..l).map(|j| trans[i * l + j] * emit[(t + 1) * l + j] * beta[(t + 1) * l + j]).sum();
            }
            normalise(&mut beta[t * l..(t + 1) * l]);
        }
        let mut out: Vec<f32> = alpha.iter().zip(&beta).map(|(a, b)| a * b).collect();
        for row in out.chunks_mut(l) {
            normalise(row);
        }
        out
    }
}

fn normalise(row: &mut [f32]) {
    let sum: f32 = row.iter().sum();
    if sum > 0.0 {
        for x in row {
            *x /= sum;
        }
    }
}

fn put_str8(out: &mut Vec<u8>, s: &str) {
    // Lexicon words and labels are short; a longer word is cut at a char boundary.
    let s = &s[..s.floor_char_boundary(255)];
    out.push(s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

/// Reads the model file's fields, failing on a truncated file instead of panicking.
struct Reader<'b> {
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> std::result::Result<&'b [u8], String> {
        if self.bytes.len() < n {
            return Err("it is cut short".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self) -> std::result::Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> std::result::Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> std::result::Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self) -> std::result::Result<f32, String> {
        Ok(f32::from_bits(self.u32()?))
    }

    fn str8(&mut self) -> std::result::Result<&'b str, String> {
        let n = self.u8()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a name that is not UTF-8".to_string())
    }

    fn str16(&mut self) -> std::result::Result<&'b str, String> {
        let n = self.u16()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a name that is not UTF-8".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two labels, O and B-PERS, and one feature that favours B-PERS.
    fn tiny() -> Model {
        let labels = vec![Label::Outside, Label::Begin(Class::Person), Label::Inside(Class::Person)];
        let mut rows = FxHashMap::default();
        rows.insert("0w=ترامب".into(), 0);
        let mut lexicon = Lexicon::default();
        lexicon.words.insert(
            "ترامب".into(),
            Entry { count: 7, cluster: Some(ClusterPath([1, 2, 3])), announced: [5, 0, 1], tagged: [4, 1, 0] },
        );
        Model { labels, transitions: vec![0.0; 9], rows, weights: vec![0.0, 2.0, 0.0], lexicon }
    }

    #[test]
    fn a_model_reads_back_what_it_wrote() {
        let model = tiny();
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.labels, model.labels);
        assert_eq!(back.row("0w=ترامب"), Some(&[0.0, 2.0, 0.0][..]));
        assert_eq!(back.lexicon, model.lexicon);
        assert_eq!(back.to_bytes(), bytes, "the same model, the same bytes");
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let bytes = tiny().to_bytes();
        assert!(Model::from_bytes(b"PK\x03\x04").unwrap_err().contains("does not start"));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err().contains("checksum"));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(Model::from_bytes(&flipped).unwrap_err().contains("checksum"));
        assert!(Model::from_bytes(&bytes[..MAGIC.len() + 2]).unwrap_err().contains("cut short"));
    }

    #[test]
    fn decoding_keeps_inside_labels_after_their_own_class() {
        let chain = Chain::of(&tiny());
        // The scores favour I-PERS at the start, which may not begin a sentence.
        let decoded = chain.decode(&[0.0, 0.0, 5.0, 0.0, 0.0, 5.0]);
        assert_eq!(decoded.labels, [Label::Begin(Class::Person), Label::Inside(Class::Person)]);
        assert!(decoded.confidence.iter().all(|&p| p > 0.5 && p < 1.0), "{:?}", decoded.confidence);
        assert!(chain.decode(&[]).labels.is_empty());
        // Nothing named: nothing to be unsure of.
        assert_eq!(chain.decode(&[5.0, 0.0, 0.0]).confidence, [1.0]);
    }
}
