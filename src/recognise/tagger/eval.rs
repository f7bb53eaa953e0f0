//! Exact-span scores, as conlleval counts them: a name found counts only when its tokens
//! and its class are both right.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::conll::Sentence;
use super::model::{Class, Label};
use crate::domain::Kind;
use crate::error::{Error, Result};

/// The names of a sentence's labels, as token ranges with their class.
pub fn names(labels: &[Label]) -> BTreeSet<(usize, usize, Class)> {
    let mut out = BTreeSet::new();
    let mut open: Option<(usize, Class)> = None;
    for (t, label) in labels.iter().enumerate() {
        let continues = matches!((label, open), (Label::Inside(c), Some((_, o))) if *c == o);
        if !continues {
            if let Some((start, class)) = open.take() {
                out.insert((start, t, class));
            }
            open = match label {
                Label::Begin(c) | Label::Inside(c) => Some((t, *c)),
                Label::Outside => None,
            };
        }
    }
    if let Some((start, class)) = open {
        out.insert((start, labels.len(), class));
    }
    out
}

/// Counts of names found, expected and right, per class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub(crate) counts: BTreeMap<Class, [usize; 3]>,
}

impl Scores {
    /// Adds one sentence: the names expected and the names found, as token ranges.
    pub(crate) fn add(&mut self, expected: &BTreeSet<(usize, usize, Class)>, found: &BTreeSet<(usize, usize, Class)>) {
        for &(_, _, class) in found {
            self.entry(class)[0] += 1;
        }
        for &(_, _, class) in expected {
            self.entry(class)[1] += 1;
        }
        for &(_, _, class) in expected.intersection(found) {
            self.entry(class)[2] += 1;
        }
    }

    fn entry(&mut self, class: Class) -> &mut [usize; 3] {
        self.counts.entry(class).or_default()
    }

    /// Precision, recall and F1 of one class, or of all reported classes together.
    pub(crate) fn of(&self, class: Option<Class>) -> (f64, f64, f64) {
        let [found, expected, right] = self
            .counts
            .iter()
            .filter(|(c, _)| class.map_or(REPORTED.contains(c), |k| **c == k))
            .fold([0; 3], |acc, (_, n)| [acc[0] + n[0], acc[1] + n[1], acc[2] + n[2]]);
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (p, r) = (ratio(right, found), ratio(right, expected));
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        (p, r, f)
    }
}

/// The classes the archive shows: MISC is learnt but not reported.
pub const REPORTED: [Class; 3] = [Class::Person, Class::Place, Class::Organization];

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  class  precision  recall      F1   found  expected")?;
        let rows = REPORTED.iter().map(|c| (c.code(), Some(*c))).chain([("all", None)]);
        for (name, class) in rows {
            let (p, r, f1) = self.of(class);
            let [found, expected, _] = match class {
                Some(c) => self.counts.get(&c).copied().unwrap_or_default(),
                None => REPORTED
                    .iter()
                    .filter_map(|c| self.counts.get(c))
                    .fold([0; 3], |a, n| [a[0] + n[0], a[1] + n[1], a[2] + n[2]]),
            };
            writeln!(
                f,
                "  {name:<5} {:>10.2} {:>7.2} {:>7.2} {found:>7} {expected:>9}",
                p * 100.0,
                r * 100.0,
                f1 * 100.0
            )?;
        }
        Ok(())
    }
}

/// What `archive eval` measured on the sentences held out.
#[derive(Debug)]
pub struct Evaluation {
    /// How many sentences were measured on.
    pub sentences: usize,
    /// The tagger alone.
    pub tagger: Measured,
    /// The whole pipeline with an archive's gazetteer, when one was given.
    pub pipeline: Option<Measured>,
}

/// Scores on the sentences measured, and the sentences that were got wrong.
#[derive(Debug)]
pub struct Measured {
    /// Precision, recall and F1 per class.
    pub scores: Scores,
    /// Each sentence with a name missed or found wrongly, with those names, for reading.
    pub errors: String,
}

/// `archive eval`: measures on the last `dev_percent` of the sentences in `data` the
/// tagger of `model` (the built-in one if none), and, given an archive's folder `root`,
/// the whole recognition with its gazetteer.
pub fn run(data: &Path, model: Option<&Path>, dev_percent: usize, root: Option<&Path>) -> Result<Evaluation> {
    let text = std::fs::read_to_string(data).map_err(|e| Error::io(data, "cannot read", e))?;
    let sentences = super::conll::parse(data, &text)?;
    let (_, measured) = super::conll::split_dev(&sentences, dev_percent);
    let tagger = Arc::new(match model {
        Some(path) => super::Tagger::load(path, path)?,
        None => super::Tagger::built_in(),
    });
    let found = self::tagger(&tagger, measured);
    let alone = Measured { scores: scores(measured, &found), errors: errors(measured, &found) };
    let pipeline = match root {
        Some(root) => {
            let found = self::pipeline(&crate::recogniser_of(root, Some(tagger))?, measured);
            Some(Measured { scores: scores(measured, &found), errors: errors(measured, &found) })
        }
        None => None,
    };
    Ok(Evaluation { sentences: measured.len(), tagger: alone, pipeline })
}

/// The names of each sentence, as token ranges with their class.
pub type Found = Vec<BTreeSet<(usize, usize, Class)>>;

/// The names the tagger alone finds in each of `sentences`.
pub fn tagger(tagger: &super::Tagger, sentences: &[Sentence]) -> Found {
    use rayon::prelude::*;
    sentences
        .par_iter()
        .map(|s| {
            let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            names(&tagger.labels(&tokens).labels)
        })
        .collect()
}

/// Sentences of the annotated text an article holds when measuring the whole pipeline:
/// about the 290 words of an average article of the ANT corpus, so that what recognition
/// does within an article (a surname joined to its full name, a name filled in where the
/// tagger missed it) is measured as it works.
pub const SENTENCES_PER_ARTICLE: usize = 10;

/// The names the whole of recognition (gazetteer, context rules, tagger and what is done
/// with its names within an article) finds in each of `sentences`, read as articles of
/// [`SENTENCES_PER_ARTICLE`] sentences.
pub fn pipeline(recogniser: &crate::recognise::Recogniser, sentences: &[Sentence]) -> Found {
    use rayon::prelude::*;
    let per_article: Vec<Found> =
        sentences.par_chunks(SENTENCES_PER_ARTICLE).map(|a| in_article(recogniser, a)).collect();
    per_article.into_iter().flatten().collect()
}

/// The names recognition finds in `sentences` read as one article, each sentence a
/// paragraph, tokens apart by spaces.
fn in_article(recogniser: &crate::recognise::Recogniser, sentences: &[Sentence]) -> Found {
    let mut text = String::new();
    let mut runs = Vec::new();
    let mut offsets: Vec<Vec<Range<usize>>> = Vec::new();
    for s in sentences {
        let start = text.len();
        let mut tokens = Vec::new();
        for (i, t) in s.tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            tokens.push(text.len()..text.len() + t.len());
            text.push_str(t);
        }
        runs.push(start..text.len());
        offsets.push(tokens);
        text.push_str("\n\n");
    }
    let mentions = recogniser.recognise(&text, &runs, None);
    runs.iter()
        .zip(&offsets)
        .map(|(run, tokens)| {
            mentions
                .iter()
                .filter(|m| m.span.start >= run.start && m.span.end <= run.end)
                .filter_map(|m| {
                    let class = match m.kind {
                        Kind::Person => Class::Person,
                        Kind::Place => Class::Place,
                        Kind::Organization => Class::Organization,
                        _ => return None,
                    };
                    tokens_of(&m.span, tokens).map(|t| (t.start, t.end, class))
                })
                .collect()
        })
        .collect()
}

/// The scores of `found` against what `sentences` expect.
pub fn scores(sentences: &[Sentence], found: &Found) -> Scores {
    let mut total = Scores::default();
    for (s, f) in sentences.iter().zip(found) {
        total.add(&names(&s.labels), f);
    }
    total
}

/// Each sentence where `found` is wrong, with the names missed and found wrongly, for reading.
pub fn errors(sentences: &[Sentence], found: &Found) -> String {
    let mut out = String::new();
    for (s, found) in sentences.iter().zip(found) {
        let expected = names(&s.labels);
        if expected == *found {
            continue;
        }
        let show = |set: &BTreeSet<(usize, usize, Class)>, other: &BTreeSet<(usize, usize, Class)>| {
            let parts: Vec<String> =
                set.difference(other).map(|(a, b, c)| format!("{}:{}", c.code(), s.tokens[*a..*b].join(" "))).collect();
            parts.join(" | ")
        };
        out.push_str(&format!(
            "{}\n  missed: {}\n  wrong:  {}\n",
            s.tokens.join(" "),
            show(&expected, found),
            show(found, &expected)
        ));
    }
    out
}

/// The tokens that a byte range of a text overlaps, given the tokens' byte ranges.
pub fn tokens_of(span: &Range<usize>, tokens: &[Range<usize>]) -> Option<Range<usize>> {
    let first = tokens.iter().position(|t| t.end > span.start && t.start < span.end)?;
    let last = tokens.iter().rposition(|t| t.end > span.start && t.start < span.end)?;
    Some(first..last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Class = Class::Person;
    const L: Class = Class::Place;

    #[test]
    fn names_follow_bio_and_a_stray_inside_opens_a_name() {
        let labels = [Label::Begin(P), Label::Inside(P), Label::Outside, Label::Inside(L), Label::Begin(L)];
        assert_eq!(names(&labels), BTreeSet::from([(0, 2, P), (3, 4, L), (4, 5, L)]));
    }

    #[test]
    fn only_exact_spans_of_the_right_class_count() {
        let mut s = Scores::default();
        let expected = BTreeSet::from([(0, 2, P), (5, 6, L)]);
        let found = BTreeSet::from([(0, 1, P), (5, 6, L), (8, 9, L)]);
        s.add(&expected, &found);
        let (p, r, f) = s.of(Some(L));
        assert_eq!((p, r), (0.5, 1.0));
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.of(Some(P)), (0.0, 0.0, 0.0));
        assert_eq!(s.of(None).0, 1.0 / 3.0);
    }

    #[test]
    fn a_span_maps_to_the_tokens_it_overlaps() {
        let tokens = [0..4, 5..9, 10..12];
        assert_eq!(tokens_of(&(6..12), &tokens), Some(1..3));
        assert_eq!(tokens_of(&(4..5), &tokens), None);
    }
}
