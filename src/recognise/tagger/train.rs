//! `archive train`: a tagger model from annotated sentences, with crfs (a pure-Rust port of
//! CRFsuite) doing the L-BFGS training. The trained CRF is then read back into the
//! archive's own model, whose tagging adds up per-word sums (see the parent module).

use std::path::Path;

use super::conll::Sentence;
use super::features::{self, Feature};
use super::lexicon::Lexicon;
use super::model::{Label, Model};
use crate::error::{Error, Result};

/// How to train. The defaults are what the built-in model was trained with.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// L1 regularisation: drops features that do not earn their weight, so the model is small.
    pub c1: f64,
    /// L2 regularisation.
    pub c2: f64,
    /// L-BFGS iterations at most.
    pub iterations: usize,
}

impl Default for Options {
    fn default() -> Options {
        // Chosen on the dev split, among 0.05/0.01, 0.02/0.02 and 0.01/0.05.
        Options { c1: 0.02, c2: 0.02, iterations: 300 }
    }
}

/// What `archive train` did.
pub struct Report {
    /// Sentences trained on.
    pub sentences: usize,
    /// Sentences held out and measured on.
    pub dev_sentences: usize,
    /// Features the model kept.
    pub features: usize,
    /// The new model's scores on the sentences held out, if any were.
    pub dev: Option<super::eval::Scores>,
}

/// `archive train`: reads `data`, trains on all but the last `dev_percent` of its sentences
/// and measures on those, and writes the model to `out`.
pub fn run(data: &Path, out: &Path, lexicon: Lexicon, dev_percent: usize, options: Options) -> Result<Report> {
    let text = std::fs::read_to_string(data).map_err(|e| Error::io(data, "cannot read the training data", e))?;
    let sentences = super::conll::parse(data, &text)?;
    let (train_on, dev) = super::conll::split_dev(&sentences, dev_percent);
    if train_on.is_empty() {
        return Err(Error::input(
            data,
            "no sentences to train on",
            "give annotated sentences, one `token LABEL` a line",
        ));
    }
    let scratch = out.with_extension("crfsuite.part");
    let model = train(train_on, lexicon, options, &scratch)?;
    std::fs::write(out, model.to_bytes()).map_err(|e| Error::io(out, "cannot write the model", e))?;
    let features = model.rows.len();
    let tagger = super::Tagger::new(model);
    let dev_scores = (!dev.is_empty()).then(|| super::eval::scores(dev, &super::eval::tagger(&tagger, dev)));
    Ok(Report { sentences: train_on.len(), dev_sentences: dev.len(), features, dev: dev_scores })
}

/// Every feature name of every token of `sentence`, as training sees them.
pub fn feature_names(sentence: &[String], lexicon: &Lexicon) -> Vec<Vec<String>> {
    let own: Vec<Vec<Feature>> = sentence.iter().map(|t| features::of_token(t, lexicon)).collect();
    let before = features::of_token(features::BEFORE, lexicon);
    let after = features::of_token(features::AFTER, lexicon);
    (0..sentence.len()).map(|i| features::names_at(&own, &before, &after, i)).collect()
}

/// Trains a model on `sentences` with `lexicon`. `scratch` is a file crfs may write its
/// own model into; it is removed afterwards.
pub fn train(sentences: &[Sentence], lexicon: Lexicon, options: Options, scratch: &Path) -> Result<Model> {
    let bytes = train_crfsuite(sentences, &lexicon, options, scratch)?;
    from_crfsuite(&bytes, lexicon).map_err(|why| Error::input(scratch, why, "this is a bug: please report it"))
}

/// The CRFsuite model crfs trains, as bytes.
fn train_crfsuite(sentences: &[Sentence], lexicon: &Lexicon, options: Options, scratch: &Path) -> Result<Vec<u8>> {
    let failed = |e: std::io::Error| Error::io(scratch, "training failed", e);
    let mut trainer = crfs::Trainer::lbfgs();
    {
        let params = trainer.params_mut();
        params.set_c1(options.c1).map_err(failed)?;
        params.set_c2(options.c2).map_err(failed)?;
        params.set_max_iterations(options.iterations).map_err(failed)?;
    }
    for sentence in sentences.iter().filter(|s| !s.tokens.is_empty()) {
        let items = attributes(&sentence.tokens, lexicon);
        let labels: Vec<String> = sentence.labels.iter().map(|l| l.as_string()).collect();
        trainer.append(&items, &labels).map_err(failed)?;
    }
    trainer.train(scratch).map_err(failed)?;
    let bytes = std::fs::read(scratch).map_err(|e| Error::io(scratch, "cannot read what training wrote", e))?;
    // The scratch file has served; failing to remove it loses nothing.
    let _ = std::fs::remove_file(scratch);
    Ok(bytes)
}

/// A sentence's feature names as crfs takes them.
fn attributes(tokens: &[String], lexicon: &Lexicon) -> Vec<Vec<crfs::Attribute>> {
    feature_names(tokens, lexicon)
        .into_iter()
        .map(|names| names.into_iter().map(|n| crfs::Attribute::new(n, 1.0)).collect())
        .collect()
}

/// Our model from a CRFsuite model, through its dump (the one public view of its weights).
fn from_crfsuite(bytes: &[u8], lexicon: Lexicon) -> std::result::Result<Model, String> {
    let crf = crfs::Model::new(bytes).map_err(|e| format!("crfs wrote a model it cannot read: {e}"))?;
    let labels: Vec<Label> = (0..crf.num_labels())
        .map(|i| crf.to_label(i).and_then(Label::parse).ok_or_else(|| format!("label {i} is unknown")))
        .collect::<std::result::Result<_, _>>()?;
    let l = labels.len();
    let label_index = |s: &str| {
        Label::parse(s).and_then(|x| labels.iter().position(|y| *y == x)).ok_or_else(|| format!("label {s:?}"))
    };
    let mut dump = Vec::new();
    crf.dump(&mut dump).map_err(|e| e.to_string())?;
    let dump = String::from_utf8(dump).map_err(|_| "the dump is not UTF-8".to_string())?;
    let mut model = Model {
        labels: labels.clone(),
        transitions: vec![0.0; l * l],
        rows: Default::default(),
        weights: Vec::new(),
        lexicon,
    };
    let mut section = "";
    for line in dump.lines() {
        if let Some(name) = line.strip_suffix(" = {") {
            section = name;
            continue;
        }
        // "  (1) O --> B-LOC: 0.123456" or "  (0) 0w=قال --> O: -0.5"
        let Some(feature) = line.trim_start().strip_prefix("(0) ").or_else(|| line.trim_start().strip_prefix("(1) "))
        else {
            continue;
        };
        let (pair, weight) = feature.rsplit_once(": ").ok_or_else(|| format!("dump line {line:?}"))?;
        let (from, to) = pair.rsplit_once(" --> ").ok_or_else(|| format!("dump line {line:?}"))?;
        let weight: f32 = weight.parse().map_err(|_| format!("weight in {line:?}"))?;
        let to = label_index(to)?;
        match section {
            "TRANSITIONS" => model.transitions[label_index(from)? * l + to] = weight,
            "STATE_FEATURES" => {
                let next = model.rows.len() as u32;
                let row = *model.rows.entry(from.into()).or_insert(next) as usize;
                if row == model.weights.len() / l {
                    model.weights.extend(std::iter::repeat_n(0.0, l));
                }
                model.weights[row * l + to] = weight;
            }
            _ => {}
        }
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::tagger::conll;
    use crate::recognise::tagger::Tagger;

    const DATA: &str = "قال O\nالرئيس O\nترامب B-PERS\nفي O\nواشنطن B-LOC\n\n\
        قال O\nالرئيس O\nبوتين B-PERS\nفي O\nموسكو B-LOC\n\n\
        زار O\nماكرون B-PERS\nمدينة O\nباريس B-LOC\n\n\
        اعلنت O\nشركة B-ORG\nارامكو I-ORG\nفي O\nالرياض B-LOC\n";

    #[test]
    fn our_tagging_agrees_with_crfsuite_on_what_it_trained() {
        let sentences = conll::parse(Path::new("t.txt"), DATA).unwrap();
        let scratch = std::env::temp_dir().join(format!("archive-train-test-{}.crfsuite", std::process::id()));
        let options = Options { c1: 0.0, c2: 0.1, iterations: 50 };
        let lexicon = Lexicon::default();
        let crf = train_crfsuite(&sentences, &lexicon, options, &scratch).unwrap();
        assert!(!scratch.exists(), "the scratch file is removed");
        let model = from_crfsuite(&crf, lexicon.clone()).unwrap();
        let tagger = Tagger::new(Model::from_bytes(&model.to_bytes()).unwrap());
        // The same CRF, tagged by crfs itself: the same labels, which are the right ones.
        let theirs = crfs::Model::new(&crf).unwrap();
        let theirs = theirs.tagger().unwrap();
        for s in &sentences {
            let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let expected: Vec<Label> =
                theirs.tag(&attributes(&s.tokens, &lexicon)).unwrap().into_iter().filter_map(Label::parse).collect();
            assert_eq!(tagger.labels(&tokens).labels, expected, "{tokens:?}");
            assert_eq!(expected, s.labels);
        }
        let unseen = ["قال", "الرئيس", "ماكرون", "في", "باريس"];
        let spans: Vec<_> = tagger.tag(&unseen).into_iter().map(|s| (s.tokens, s.class)).collect();
        assert_eq!(
            spans,
            [(2..3, crate::recognise::tagger::Class::Person), (4..5, crate::recognise::tagger::Class::Place)]
        );
    }
}
