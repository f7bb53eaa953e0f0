//! Text cut from an article: the context shown around a mention on an entity page (its
//! sentence, or a dozen words either side when the sentence is long), and the opening
//! sentences that describe an article away from its page.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::markdown;
use crate::domain::{Article, Cleaned};

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

/// Characters of an article's description at most: about what search engines show.
pub const DESCRIPTION: usize = 160;

/// What an article is about, for its page's description, its feed entries and its data:
/// its summary, else the opening of its paragraphs as plain text (see [`lead`]).
pub fn description(article: &Article, cleaned: &Cleaned) -> String {
    if let Some(summary) = article.meta.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        return lead(summary, DESCRIPTION);
    }
    let mut plain = String::new();
    let mut paragraphs = 0usize;
    for (event, _) in markdown::body_events(article, cleaned) {
        match event {
            Event::Start(Tag::Paragraph) => paragraphs += 1,
            Event::End(TagEnd::Paragraph) => {
                paragraphs = paragraphs.saturating_sub(1);
                plain.push('\n');
                // Enough for `lead` to cut: more than it keeps, even in letters of 4 bytes.
                if plain.len() > 4 * DESCRIPTION {
                    break;
                }
            }
            Event::Text(text) | Event::Code(text) if paragraphs > 0 => plain.push_str(&text),
            Event::SoftBreak | Event::HardBreak if paragraphs > 0 => plain.push('\n'),
            _ => {}
        }
    }
    lead(&plain, DESCRIPTION)
}

/// The opening of `text`, whitespace collapsed, at most `max` characters: its first
/// sentences, whole, when they fill at least half of it; else as many words as fit, and "…".
pub fn lead(text: &str, max: usize) -> String {
    let mut out = String::new();
    let (mut chars, mut sentences) = (0, 0);
    for word in text.split_whitespace() {
        let n = word.chars().count() + usize::from(!out.is_empty());
        if chars + n > max {
            if 2 * out[..sentences].chars().count() >= max {
                out.truncate(sentences);
                return out;
            }
            // Room for "…": the last word goes when the words fill the limit.
            if chars + 1 > max {
                out.truncate(out.rfind(' ').unwrap_or(0));
            }
            if out.is_empty() {
                out.extend(text.split_whitespace().next().unwrap_or_default().chars().take(max.saturating_sub(1)));
            }
            out.truncate(out.trim_end_matches(['،', ',', '؛', ';', ':', '-', '–']).len());
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        chars += n;
        if word.trim_end_matches(['»', '"', '”', '\'', ')']).ends_with(ends_sentence) {
            sentences = out.len();
        }
    }
    out
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
    fn a_lead_keeps_whole_sentences_when_they_fill_half_of_it() {
        let text = "قال البنتاغون إن الهجوم فشل.  وأضاف\u{a0}أن القوات ردت. ثم جملة طويلة جدا لا تتسع";
        assert_eq!(lead(text, 60), "قال البنتاغون إن الهجوم فشل. وأضاف أن القوات ردت.");
        assert_eq!(lead(text, 100), "قال البنتاغون إن الهجوم فشل. وأضاف أن القوات ردت. ثم جملة طويلة جدا لا تتسع");
        // One short sentence is too little: words up to the limit instead.
        assert_eq!(lead("قال البنتاغون. إن الهجوم على القاعدة فشل تماما", 30), "قال البنتاغون. إن الهجوم على…");
        assert_eq!(lead("قال: «انتهى». بعدها كلام كثير يطول ويطول", 30), "قال: «انتهى». بعدها كلام كثير…");
        assert_eq!(lead("كلمة، وأخرى، وثالثة", 13), "كلمة، وأخرى…");
        // No room for "…" after the words that fill the limit: the last goes.
        assert_eq!(lead("كلمة، وأخرى، وثالثة", 12), "كلمة…");
        assert_eq!(lead("نص قصير", 160), "نص قصير");
        // A word longer than the limit is cut inside it, on a character.
        assert_eq!(lead(&"ب".repeat(300), 10), format!("{}…", "ب".repeat(9)));
        for max in 0..40 {
            assert!(lead(text, max).chars().count() <= max.max(1), "{max}");
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
