//! Names the gazetteer does not know: the tagger's spans in an article, made into mentions
//! of discovered entities.
//!
//! Within one article a name is one entity however often it is written: a surname or first
//! name alone joins the full name the article gives («ترامب» after «دونالد ترامب»), and
//! the places the tagger missed where the article repeats a name it did find are filled in.
//! Which entity a name is across the archive, and whether it gets a page, is linking's
//! to say (see `link::discovered`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use super::tagger::features;
use super::tagger::lexicon::Lexicon;
use super::tagger::{self, Class, Tagger};
use crate::arabic::clitics;
use crate::arabic::fold::{fold, is_word_char, single_spaced, tokens, Folded};
use crate::domain::{Discovered, Kind, Mention};

/// A name found by the tagger, in folded coordinates of its run.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub run: usize,
    /// Folded byte range, proclitics of the first word left out.
    pub span: Range<usize>,
    pub kind: Kind,
    /// The folded words as written, proclitics left out (for لل, the article given back),
    /// joined by spaces.
    pub written: String,
    /// What the name stands for in this article: `written`, or the full name a lone
    /// surname joins.
    pub key: String,
    pub confidence: f32,
}

impl Name {
    /// A name found at `span` of the folded text of run `run`, standing for itself.
    pub fn found(run: usize, span: Range<usize>, kind: Kind, text: &str, confidence: f32) -> Name {
        let written = single_spaced(&text[span.clone()]);
        Name { run, span, kind, key: written.clone(), written, confidence }
    }
}

/// The lowest confidence (the model's probability of the name's least certain label) at
/// which a name is kept. Chosen on sentences held out of the model's training (not the
/// dev split), for a precision of about 85%: a wrong highlight shows, a missed one does
/// not. See README, Recognition.
pub const THRESHOLD: f32 = 0.7;

/// The names the tagger finds in the folded `runs` of an article, however unsure of them:
/// see [`THRESHOLD`].
pub fn tag(tagger: &Tagger, runs: &[&Folded]) -> Vec<Name> {
    let lexicon = &tagger.model().lexicon;
    let mut out = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let text = run.text.as_str();
        let all = tokens(text);
        for sentence in tagger::sentences(text, &all) {
            let words: Vec<&str> = sentence.iter().map(|t| &text[t.clone()]).collect();
            for span in tagger.tag(&words) {
                let Some(kind) = kind_of(span.class) else { continue };
                let Some(tokens) = without_particles(&words, span.tokens.clone(), lexicon) else { continue };
                for tokens in at_conjunctions(&words, tokens, kind, lexicon) {
                    let parts = &words[tokens.clone()];
                    if !is_name(parts) {
                        continue;
                    }
                    let (proclitic, stem) = lexicon.split(parts[0]);
                    if !proclitic.is_empty() && features::is_common_word(parts[0], lexicon) {
                        continue;
                    }
                    let mut written = stem.into_owned();
                    for p in &parts[1..] {
                        written.push(' ');
                        written.push_str(p);
                    }
                    let start = sentence[tokens.start].start + proclitic.len();
                    let end = sentence[tokens.end - 1].end;
                    let key = written.clone();
                    out.push(Name { run: r, span: start..end, kind, written, key, confidence: span.confidence });
                }
            }
        }
    }
    out
}

/// A tagged person's or place's tokens cut before each word read as و + a stem: two
/// people or places the tagger ran together («إيميلي وريان», «برشلونة وبلباو»). A word
/// that only starts with the letter (ووترهاوس, وليد) is read whole, and stays. A body's
/// name keeps its conjunctions («وزارة التربية والتعليم»).
fn at_conjunctions(words: &[&str], tokens: Range<usize>, kind: Kind, lexicon: &Lexicon) -> Vec<Range<usize>> {
    if kind == Kind::Organization {
        return vec![tokens];
    }
    let mut out = Vec::new();
    let mut start = tokens.start;
    for (i, word) in words.iter().enumerate().take(tokens.end).skip(tokens.start + 1) {
        if lexicon.split(word).0 == "و" {
            out.push(start..i);
            start = i;
        }
    }
    out.push(start..tokens.end);
    out
}

/// Particles, prepositions and pronouns, as written: no name starts or ends with one, so
/// one the tagger took in at an end of a name («فإن ترامب») is left out. على is not among
/// them: folded, it is the name علي.
const PARTICLES: &str = "إن أن في من عن إلى مع قد لقد ما لا لم لن هو هي هم او أو ثم الذي التي الذين بين حتى منذ \
    عند ضد عبر نحو لدى كل بعض هذا هذه ذلك تلك كما لكن إذا بأن لأن كان كانت قال قالت يقول";

/// The tokens of a tagged name without the particles at its ends (the first one read
/// without its proclitics, as the name is), or `None` when nothing else is left.
fn without_particles(words: &[&str], mut tokens: Range<usize>, lexicon: &Lexicon) -> Option<Range<usize>> {
    static SET: LazyLock<HashSet<String>> = LazyLock::new(|| PARTICLES.split_whitespace().map(fold).collect());
    while !tokens.is_empty() && SET.contains(lexicon.split(words[tokens.start]).1.as_ref()) {
        tokens.start += 1;
    }
    while !tokens.is_empty() && SET.contains(words[tokens.end - 1]) {
        tokens.end -= 1;
    }
    (!tokens.is_empty()).then_some(tokens)
}

fn kind_of(class: Class) -> Option<Kind> {
    match class {
        Class::Person => Some(Kind::Person),
        Class::Place => Some(Kind::Place),
        Class::Organization => Some(Kind::Organization),
        Class::Misc => None,
    }
}

/// Whether tagged tokens make a name worth an entity: words only (a mark inside cuts it),
/// with a letter, at most eight words.
fn is_name(parts: &[&str]) -> bool {
    parts.len() <= 8
        && parts.iter().all(|p| p.chars().all(is_word_char))
        && parts.iter().any(|p| p.chars().any(char::is_alphabetic))
}

/// Gives each body the name the tagger found right after it, as the rest of its name
/// («نادي باريس» + «سان جرمان»): a body's name runs on past its place. The head noun and
/// the place already make it a body, so the tagger need not be sure of the rest's type:
/// any name it read there, at any confidence, is where the body's name ends.
pub fn extend_bodies(bodies: &mut [Name], names: &mut Vec<Name>, runs: &[&Folded]) {
    let mut taken = vec![false; names.len()];
    for body in bodies.iter_mut() {
        let text = &runs[body.run].text;
        // Names are in text order: the first after the body is the only one that can follow it.
        let next = names.partition_point(|n| (n.run, n.span.start) < (body.run, body.span.end));
        let Some(rest) = names.get(next).filter(|n| n.run == body.run && !taken[next]) else { continue };
        if text[body.span.end..rest.span.start].trim().is_empty() {
            taken[next] = true;
            *body = Name::found(body.run, body.span.start..rest.span.end, body.kind, text, body.confidence);
        }
    }
    let mut taken = taken.into_iter();
    names.retain(|_| !taken.next().unwrap_or(false));
}

/// Whether a name's original words carry tanween (ً ٌ ٍ): an indefinite noun or adverb
/// («دوماً», always), which the name of a place or a body never is. A person's may be
/// («محمداً»), so this is asked of those two kinds only.
pub fn indefinite(original: &str) -> bool {
    original.chars().any(|c| ('\u{064B}'..='\u{064D}').contains(&c))
}

/// The id of a discovered entity: its folded words joined by hyphens. It depends on the
/// name alone, so it is the same in every build, and a curator can tell which spelling a
/// gazetteer entry must give to take its place (see `link::discovered`).
pub fn id_of(key: &str) -> String {
    key.split(' ').collect::<Vec<_>>().join("-")
}

/// Within one article: a lone first name or surname of a person joins the person's full
/// name, when the article gives exactly one full name with that word; then every further
/// place the article writes a name it found, or such a surname alone, the tagger having
/// missed it there, becomes a mention of it too.
pub fn within_article(names: &mut Vec<Name>, runs: &[&Folded], tagger: &Tagger) {
    // Full names by their first and last words.
    let mut full: HashMap<&str, Vec<&str>> = HashMap::new();
    for n in names.iter().filter(|n| n.kind == Kind::Person && n.key.contains(' ')) {
        let mut words = n.key.split(' ');
        for w in [words.next(), n.key.rsplit(' ').next()].into_iter().flatten() {
            let keys = full.entry(w).or_default();
            if !keys.contains(&n.key.as_str()) {
                keys.push(&n.key);
            }
        }
    }
    // The one full name with `word` as its first or last word, if the article has one only.
    let one_with = |word: &str| match full.get(word).map(Vec::as_slice) {
        Some([key]) => Some(*key),
        _ => None,
    };
    let joined: Vec<Option<String>> = names
        .iter()
        .map(|n| {
            let lone = n.kind == Kind::Person && !n.key.contains(' ');
            lone.then(|| one_with(&n.key)).flatten().map(str::to_string)
        })
        .collect();
    // The surnames a lone word may stand for: of a name the tagger is sure of, a word that
    // announces no name itself («ابو» of a name cut short), and that the model reads as a
    // person's name even without the words around it («الله» of «عبد الله» is no one).
    let surnames: Vec<Name> = names
        .iter()
        .filter(|n| n.kind == Kind::Person && n.confidence >= super::OVERRIDE)
        .filter_map(|n| {
            let last = n.key.rsplit_once(' ')?.1;
            let lone = one_with(last).is_some()
                && !features::announces_a_name(last)
                && tagger.reads_alone_as(last, Class::Person);
            lone.then(|| Name { written: last.to_string(), ..n.clone() })
        })
        .collect();
    for (n, key) in names.iter_mut().zip(joined) {
        if let Some(key) = key {
            n.key = key;
        }
    }
    fill_in(names, &surnames, runs, &tagger.model().lexicon);
}

/// Adds the places where the article writes, as whole words, a name the tagger found
/// elsewhere in it, or one of `surnames` (standing for its full name). Another one-word
/// name is filled in only where the tagger took it for a name at least as often as not, so
/// a word that is also a common word stays as tagged.
fn fill_in(names: &mut Vec<Name>, surnames: &[Name], runs: &[&Folded], lexicon: &Lexicon) {
    // Each written name's words, and what it stands for: the first tagging of it decides.
    let mut known: BTreeMap<Vec<&str>, &Name> = BTreeMap::new();
    let mut tagged: HashMap<&str, usize> = HashMap::new();
    for n in names.iter() {
        known.entry(n.written.split(' ').collect()).or_insert(n);
        *tagged.entry(&n.written).or_default() += 1;
    }
    // A surname the tagger took for a name alone keeps that reading, and its own rule.
    for n in surnames {
        known.entry(vec![n.written.as_str()]).or_insert(n);
    }
    // By first word, and by first word without its article, as a stem after لل lost it:
    // most words of an article start no name, and are passed over without reading them.
    let mut by_first: HashMap<&str, Vec<(&Vec<&str>, &Name)>> = HashMap::new();
    for (words, name) in &known {
        by_first.entry(words[0]).or_default().push((words, name));
    }
    let elided: HashSet<&str> = by_first.keys().filter_map(|w| w.strip_prefix("ال")).collect();
    let may_start = |token: &str| {
        clitics::splits(token).any(|s| {
            let rest = &token[s.len..];
            if s.article_elided {
                elided.contains(rest)
            } else {
                by_first.contains_key(rest)
            }
        })
    };
    let tagged_at: BTreeSet<(usize, usize)> = names.iter().map(|n| (n.run, n.span.start)).collect();
    let mut found: Vec<Name> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (r, run) in runs.iter().enumerate() {
        let text = run.text.as_str();
        let all = tokens(text);
        let mut i = 0;
        while i < all.len() {
            let token = &text[all[i].clone()];
            // The stem is the reading the tagger's features take (see `Lexicon::split`).
            let split = may_start(token).then(|| lexicon.split(token));
            let matches = |words: &&Vec<&str>| {
                i + words.len() <= all.len()
                    && words[1..].iter().zip(&all[i + 1..]).all(|(w, t)| *w == &text[t.clone()])
            };
            let candidates = split.as_ref().and_then(|(_, stem)| by_first.get(stem.as_ref())).into_iter().flatten();
            let Some((words, name)) = candidates.filter(|(w, _)| matches(w)).max_by_key(|(w, _)| w.len()) else {
                i += 1;
                continue;
            };
            *seen.entry(&name.written).or_default() += 1;
            let start = all[i].start + split.as_ref().map_or(0, |(proclitic, _)| proclitic.len());
            if !tagged_at.contains(&(r, start)) {
                let span = start..all[i + words.len() - 1].end;
                found.push(Name { run: r, span, ..(*name).clone() });
            }
            i += words.len();
        }
    }
    found.retain(|n| {
        let (tagged, seen) = (tagged.get(n.written.as_str()), seen.get(n.written.as_str()));
        n.written.contains(' ')
            || surnames.iter().any(|s| s.written == n.written && s.key == n.key)
            || 2 * tagged.copied().unwrap_or(0) >= seen.copied().unwrap_or(0)
    });
    names.extend(found);
}

/// The names as mentions of discovered entities, in original coordinates.
pub fn mentions(names: &[Name], runs: &[&Folded]) -> Vec<Mention> {
    names
        .iter()
        .map(|n| Mention {
            span: runs[n.run].original(n.span.clone()),
            kind: n.kind,
            entity: id_of(&n.key),
            amount: None,
            discovered: Some(Box::new(Discovered { key: n.key.clone(), page: true })),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_at_the_ends_of_a_name_are_left_out() {
        let mut lexicon = Lexicon::default();
        lexicon.words.insert("ان".into(), super::super::tagger::lexicon::Entry { count: 900, ..Default::default() });
        let words: Vec<String> = ["فان", "ترامب", "قال", "في"].map(fold).into();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(without_particles(&words, 0..2, &lexicon), Some(1..2), "ف + إن");
        assert_eq!(without_particles(&words, 1..4, &lexicon), Some(1..2));
        assert_eq!(without_particles(&words, 3..4, &lexicon), None);
        let ali: Vec<String> = ["علي", "عبدالله", "صالح"].map(fold).into();
        let ali: Vec<&str> = ali.iter().map(String::as_str).collect();
        assert_eq!(without_particles(&ali, 0..3, &lexicon), Some(0..3), "علي is a name");
    }

    /// The names of `text` after `within_article`, given the tagger found `found` (each a
    /// folded name and how sure it was) at its first place: (written, key) in text order.
    fn filled_in(text: &str, found: &[(&str, f32)]) -> Vec<(String, String)> {
        let run = Folded::new(text, 0);
        let mut names: Vec<Name> = found
            .iter()
            .map(|&(name, confidence)| {
                let at = run.text.find(&fold(name)).expect("the name is in the text");
                Name::found(0, at..at + fold(name).len(), Kind::Person, &run.text, confidence)
            })
            .collect();
        within_article(&mut names, &[&run], &Tagger::shared_built_in());
        names.sort_by_key(|n| n.span.start);
        names.into_iter().map(|n| (n.written, n.key)).collect()
    }

    #[test]
    fn a_surname_alone_joins_the_one_full_name_the_tagger_is_sure_of() {
        let talabani = "وقال الرئيس العراقي جلال طالباني إن العراق بخير. وحذر طالباني من التدخل.";
        let full = || ("جلال طالباني".to_string(), "جلال طالباني".to_string());
        let alone = ("طالباني".to_string(), "جلال طالباني".to_string());
        assert_eq!(filled_in(talabani, &[("جلال طالباني", 0.95)]), [full(), alone]);
        // A name the tagger was unsure of lends nothing.
        assert_eq!(filled_in(talabani, &[("جلال طالباني", 0.75)]), [full()]);
        // Two people of that surname: the word alone is neither.
        let two = "التقى جلال طالباني وقباد طالباني أمس. وقال طالباني إن الوضع هادئ.";
        assert_eq!(filled_in(two, &[("جلال طالباني", 0.95), ("قباد طالباني", 0.95)]).len(), 2);
        // A last word that announces a name, or that the model never reads as one alone.
        let cut = "وقدم الفنان عزت ابو عوف برنامجا. وقال ابو بكر إنه سيعود.";
        assert_eq!(filled_in(cut, &[("عزت ابو", 0.95)]).len(), 1);
        let faith = "وقال اياد جمال الدين إن الدين لله والوطن للجميع.";
        assert_eq!(filled_in(faith, &[("اياد جمال الدين", 0.99)]).len(), 1);
    }

    #[test]
    fn a_common_word_is_not_read_as_a_proclitic_and_a_name() {
        // «سان» (of San Francisco) is more frequent than «لسان» (a tongue), so the tagger
        // reads ل + سان, and would tag a place.
        let run = Folded::new("وقالت الوزارة على لسان السكرتير الصحافي إن القصف توقف.", 0);
        let names = tag(&Tagger::shared_built_in(), &[&run]);
        assert!(names.iter().all(|n| n.written != "سان"), "{names:?}");
        // A name after a proclitic is still one.
        let run = Folded::new("وقال مسؤول إن الوفد وصل لطهران ثم عاد لبغداد أمس.", 0);
        let names: Vec<String> = tag(&Tagger::shared_built_in(), &[&run]).into_iter().map(|n| n.written).collect();
        assert!(names.contains(&"طهران".to_string()) && names.contains(&"بغداد".to_string()), "{names:?}");
    }

    #[test]
    fn people_and_places_joined_by_a_conjunction_are_two() {
        let tagger = Tagger::shared_built_in();
        let lexicon = &tagger.model().lexicon;
        let cut = |text: &str, kind: Kind| -> Vec<String> {
            let words: Vec<String> = text.split(' ').map(fold).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            at_conjunctions(&words, 0..words.len(), kind, lexicon).into_iter().map(|t| words[t].join(" ")).collect()
        };
        assert_eq!(cut("برشلونة وبلباو", Kind::Place), [fold("برشلونة"), fold("وبلباو")]);
        assert_eq!(cut("إيميلي وريان", Kind::Person), [fold("إيميلي"), fold("وريان")]);
        assert_eq!(cut("تيمور وليد جنبلاط", Kind::Person).len(), 1, "و of the name itself");
        assert_eq!(cut("برايس ووترهاوس", Kind::Person).len(), 1);
        assert_eq!(cut("وزارة التربية والتعليم", Kind::Organization).len(), 1);
    }

    #[test]
    fn ids_join_the_folded_words_with_hyphens() {
        assert_eq!(id_of("دونالد ترامب"), "دونالد-ترامب");
        assert_eq!(id_of("دبي"), "دبي");
    }
}
