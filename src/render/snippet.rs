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

    // Byte ranges of the words on each side.
    let word_ranges = |s: &str| -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.end == i => last.end = i + c.len_utf8(),
                _ => out.push(i..i + c.len_utf8()),
            }
        }
        out
    };
    let b = word_ranges(before);
    let before = match b.len().checked_sub(words) {
        Some(cut) if cut > 0 => format!("… {}", b.get(cut).map_or("", |r| &before[r.start..])),
        _ => before.to_string(),
    };
    let w = word_ranges(after);
    let after = match w.get(words) {
        Some(_) if words > 0 => format!("{} …", &after[..w[words - 1].end]),
        Some(_) => "…".to_string(),
        None => after.to_string(),
    };
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

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
