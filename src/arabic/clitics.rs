//! Proclitics: the one-letter words Arabic writes joined to the next word
//! (و ف ب ل ك, and لل where ل meets the article ال and swallows its alef).

/// One way to read the start of a word: `len` bytes of proclitics, then the stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte length of the proclitics.
    pub len: usize,
    /// The proclitics end in لل: the stem lost the alef of its article (للبوكمال = ل + البوكمال),
    /// so it must be matched against names that start with ال, without it.
    pub article_elided: bool,
}

/// The one-letter proclitics: every proclitic sequence starts with one of them.
pub const LETTERS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// Proclitic sequences, in folded form, in the order they are tried: a conjunction (و ف),
/// then a preposition (ب ل ك), each optional; then لل on its own, because it also eats the
/// article's alef (marked `true`, see `Split::article_elided`).
const PROCLITICS: &[(&str, bool)] = &[
    ("و", false),
    ("ف", false),
    ("ب", false),
    ("ل", false),
    ("ك", false),
    ("وب", false),
    ("ول", false),
    ("وك", false),
    ("فب", false),
    ("فل", false),
    ("فك", false),
    ("لل", true),
    ("ولل", true),
    ("فلل", true),
];

/// The shortest stem worth matching after proclitics, in chars.
const MIN_STEM: usize = 2;

/// Every reading of `word` (folded) as proclitics + stem, starting with the bare word,
/// so that names beginning with these letters (بغداد، لبنان، البوكمال) are tried whole first.
pub fn splits(word: &str) -> impl Iterator<Item = Split> + '_ {
    // Asked of every word: most start with no proclitic letter, and then the bare word is
    // the only reading.
    let proclitics = if word.starts_with(LETTERS) { PROCLITICS } else { &[] };
    std::iter::once(Split { len: 0, article_elided: false }).chain(
        proclitics
            .iter()
            .filter(move |(p, _)| word.strip_prefix(p).is_some_and(is_stem))
            .map(|&(p, article_elided)| Split { len: p.len(), article_elided }),
    )
}

/// Whether what follows the proclitics is long enough to be a word of its own. Counts only
/// the chars it needs, not the whole stem.
fn is_stem(rest: &str) -> bool {
    rest.chars().nth(MIN_STEM - 1).is_some()
}

/// Whether a folded word is nothing but clitics: a proclitic letter alone (و), the article
/// alone or after one (ال، وال، بال), or لل, where ل swallows the article's alef, alone or
/// after a conjunction (ولل). Longer runs are words as well (فك، وبال), and so is لال, as ل
/// before the article is always written لل.
///
/// ```
/// use archive::arabic::clitics::only_clitics;
/// assert!(only_clitics("وال") && only_clitics("لل"));
/// assert!(!only_clitics("فك") && !only_clitics("بغداد"));
/// ```
pub fn only_clitics(word: &str) -> bool {
    let one_letter = |w: &str| w.chars().count() == 1 && w.starts_with(LETTERS);
    one_letter(word)
        || word == "ال"
        || word.strip_suffix("ال").is_some_and(|p| one_letter(p) && p != "ل")
        || PROCLITICS.iter().any(|&(p, article_elided)| article_elided && p == word)
}

/// Strips proclitics from a single word when what is left is in `known`;
/// the bare word wins when it is known itself.
///
/// ```
/// use archive::arabic::clitics::strip_known;
/// let known = |w: &str| w == "بغداد" || w == "العراق";
/// assert_eq!(strip_known("وبغداد", known), Some("بغداد"));
/// assert_eq!(strip_known("بغداد", known), Some("بغداد"));
/// assert_eq!(strip_known("والعراق", known), Some("العراق"));
/// ```
pub fn strip_known(word: &str, known: impl Fn(&str) -> bool) -> Option<&str> {
    splits(word).filter(|s| !s.article_elided).map(|s| &word[s.len..]).find(|stem| known(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(word: &str) -> Vec<(String, bool)> {
        splits(word).map(|s| (word[s.len..].to_string(), s.article_elided)).collect()
    }

    #[test]
    fn bare_word_comes_first() {
        assert_eq!(stems("بغداد")[0], ("بغداد".to_string(), false));
        assert_eq!(stems("لبنان")[0], ("لبنان".to_string(), false));
        assert_eq!(stems("البوكمال")[0], ("البوكمال".to_string(), false));
    }

    #[test]
    fn conjunction_and_preposition_combine() {
        let s = stems("وبالحسكه");
        assert!(s.contains(&("بالحسكه".to_string(), false)));
        assert!(s.contains(&("الحسكه".to_string(), false)));
        assert!(stems("فلايران").contains(&("ايران".to_string(), false)));
    }

    #[test]
    fn lam_lam_elides_the_article() {
        let s = stems("للبوكمال");
        assert!(s.contains(&("بوكمال".to_string(), true)));
        assert!(stems("وللتحالف").contains(&("تحالف".to_string(), true)));
    }

    #[test]
    fn keeps_at_least_two_letters() {
        assert_eq!(stems("وب"), vec![("وب".to_string(), false)]);
        assert!(!stems("بك").iter().any(|(s, _)| s == "ك"));
    }

    #[test]
    fn every_proclitic_starts_with_a_proclitic_letter() {
        for (p, _) in PROCLITICS {
            assert!(p.starts_with(LETTERS), "{p}");
        }
    }

    #[test]
    fn split_offsets_are_char_boundaries() {
        for word in ["وبالحسكه", "للبوكمال", "فكاننا", "ك"] {
            for s in splits(word) {
                assert!(word.is_char_boundary(s.len));
            }
        }
    }

    #[test]
    fn strip_known_prefers_the_whole_word() {
        let known = |w: &str| matches!(w, "بعشره" | "عشره" | "ثلاثه");
        assert_eq!(strip_known("بعشره", known), Some("بعشره"));
        assert_eq!(strip_known("وثلاثه", known), Some("ثلاثه"));
        assert_eq!(strip_known("خمسه", known), None);
    }

    #[test]
    fn only_clitics_is_one_proclitic_and_the_article_at_most() {
        for word in ["و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل"]
        {
            assert!(only_clitics(word), "{word}");
        }
        for word in ["", "وب", "فك", "وبال", "لال", "الف", "بلل", "بغداد"] {
            assert!(!only_clitics(word), "{word}");
        }
    }
}
