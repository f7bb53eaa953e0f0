//! Word clusters learnt from unlabelled text, for `archive train --corpus`: words that keep
//! the same company (the words just before and after them) share a cluster, so a name the
//! annotated data never showed still looks like the names it did.
//!
//! Each frequent stem is described by the stems around it, weighted by positive pointwise
//! mutual information, and the descriptions are split by spherical k-means into
//! [`BRANCHES`] clusters, each of those again, three levels deep: a word's path down
//! that tree is its cluster at three granularities (see `Lexicon`).

use std::collections::HashMap;

use rayon::prelude::*;

use super::features;
use super::lexicon::{Lexicon, Named, Path};
use super::model::{Class, Label};
use crate::arabic::fold::{fold, tokens, words};
use crate::error::Result;

/// Clusters under each node of the tree.
pub const BRANCHES: usize = 16;
/// Stems given a cluster: the most frequent, if seen at least `MIN_COUNT` times.
const VOCABULARY: usize = 60_000;
const MIN_COUNT: u32 = 5;
/// Words kept in the lexicon at all: seen at least this often.
const MIN_KEPT: u32 = 3;
/// Stems that describe the company a word keeps.
const CONTEXTS: usize = 3_000;
const ITERATIONS: usize = 12;

/// `archive train --corpus`: word counts and clusters learnt from the bodies of the
/// articles in the folder `corpus`, drafts too, from the random start `seed` (the same
/// articles and seed give the same lexicon); and how many articles it read.
pub fn learn_from(corpus: &std::path::Path, seed: u64) -> Result<(Lexicon, usize)> {
    let (articles, _) = crate::content::load_all(corpus, corpus, true)?;
    let lexicon = learn(articles.iter().map(|a| &a.text[a.body.clone()]), seed);
    Ok((lexicon, articles.len()))
}

/// `archive train --tagged-by`: counts in `lexicon`, for each stem, how often the model in
/// the file `model` tags it as part of a person's, a place's or a body's name in the
/// bodies of the articles in the folder `corpus`; and how many articles it read. A name the annotated
/// data never showed is still tagged where the unlabelled text gives it away, and the
/// count carries that to the places it does not.
pub fn tagged_from(lexicon: &mut Lexicon, model: &std::path::Path, corpus: &std::path::Path) -> Result<usize> {
    let tagger = super::Tagger::load(model, model)?;
    let (articles, _) = crate::content::load_all(corpus, corpus, true)?;
    let named: Vec<Vec<(String, Named)>> =
        articles.par_iter().map(|a| tagged_stems(lexicon, &tagger, &fold(&a.text[a.body.clone()]))).collect();
    // Counted afresh: a lexicon taken from a model (`--clusters-from`) may hold its own.
    for entry in lexicon.words.values_mut() {
        entry.tagged = Default::default();
    }
    for (stem, what) in named.into_iter().flatten() {
        if let Some(entry) = lexicon.words.get_mut(&stem) {
            entry.tagged[what as usize] += 1;
        }
    }
    Ok(articles.len())
}

/// The stems of the folded `text` that `tagger` labels as part of a name, with its kind.
fn tagged_stems(lexicon: &Lexicon, tagger: &super::Tagger, text: &str) -> Vec<(String, Named)> {
    let all = tokens(text);
    let mut out = Vec::new();
    for sentence in super::sentences(text, &all) {
        let words: Vec<&str> = sentence.iter().map(|t| &text[t.clone()]).collect();
        for (word, label) in words.iter().zip(tagger.labels(&words).labels) {
            let what = match label {
                Label::Begin(c) | Label::Inside(c) => match c {
                    Class::Person => Named::Person,
                    Class::Place => Named::Place,
                    Class::Organization => Named::Organization,
                    Class::Misc => continue,
                },
                Label::Outside => continue,
            };
            out.push((lexicon.split(word).1.into_owned(), what));
        }
    }
    out
}

/// Counts the folded words of `texts`, then clusters the frequent stems. `seed` fixes the
/// clustering's random start, so the same texts give the same lexicon.
pub fn learn<'t>(texts: impl Iterator<Item = &'t str>, seed: u64) -> Lexicon {
    learn_with(texts, seed, BRANCHES)
}

fn learn_with<'t>(texts: impl Iterator<Item = &'t str>, seed: u64, branches: usize) -> Lexicon {
    let folded: Vec<Vec<String>> =
        texts.map(fold).map(|f| words(&f).into_iter().map(|w| f[w].to_string()).collect()).collect();
    let mut lexicon = Lexicon::default();
    for word in folded.iter().flatten() {
        lexicon.words.entry(word.clone()).or_default().count += 1;
    }
    // Rarer words tell nothing about proclitics: only the frequent are kept.
    lexicon.words.retain(|_, e| e.count >= MIN_KEPT);
    // Text as stems, numbered by frequency.
    let mut stem_counts: HashMap<String, u32> = HashMap::new();
    let stems: Vec<Vec<String>> = folded
        .iter()
        .map(|text| text.iter().map(|w| lexicon.split(w).1.into_owned()).collect::<Vec<String>>())
        .collect();
    for stem in stems.iter().flatten() {
        *stem_counts.entry(stem.clone()).or_default() += 1;
    }
    for (stem, what) in stems.iter().flat_map(|text| announced(text)) {
        if let Some(entry) = lexicon.words.get_mut(stem) {
            entry.announced[what as usize] += 1;
        }
    }
    let mut ranked: Vec<(&String, &u32)> = stem_counts.iter().filter(|(_, &n)| n >= MIN_COUNT).collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    ranked.truncate(VOCABULARY);
    let id: HashMap<&str, u32> = ranked.iter().enumerate().map(|(i, (s, _))| (s.as_str(), i as u32)).collect();

    let vectors = company(&stems, &id, ranked.len());
    let paths = tree(&vectors, seed, branches);
    for ((stem, _), path) in ranked.iter().zip(paths) {
        let entry = lexicon.words.entry((*stem).clone()).or_default();
        entry.cluster = Some(path);
    }
    lexicon
}

/// The stems of `text` that come one or two words after a word announcing a name, with
/// what it announces: «الرئيس دونالد ترامب» announces both «دونالد» and «ترامب». A trigger
/// right after another announces its own: «وزير» in «الرئيس وزير» is not a name.
fn announced(text: &[String]) -> impl Iterator<Item = (&str, Named)> + '_ {
    let of = |i: usize| features::announces(&text[i]);
    (1..text.len()).filter_map(move |i| {
        if of(i).is_some() {
            return None;
        }
        let what = of(i - 1).or_else(|| i.checked_sub(2).and_then(of))?;
        Some((text[i].as_str(), what))
    })
}

/// A sparse vector: (dimension, weight) sorted by dimension, of length 1.
type Sparse = Vec<(u32, f32)>;

/// For each of `n` stems, the stems just before it and just after it (each among the
/// `CONTEXTS` most frequent, left and right apart), weighted by PPMI and normalised.
fn company(texts: &[Vec<String>], id: &HashMap<&str, u32>, n: usize) -> Vec<Sparse> {
    let contexts = CONTEXTS.min(n) as u32;
    let mut pairs: Vec<u64> = texts
        .par_iter()
        .flat_map_iter(|text| {
            let ids: Vec<Option<u32>> = text.iter().map(|s| id.get(s.as_str()).copied()).collect();
            (0..ids.len()).flat_map(move |i| {
                let word = ids[i];
                let left = i.checked_sub(1).and_then(|j| ids[j]).filter(|&c| c < contexts);
                let right = ids.get(i + 1).copied().flatten().filter(|&c| c < contexts);
                let pair = move |c: Option<u32>, side: u32| {
                    word.zip(c).map(|(w, c)| (u64::from(w) << 32) | u64::from(c + side * contexts))
                };
                [pair(left, 0), pair(right, 1)].into_iter().flatten()
            })
        })
        .collect();
    pairs.par_sort_unstable();
    let mut counts: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    for run in pairs.chunk_by(|a, b| a == b) {
        let (w, c) = ((run[0] >> 32) as usize, (run[0] & 0xFFFF_FFFF) as u32);
        counts[w].push((c, run.len() as f32));
    }
    // PPMI, with the contexts' distribution smoothed (to the power 0.75) so that rare
    // contexts do not dominate.
    let mut context_total = vec![0.0f64; 2 * contexts as usize];
    for row in &counts {
        for &(c, x) in row {
            context_total[c as usize] += f64::from(x);
        }
    }
    let smoothed: Vec<f64> = context_total.iter().map(|t| t.powf(0.75)).collect();
    let smoothed_sum: f64 = smoothed.iter().sum();
    let total: f64 = context_total.iter().sum();
    counts
        .into_par_iter()
        .map(|row| {
            let word_total: f64 = row.iter().map(|&(_, x)| f64::from(x)).sum();
            let mut out: Sparse = row
                .into_iter()
                .filter_map(|(c, x)| {
                    let pmi = (f64::from(x) * smoothed_sum / (word_total * smoothed[c as usize])).ln();
                    (pmi > 0.0 && total > 0.0).then_some((c, pmi as f32))
                })
                .collect();
            let norm = out.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for (_, w) in &mut out {
                *w /= norm.max(f32::MIN_POSITIVE);
            }
            out
        })
        .collect()
}

/// Each vector's path down a tree of `branches`-way spherical k-means splits, three deep.
fn tree(vectors: &[Sparse], seed: u64, branches: usize) -> Vec<Path> {
    let dims = vectors.iter().flat_map(|v| v.iter().map(|(c, _)| *c as usize + 1)).max().unwrap_or(0);
    let mut paths = vec![[0u16; 3]; vectors.len()];
    let mut groups: Vec<Vec<usize>> = vec![(0..vectors.len()).collect()];
    // A depth is a level of the tree, used in each path and in the seed.
    #[allow(clippy::needless_range_loop)]
    for depth in 0..3 {
        let mut next = Vec::new();
        for (g, members) in groups.iter().enumerate() {
            let assignment = kmeans(vectors, dims, members, branches, seed ^ ((depth as u64) << 40) ^ g as u64);
            let mut children = vec![Vec::new(); branches];
            for (&m, &k) in members.iter().zip(&assignment) {
                paths[m][depth] = k as u16;
                children[k].push(m);
            }
            next.extend(children);
        }
        groups = next;
    }
    paths.into_iter().map(Path).collect()
}

/// Spherical k-means of the `members` of `vectors` (of `dims` dimensions) into `k`
/// clusters; each member's cluster. Starts from `k` members drawn with a seeded generator,
/// farthest-first. A group of `k` or fewer is not split.
fn kmeans(vectors: &[Sparse], dims: usize, members: &[usize], k: usize, seed: u64) -> Vec<usize> {
    if members.len() <= k {
        return vec![0; members.len()];
    }
    let mut rng = SplitMix(seed);
    let mut centroids: Vec<Vec<f32>> = Vec::with_capacity(k);
    let first = members[(rng.next() % members.len() as u64) as usize];
    centroids.push(dense(&vectors[first], dims));
    let mut nearest = vec![f32::NEG_INFINITY; members.len()];
    while centroids.len() < k {
        let last = centroids.last().map(Vec::as_slice).unwrap_or_default();
        for (i, &m) in members.iter().enumerate() {
            nearest[i] = nearest[i].max(dot(&vectors[m], last));
        }
        // A member far from every centroid so far, drawn among the farthest few.
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by(|&a, &b| nearest[a].total_cmp(&nearest[b]).then(a.cmp(&b)));
        let pick = order[(rng.next() % (members.len() / k).max(1) as u64) as usize];
        centroids.push(dense(&vectors[members[pick]], dims));
    }
    let mut assignment = vec![0usize; members.len()];
    for _ in 0..ITERATIONS {
        assignment = members
            .par_iter()
            .map(|&m| {
                (0..k)
                    .max_by(|&a, &b| dot(&vectors[m], &centroids[a]).total_cmp(&dot(&vectors[m], &centroids[b])))
                    .unwrap_or(0)
            })
            .collect();
        let mut sums = vec![vec![0.0f32; dims]; k];
        for (&m, &c) in members.iter().zip(&assignment) {
            for &(d, w) in &vectors[m] {
                sums[c][d as usize] += w;
            }
        }
        for (c, sum) in sums.into_iter().enumerate() {
            let norm = sum.iter().map(|w| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                centroids[c] = sum.into_iter().map(|w| w / norm).collect();
            }
        }
    }
    assignment
}

fn dense(v: &Sparse, dims: usize) -> Vec<f32> {
    let mut out = vec![0.0; dims];
    for &(d, w) in v {
        out[d as usize] = w;
    }
    out
}

fn dot(v: &Sparse, centroid: &[f32]) -> f32 {
    v.iter().map(|&(d, w)| w * centroid[d as usize]).sum()
}

/// A small seeded generator (SplitMix64): the clustering must come out the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_company_share_a_path() {
        // Cities follow «في» and precede «اليوم»; people follow «قال» and precede «إن».
        let mut text = String::new();
        for (i, city) in ["بغداد", "دمشق", "بيروت", "القاهره"].iter().cycle().take(400).enumerate()
        {
            let person = ["ترامب", "بوتين", "ماكرون", "اردوغان"][i % 4];
            text.push_str(&format!("وصل الوفد في {city} اليوم ثم قال {person} إن الوضع هادئ. "));
        }
        let lexicon = learn_with([text.as_str()].into_iter(), 7, 4);
        let path = |w: &str| lexicon.cluster(w);
        assert!(path("بغداد").is_some());
        assert_eq!(path("بغداد"), path("دمشق"));
        assert_eq!(path("ترامب"), path("بوتين"));
        assert_eq!(learn_with([text.as_str()].into_iter(), 7, 4), lexicon, "the same seed, the same clusters");
    }

    #[test]
    fn names_are_counted_where_a_title_or_head_noun_announces_them() {
        let text: Vec<String> = "قال الرئيس دونالد ترامب في مدينه حلب ان الرئيس وزير".split(' ').map(fold).collect();
        let found: Vec<(&str, Named)> = announced(&text).collect();
        assert_eq!(
            found,
            [("دونالد", Named::Person), ("ترامب", Named::Person), ("حلب", Named::Place), ("ان", Named::Place),]
        );
        // Counted into the lexicon, for its stems.
        let lexicon = learn_with(std::iter::repeat_n("قال الرئيس ترامب اليوم ان", 5), 7, 4);
        assert_eq!(lexicon.announced("ترامب", Named::Person), 5);
        assert_eq!(lexicon.announced("اليوم", Named::Person), 5);
        assert_eq!(lexicon.announced("ان", Named::Person), 0);
    }

    #[test]
    fn the_stems_a_model_tags_are_counted_by_kind() {
        let tagger = super::super::Tagger::built_in();
        let lexicon = &tagger.model().lexicon;
        let text = fold("وقال الرئيس الأمريكي دونالد ترامب في واشنطن إن الوضع هادئ.");
        let found = tagged_stems(lexicon, &tagger, &text);
        let of = |w: &str| found.iter().find(|(s, _)| *s == fold(w)).map(|(_, what)| *what);
        assert_eq!((of("دونالد"), of("ترامب")), (Some(Named::Person), Some(Named::Person)));
        assert_eq!(of("واشنطن"), Some(Named::Place));
        assert_eq!((of("قال"), of("الرئيس"), of("الوضع")), (None, None, None));
    }

    #[test]
    fn kmeans_splits_vectors_by_direction() {
        let unit = |a: f32, b: f32, da: u32, db: u32| {
            let n = (a * a + b * b).sqrt();
            vec![(da, a / n), (db, b / n)]
        };
        let mut vectors: Vec<Sparse> = (1..6).map(|i| unit(1.0, i as f32 / 10.0, 0, 1)).collect();
        vectors.extend((1..6).map(|i| unit(1.0, i as f32 / 10.0, 2, 3)));
        let members: Vec<usize> = (0..vectors.len()).collect();
        for seed in 0..5 {
            let a = kmeans(&vectors, 4, &members, 2, seed);
            assert!(a[..5].iter().all(|&c| c == a[0]) && a[5..].iter().all(|&c| c == a[5]), "{a:?}");
            assert_ne!(a[0], a[5]);
        }
    }
}
