//! Folding: a matching key for Arabic text, with a map back to the original.
//!
//! The folded copy is only ever used to *find* things; every span found in it is mapped
//! back to byte offsets in the original, so pages show the text exactly as written.

use std::ops::Range;

/// A folded copy of some text and, for each folded byte, the offset of the original
/// character it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the original byte offset behind folded byte `i`; one extra entry
    /// holds the original length, so a folded end offset maps too. Never decreasing.
    origin: Vec<u32>,
}

/// Spelling variants of loanwords that Arabic outlets write both ways
/// (الأميركية / الأمريكية, ميليشيات / مليشيات). Applied after character folding,
/// so the patterns are already folded.
const VARIANTS: &[(&str, &str)] = &[("ميرك", "مريك"), ("ميليش", "مليش")];

impl Folded {
    /// Folds `text`, whose first byte sits at `base` in the original document.
    pub fn new(text: &str, base: usize) -> Folded {
        let mut out = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            if let Some(f) = fold_char(c) {
                out.push(f);
                origin.extend(std::iter::repeat_n((base + i) as u32, f.len_utf8()));
            }
        }
        origin.push((base + text.len()) as u32);
        let mut folded = Folded { text: out, origin };
        for (from, to) in VARIANTS {
            folded.replace(from, to);
        }
        folded
    }

    /// Maps a span of the folded text to the original. The end extends over anything
    /// folding dropped right after the span (diacritics, tatweel), so a highlighted word
    /// keeps its marks.
    pub fn original(&self, span: Range<usize>) -> Range<usize> {
        self.origin[span.start] as usize..self.origin[span.end] as usize
    }

    /// Replaces every `from` by `to` (no longer, chars in the same order) and keeps the map
    /// monotonic: each kept character keeps its own origin.
    fn replace(&mut self, from: &str, to: &str) {
        if !self.text.contains(from) {
            return;
        }
        let mut text = String::with_capacity(self.text.len());
        let mut origin = Vec::with_capacity(self.origin.len());
        let mut last = 0;
        for (at, _) in self.text.match_indices(from) {
            text.push_str(&self.text[last..at]);
            origin.extend_from_slice(&self.origin[last..at]);
            // Walk `from` and `to` together: `to` is `from` with characters dropped or
            // swapped in place, so map each output char to the input char at its position.
            let from_chars: Vec<(usize, char)> = from.char_indices().collect();
            for (k, c) in to.chars().enumerate() {
                let src = at + from_chars[k].0;
                let before = text.len();
                text.push(c);
                origin.extend(std::iter::repeat_n(self.origin[src], text.len() - before));
            }
            last = at + from.len();
        }
        text.push_str(&self.text[last..]);
        origin.extend_from_slice(&self.origin[last..]);
        self.text = text;
        self.origin = origin;
    }
}

/// Folds one string without keeping the map: for gazetteer aliases and lookup keys.
///
/// ```
/// use archive::arabic::fold::fold;
/// // Diacritics and tatweel go; alef forms, taa marbuta and alef maqsura are folded.
/// assert_eq!(fold("دَيْرُ الـزُّور"), fold("دير الزور"));
/// assert_eq!(fold("أمريكا"), fold("امريكا"));
/// assert_eq!(fold("سوريّة"), fold("سوريه"));
/// assert_eq!(fold("مستشفى"), fold("مستشفي"));
/// ```
pub fn fold(text: &str) -> String {
    Folded::new(text, 0).text
}

/// The folded form of one character, or `None` when matching ignores it.
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        // Arabic letters that stay as they are, most of any text: answered before the
        // ranges below and the slow Unicode whitespace lookup.
        'ء' | 'ا' | 'ب' | 'ت'..='غ' | 'ف'..='ه' | 'و' | 'ي' => c,
        // Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => return None,
        // Tatweel, zero-width and directional controls, BOM.
        '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => {
            return None
        }
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' | 'ئ' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ک' => 'ك',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        c if c.is_whitespace() => ' ',
        c => c.to_ascii_lowercase(),
    })
}

/// `s` with every run of whitespace made one space, and none at the ends: how aliases and
/// names matched with flexible spacing are compared.
///
/// ```
/// assert_eq!(archive::arabic::fold::single_spaced("  دير \n الزور "), "دير الزور");
/// ```
pub fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `c` (already folded) belongs to a word: letters and digits of any script.
pub fn is_word_char(c: char) -> bool {
    match c {
        // The common cases first: Unicode's general lookup is slow for Arabic letters.
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => true,
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    }
}

/// The words of a folded text, as byte ranges: runs of letters and digits. A comma or
/// point between two digits stays inside the word (1,500 and 2.5 are one number).
///
/// ```
/// use archive::arabic::fold::words;
/// let text = "قتل 1,500 في دير-الزور";
/// let found: Vec<&str> = words(text).into_iter().map(|w| &text[w]).collect();
/// assert_eq!(found, ["قتل", "1,500", "في", "دير", "الزور"]);
/// ```
pub fn words(folded: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in folded.char_indices() {
        let end = i + c.len_utf8();
        // Looks at the next char only for a separator after a digit, rarely.
        let joins_digits = matches!(c, ',' | '.' | '٫' | '٬')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && folded[end..].starts_with(|n: char| n.is_ascii_digit());
        if is_word_char(c) || joins_digits {
            match out.last_mut() {
                Some(last) if last.end == i => last.end = end,
                _ => out.push(i..end),
            }
        }
        prev = Some(c);
    }
    out
}

/// The tokens of a folded text, as byte ranges: its [`words`], and each mark of punctuation
/// between them on its own. What the tagger reads: «قال:» is the word and the colon.
pub fn tokens(folded: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for word in words(folded) {
        marks(folded, last..word.start, &mut out);
        last = word.end;
        out.push(word);
    }
    marks(folded, last..folded.len(), &mut out);
    out
}

/// Each char of `folded[range]` that is not a space, as a token of its own.
fn marks(folded: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    for (i, c) in folded[range.clone()].char_indices() {
        if !c.is_whitespace() {
            let at = range.start + i;
            out.push(at..at + c.len_utf8());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_alef_ya_ta_marbuta_and_digits() {
        assert_eq!(fold("أإآٱ ى ة ؤ ئ"), "اااا ي ه و ي");
        assert_eq!(fold("٢٠٢١/٠٢/٢٦"), "2021/02/26");
        assert_eq!(fold("۱۹"), "19");
    }

    #[test]
    fn drops_diacritics_tatweel_and_controls() {
        assert_eq!(fold("المقاومة الإسـلامية"), "المقاومه الاسلاميه");
        assert_eq!(fold("قتيلاً"), "قتيلا");
        assert_eq!(fold("شنَّت"), "شنت");
        assert_eq!(fold("\u{200F}سوريا\u{200E}"), "سوريا");
    }

    #[test]
    fn folds_loanword_variants() {
        assert_eq!(fold("الأميركية"), fold("الأمريكية"));
        assert_eq!(fold("ميليشيات"), fold("مليشيات"));
        assert_eq!(fold("لميليشيا"), "لمليشيا");
    }

    #[test]
    fn words_split_on_space_and_punctuation_but_keep_numbers_whole() {
        let text = fold("قال: 1,500 صاروخ، و2.5 مليون.");
        let w: Vec<&str> = words(&text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(w, ["قال", "1,500", "صاروخ", "و2.5", "مليون"]);
    }

    #[test]
    fn word_chars_agree_with_unicode() {
        for c in ('\0'..='\u{07FF}').chain(['\u{A0}', '\u{200F}', 'ﻻ', '中']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn tokens_are_words_and_marks() {
        let text = fold("قال: «دير الزور» (2021)،");
        let t: Vec<&str> = tokens(&text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(t, ["قال", ":", "«", "دير", "الزور", "»", "(", "2021", ")", "،"]);
        assert!(tokens(" \n ").is_empty());
    }

    #[test]
    fn nbsp_becomes_space() {
        assert_eq!(fold("دير\u{a0}الزور"), "دير الزور");
    }

    #[test]
    fn spans_map_back_to_char_boundaries_of_the_original() {
        let original = "قال الـمُتحدث إنّ الميليشيات الأميركية";
        let folded = Folded::new(original, 0);
        for (word, expected) in [("المتحدث", "الـمُتحدث"), ("المليشيات", "الميليشيات"), ("الامريكيه", "الأميركية")]
        {
            let at = folded.text.find(word).unwrap();
            let span = folded.original(at..at + word.len());
            assert!(original.is_char_boundary(span.start) && original.is_char_boundary(span.end));
            assert_eq!(&original[span], expected);
        }
    }

    #[test]
    fn trailing_marks_stay_with_their_word() {
        let original = "إنّ قتيلاً،";
        let folded = Folded::new(original, 0);
        let at = folded.text.find("قتيلا").unwrap();
        assert_eq!(&original[folded.original(at..at + "قتيلا".len())], "قتيلاً");
    }

    #[test]
    fn base_offset_shifts_every_span() {
        let doc = "عنوان\n\nدير الزور";
        let base = doc.find("دير").unwrap();
        let folded = Folded::new(&doc[base..], base);
        assert_eq!(&doc[folded.original(0..folded.text.len())], "دير الزور");
    }

    #[test]
    fn every_mapped_offset_is_a_char_boundary() {
        let original = "أَمْسِ الـثـلاثاء ٢٦ فبراير/شباط، الأميركية والميليشيات\u{a0}ـ";
        let folded = Folded::new(original, 0);
        for (i, _) in folded.text.char_indices() {
            let span = folded.original(i..folded.text.len());
            assert!(original.is_char_boundary(span.start), "{i}");
        }
        assert_eq!(folded.original(folded.text.len()..folded.text.len()).end, original.len());
    }
}
