//! What the tagger knows of words from unlabelled text: how often each folded form occurs,
//! which tells a proclitic from a word's own first letter (وزير is not و + زير), and the
//! word cluster of each frequent form, which tells names from other words by the company
//! they keep.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::arabic::clitics;

/// A word's place in the cluster tree: its cluster at each of three depths, coarse first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path(pub [u16; 3]);

impl Path {
    /// The path down to `depth` (1 to 3), as a feature value: «4», «4.11», «4.11.2».
    pub fn prefix(self, depth: u8) -> String {
        let parts: Vec<String> = self.0[..depth as usize].iter().map(u16::to_string).collect();
        parts.join(".")
    }
}

/// One folded form: how often the unlabelled text has it, its cluster if it was frequent
/// enough to get one, and, as a stem, how often it comes just after a word announcing a
/// name of each kind, and how often a model trained before tagged it as part of one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entry {
    pub count: u32,
    pub cluster: Option<Path>,
    pub announced: [u32; Named::ALL.len()],
    pub tagged: [u32; Named::ALL.len()],
}

/// A kind of name, for [`Entry::announced`] and [`Entry::tagged`]: what the unlabelled
/// text hints a word names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// A person's, as after a title: «الرئيس», «اللاعب».
    Person,
    /// A place's, as after its head noun: «مدينة», «محافظة».
    Place,
    /// A body's, as after its head noun: «حزب», «شركة».
    Organization,
}

impl Named {
    pub const ALL: [Named; 3] = [Named::Person, Named::Place, Named::Organization];

    /// The code a feature value gives it.
    pub fn code(self) -> &'static str {
        match self {
            Named::Person => "p",
            Named::Place => "l",
            Named::Organization => "o",
        }
    }
}

/// How often each folded form occurs in unlabelled text, and its cluster: what a model
/// learns from beside the annotated sentences. The default knows no word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub(crate) words: FxHashMap<String, Entry>,
}

impl Lexicon {
    /// The word counts and clusters of a model trained before (`archive train
    /// --clusters-from`).
    pub fn of_model(path: &std::path::Path) -> crate::error::Result<Lexicon> {
        Ok(super::model::Model::load(path, path)?.lexicon)
    }

    /// How many words have a cluster.
    pub fn clusters(&self) -> usize {
        self.words.values().filter(|e| e.cluster.is_some()).count()
    }

    pub(crate) fn count(&self, word: &str) -> u32 {
        self.words.get(word).map_or(0, |e| e.count)
    }

    pub(crate) fn cluster(&self, word: &str) -> Option<Path> {
        self.words.get(word).and_then(|e| e.cluster)
    }

    /// How often the stem `word` came just after a word announcing `what`.
    pub(crate) fn announced(&self, word: &str, what: Named) -> u32 {
        self.words.get(word).map_or(0, |e| e.announced[what as usize])
    }

    /// How often the stem `word` was tagged as part of a name of kind `what`.
    pub(crate) fn tagged(&self, word: &str, what: Named) -> u32 {
        self.words.get(word).map_or(0, |e| e.tagged[what as usize])
    }

    /// Reads `token` (folded) as proclitics and a stem: the reading whose stem the text
    /// has most often, the whole word on ties. After لل the stem gets its article back
    /// (للرئيس = ل + الرئيس).
    pub(crate) fn split<'w>(&self, token: &'w str) -> (&'w str, Cow<'w, str>) {
        let mut best: (&str, Cow<str>, u32) = ("", Cow::Borrowed(token), self.count(token));
        for split in clitics::splits(token).skip(1) {
            let rest = &token[split.len..];
            let stem: Cow<str> =
                if split.article_elided { Cow::Owned(format!("ال{rest}")) } else { Cow::Borrowed(rest) };
            let count = self.count(&stem);
            if count > best.2 {
                best = (&token[..split.len], stem, count);
            }
        }
        (best.0, best.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(counts: &[(&str, u32)]) -> Lexicon {
        Lexicon {
            words: counts.iter().map(|&(w, count)| (w.to_string(), Entry { count, ..Entry::default() })).collect(),
        }
    }

    #[test]
    fn the_most_frequent_reading_wins() {
        let lex = lexicon(&[("وزير", 500), ("زير", 3), ("الرئيس", 900), ("والرئيس", 40), ("ترامب", 80)]);
        assert_eq!(lex.split("وزير"), ("", Cow::Borrowed("وزير")));
        assert_eq!(lex.split("والرئيس"), ("و", Cow::Borrowed("الرئيس")));
        assert_eq!(lex.split("وترامب"), ("و", Cow::Borrowed("ترامب")));
        assert_eq!(lex.split("للرئيس"), ("لل", Cow::Owned::<str>("الرئيس".into())));
        // Unknown everywhere: the word as it is.
        assert_eq!(lex.split("وبنغازي"), ("", Cow::Borrowed("وبنغازي")));
    }

    #[test]
    fn paths_print_down_to_a_depth() {
        let p = Path([4, 11, 2]);
        assert_eq!((p.prefix(1), p.prefix(2), p.prefix(3)), ("4".into(), "4.11".into(), "4.11.2".into()));
    }
}
