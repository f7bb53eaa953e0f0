//! Annotated text in the CoNLL layout ANERcorp uses: one `token LABEL` a line, BIO labels,
//! a blank line between sentences. Tokens are folded and split as the tagger splits text
//! («(د» is a mark and a word), so training sees what tagging will.

use std::path::Path;

use super::model::Label;
use crate::arabic::fold::{fold, tokens};
use crate::error::{Error, Result};

/// One sentence: folded tokens and their labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub labels: Vec<Label>,
}

/// Reads annotated text; `shown` names the file in messages, with the line at fault.
pub fn parse(shown: &Path, text: &str) -> Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let mut current = Sentence::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !current.tokens.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let Some((token, label)) = line.trim().rsplit_once([' ', '\t']) else {
            return Err(Error::at(
                shown,
                text,
                at,
                format!("{line:?} is not a token and a label"),
                "write one `token LABEL` a line, such as `ألمانيا B-LOC`, and a blank line between sentences",
            ));
        };
        let Some(label) = Label::parse(label.trim()) else {
            return Err(Error::at(
                shown,
                text,
                at + line.rfind(label).unwrap_or(0),
                format!("{label:?} is not a label"),
                "labels are O, or B- or I- followed by PERS, LOC, ORG or MISC",
            ));
        };
        push_token(&mut current, token.trim(), label);
    }
    if !current.tokens.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// Adds one annotated token as the tagger's tokens: the label goes to its words, a mark
/// in it is outside any name, and a name cut by a mark goes on as a new name.
fn push_token(sentence: &mut Sentence, token: &str, label: Label) {
    let folded = fold(token);
    let mut first_word = true;
    for range in tokens(&folded) {
        let piece = &folded[range];
        let is_word = piece.chars().any(crate::arabic::fold::is_word_char);
        let piece_label = match label {
            _ if !is_word => Label::Outside,
            Label::Begin(c) if !first_word => Label::Inside(c),
            other => other,
        };
        let previous = sentence.labels.last().copied();
        let piece_label = match (piece_label, previous) {
            (Label::Inside(c), Some(Label::Begin(p) | Label::Inside(p))) if p == c => piece_label,
            (Label::Inside(c), _) => Label::Begin(c),
            _ => piece_label,
        };
        if is_word {
            first_word = false;
        }
        sentence.tokens.push(piece.to_string());
        sentence.labels.push(piece_label);
    }
}

/// Cuts `sentences` into the part to train on and the last `percent` to measure on, in
/// order, as CAMeL Lab cut ANERcorp's train split from its test split.
pub fn split_dev(sentences: &[Sentence], percent: usize) -> (&[Sentence], &[Sentence]) {
    let dev = sentences.len() * percent.min(100) / 100;
    sentences.split_at(sentences.len() - dev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::tagger::model::Class;

    #[test]
    fn sentences_are_split_on_blank_lines_and_tokens_as_the_tagger_splits_them() {
        let text = "فرانكفورت B-LOC\n(د O\nب O\nأ) O\n\nأعلن O\nاتحاد B-ORG\n«صناعة» I-ORG\n";
        let s = parse(Path::new("t.txt"), text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tokens, ["فرانكفورت", "(", "د", "ب", "ا", ")"]);
        assert_eq!(s[1].tokens, ["اعلن", "اتحاد", "«", "صناعه", "»"]);
        let org = Class::Organization;
        assert_eq!(s[1].labels, [Label::Outside, Label::Begin(org), Label::Outside, Label::Begin(org), Label::Outside]);
    }

    #[test]
    fn bad_lines_name_their_line() {
        let err = parse(Path::new("t.txt"), "ألمانيا B-LOC\nكلمة\n").unwrap_err().to_string();
        assert!(err.starts_with("t.txt:2:1: \"كلمة\" is not a token and a label"), "{err}");
        let err = parse(Path::new("t.txt"), "\nألمانيا B-CITY\n").unwrap_err().to_string();
        assert!(err.starts_with("t.txt:2:9: \"B-CITY\" is not a label"), "{err}");
    }

    #[test]
    fn the_dev_split_is_the_last_sentences() {
        let s: Vec<Sentence> =
            (0..20).map(|i| Sentence { tokens: vec![i.to_string()], labels: vec![Label::Outside] }).collect();
        let (train, dev) = split_dev(&s, 10);
        assert_eq!((train.len(), dev.len()), (18, 2));
        assert_eq!(dev[0].tokens, ["18"]);
    }
}
