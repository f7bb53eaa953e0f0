//! Folding: the offset map, idempotence, words and proclitic splits on arbitrary text.
#![no_main]

use archive::arabic::clitics;
use archive::arabic::fold::{fold, words, Folded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let doc = String::from_utf8_lossy(rest);
    let doc = doc.as_ref();
    // Fold a suffix of the document, as recognition folds a run that starts at `base`.
    let mut base = usize::from(first) % (doc.len() + 1);
    while !doc.is_char_boundary(base) {
        base -= 1;
    }
    let text = &doc[base..];
    let folded = Folded::new(text, base);
    let f = folded.text.as_str();

    // Every char boundary of the folded text maps to a char boundary of the original,
    // inside the run, never decreasing; the end maps to the end.
    let mut last = base;
    let boundaries = f.char_indices().map(|(i, _)| i).chain(std::iter::once(f.len()));
    for i in boundaries {
        let at = folded.original(i..i).start;
        assert!(doc.is_char_boundary(at), "origin of folded byte {i} is {at}, not a char boundary");
        assert!((base..=doc.len()).contains(&at), "origin {at} outside the run {base}..{}", doc.len());
        assert!(at >= last, "origin map decreases at folded byte {i}: {last} then {at}");
        last = at;
    }
    assert_eq!(folded.original(f.len()..f.len()).end, doc.len());
    assert_eq!(folded.original(0..f.len()), folded.original(0..0).start..doc.len());

    // Idempotence: the folded text is its own fold.
    assert_eq!(fold(f), f, "folding is not idempotent");

    // Words: non-empty, sorted, disjoint, on char boundaries; each maps to a span of the
    // original that folds back to the word.
    let ws = words(f);
    let mut end = 0;
    for w in &ws {
        assert!(w.start < w.end && w.start >= end && w.end <= f.len(), "bad word {w:?}");
        assert!(f.is_char_boundary(w.start) && f.is_char_boundary(w.end));
        end = w.end;
        let span = folded.original(w.clone());
        assert!(span.start <= span.end && doc.is_char_boundary(span.start) && doc.is_char_boundary(span.end));
        let word = &f[w.clone()];
        assert_eq!(fold(&doc[span.clone()]), word, "word {word:?} maps to {:?}", &doc[span]);

        // Proclitic readings: the bare word first, then stems on char boundaries.
        let mut splits = clitics::splits(word);
        assert_eq!(splits.next().map(|s| s.len), Some(0));
        for s in splits {
            assert!(s.len > 0 && s.len < word.len() && word.is_char_boundary(s.len), "split {s:?} of {word:?}");
        }
        let _ = clitics::strip_known(word, |stem| stem.len() % 3 == 0);
    }
});
