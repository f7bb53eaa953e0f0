//! The context shown around a mention on an entity page: its sentence, or a dozen words
//! either side when the sentence is long.

use std::ops::Range;

/// Characters that end a sentence (and paragraph breaks).
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '\n')
}

/// How far to look for a sentence's end, in bytes: a text of one endless line must not
/// make every mention scan all of it.
const REACH: usize = 600;

/// The text before and after `span` within its sentence, each cut to `words` words with
/// "…" where it was cut. Offsets stay on char boundaries whatever the input.
pub fn around(text: &str, span: Range<usize>, words: usize) -> (String, String) {
    let floor = text.floor_char_boundary(span.start.saturating_sub(REACH));
    let ceiling = text.floor_char_boundary((span.end + REACH).min(text.len()));
    let before_start = text[floor..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends_sentence(c))
        .map_or(floor, |(i, c)| floor + i + c.len_utf8());
    let after_end = text[span.end..ceiling]
        .char_indices()
        .find(|&(_, c)| ends_sentence(c))
        .map_or(ceiling, |(i, c)| span.end + i + c.len_utf8());
    let before = text[before_start..span.start].trim_start();
    let after = text[span.end..after_end].trim_end();

    // Only the words nearest the mention are looked at.
    let before = match nth_last_word_start(before, words) {
        Some(start) => format!("… {}", &before[start..]),
        None => before.to_string(),
    };
    let after = match nth_word_end(after, words) {
        Some(_) if words == 0 => "…".to_string(),
        Some(end) => format!("{} …", &after[..end]),
        None => after.to_string(),
    };
    (before, after)
}

/// Where the `n`th word from the end of `s` starts, when there are more words before it.
fn nth_last_word_start(s: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return s.contains(|c: char| !c.is_whitespace()).then_some(s.len());
    }
    let mut seen = 0;
    let mut word_start = None;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            if let Some(start) = word_start.take() {
                seen += 1;
                if seen == n && s[..i].contains(|c: char| !c.is_whitespace()) {
                    return Some(start);
                }
            }
        } else {
            word_start = Some(i);
        }
    }
    None
}

/// Where the `n`th word of `s` ends (0 for none), when more words follow it.
fn nth_word_end(s: &str, n: usize) -> Option<usize> {
    let (mut seen, mut end, mut in_word) = (0, 0, false);
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            if seen == n {
                return Some(end);
            }
            seen += 1;
            in_word = true;
        }
        end = i + c.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_cuts_agree_with_counting_every_word() {
        let every_word = |s: &str| -> Vec<Range<usize>> {
            let mut out: Vec<Range<usize>> = Vec::new();
            for (i, c) in s.char_indices().filter(|(_, c)| !c.is_whitespace()) {
                match out.last_mut() {
                    Some(last) if last.end == i => last.end = i + c.len_utf8(),
                    _ => out.push(i..i + c.len_utf8()),
                }
            }
            out
        };
        let pieces = ["كلمة", " ", "  ", "\n", "ب", "x", "؟", "\u{a0}"];
        let mut seed = 7u32;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(seed % 12) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                s.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            let words = every_word(&s);
            for n in 0..5 {
                let start = words
                    .len()
                    .checked_sub(n)
                    .filter(|&cut| cut > 0)
                    .map(|cut| words.get(cut).map_or(s.len(), |w| w.start));
                assert_eq!(nth_last_word_start(&s, n), start, "{s:?} {n}");
                let end = words.get(n).map(|_| n.checked_sub(1).map_or(0, |m| words[m].end));
                assert_eq!(nth_word_end(&s, n), end, "{s:?} {n}");
            }
        }
    }

    #[test]
    fn short_sentences_are_shown_whole() {
        let text = "جملة أولى. قال رايدر إن الهجوم فشل. جملة ثالثة.";
        let at = text.find("رايدر").unwrap();
        let (b, a) = around(text, at..at + "رايدر".len(), 12);
        assert_eq!((b.as_str(), a.as_str()), ("قال ", " إن الهجوم فشل."));
    }

    #[test]
    fn long_sentences_are_cut_to_words_either_side() {
        let text = "واحد اثنان ثلاثة أربعة خمسة بدير الزور ستة سبعة ثمانية تسعة عشرة";
        let at = text.find("دير").unwrap();
        let (b, a) = around(text, at..at + "دير الزور".len(), 2);
        assert_eq!(b, "… خمسة ب");
        assert_eq!(a, " ستة سبعة …");
    }

    #[test]
    fn arabic_question_marks_end_sentences_on_char_boundaries() {
        let text = "لماذا؟ قال عمر إن بغداد بعيدة؟ ثم سكت";
        let at = text.find("بغداد").unwrap();
        let (b, a) = around(text, at..at + "بغداد".len(), 12);
        assert_eq!((b.as_str(), a.as_str()), ("قال عمر إن ", " بعيدة؟"));
    }

    #[test]
    fn an_endless_sentence_is_cut_near_the_mention() {
        let text = format!("{}دمشق{}", "كلمة ".repeat(10_000), " كلمة".repeat(10_000));
        let at = text.find("دمشق").unwrap();
        let (b, a) = around(&text, at..at + "دمشق".len(), 3);
        assert_eq!((b.as_str(), a.as_str()), ("… كلمة كلمة كلمة ", " كلمة كلمة كلمة …"));
    }

    #[test]
    fn paragraph_breaks_bound_the_context() {
        let text = "عنوان بلا نقطة\nفقرة عن دمشق";
        let at = text.find("دمشق").unwrap();
        let (b, a) = around(text, at..text.len(), 12);
        assert_eq!((b.as_str(), a.as_str()), ("فقرة عن ", ""));
    }
}
