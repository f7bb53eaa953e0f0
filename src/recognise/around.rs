//! What the words around a gazetteer's place say of it: a nationality adjective after a
//! noun («القوات السعودية») is no mention of the country, a place right after the head
//! noun of a body («جامعة القاهرة», «حزب مصر القوية») is part of the body's name, and a
//! city that a masculine nationality adjective follows is a team («ليون الفرنسي»), and one
//! right after the head noun of a competition is part of its name («دوري أبطال أوروبا»).
//!
//! Runs on folded text and its words (see `arabic::fold::words`).

use std::ops::Range;

use super::gazetteer::Gazetteer;
use crate::arabic::clitics;
use crate::arabic::fold::fold;
use crate::domain::NamedKind;

/// What the words around a place's name make of it.
pub enum Reading {
    Place,
    /// A nationality adjective, or part of the name of a competition: no mention of the
    /// place.
    NotAPlace,
    /// Part of the name of the body at this span of the folded run.
    Body(Range<usize>),
}

/// How the name of a place at `span` of a folded run reads among the words around it: the
/// one rule for the gazetteer's places and the tagger's.
pub fn read_place(text: &str, words: &[Range<usize>], span: &Range<usize>, nations: &Nations) -> Reading {
    if is_nationality(text, words, span) {
        Reading::NotAPlace
    } else if let Some(body) = named_after(text, words, span, BODY_HEADS) {
        Reading::Body(body)
    } else if named_after(text, words, span, COMPETITION_HEADS).is_some() {
        Reading::NotAPlace
    } else if is_team(text, words, span, nations) {
        Reading::Body(span.clone())
    } else {
        Reading::Place
    }
}

/// The names of nations a nationality adjective is made from: the one-word names of the
/// gazetteer's places that lie under no other (countries, continents), folded, with and
/// without the article, sorted.
pub struct Nations(Vec<String>);

impl Nations {
    pub fn of(gazetteer: &Gazetteer) -> Nations {
        let mut names: Vec<String> = gazetteer
            .entities
            .iter()
            .filter(|e| e.kind == NamedKind::Place && e.parent.is_none())
            .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
            .map(|n| fold(n))
            .filter(|n| !n.contains(' '))
            .flat_map(|n| {
                let bare = n.strip_prefix("ال").filter(|b| b.chars().count() >= 2).map(str::to_string);
                std::iter::once(n).chain(bare)
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        Nations(names)
    }

    /// Whether a folded word is the masculine nationality adjective of one of the nations:
    /// the article, the nation's name less its ending (ا, يا, ية or none), and ي
    /// («الاسباني» of «اسبانيا», «المصري» of «مصر», «النمساوي» of «النمسا»).
    fn has_adjective(&self, word: &str) -> bool {
        let Some(stem) = word.strip_prefix("ال").and_then(|w| w.strip_suffix('ي')) else { return false };
        let stems = [Some(stem), stem.strip_suffix('و')];
        stems.into_iter().flatten().filter(|s| s.chars().count() >= 3).any(|stem| {
            let first = self.0.partition_point(|n| n.as_str() < stem);
            self.0[first..]
                .iter()
                .take_while(|n| n.starts_with(stem))
                .any(|n| ["", "ا", "يا", "يه"].contains(&&n[stem.len()..]))
        })
    }
}

/// Whether the place's name at `span` is followed, with nothing between, by a masculine
/// nationality adjective: a city or country is feminine in Arabic, so the adjective agrees
/// with a masculine noun the place names, a team or a force («ريال مدريد الإسباني»,
/// «ستيوا بوخارست الروماني», «فيلق القدس الإيراني»). A feminine adjective agrees with
/// the place itself, which stays a place («باريس الفرنسية»).
fn is_team(text: &str, words: &[Range<usize>], span: &Range<usize>, nations: &Nations) -> bool {
    let after = words.partition_point(|w| w.start < span.end);
    let adjective =
        words.get(after).is_some_and(|w| joined(text, span.end, w.start) && nations.has_adjective(&text[w.clone()]));
    // After a noun of a site the adjective is the site's: «ميناء جازان السعودي» is a port.
    adjective && {
        let before = word_at(words, span.start).and_then(|w| w.checked_sub(1)).map(|w| &text[words[w].clone()]);
        !before.is_some_and(|b| SITE_NOUNS.contains(&b) || WHERE_NOUNS.contains(&b))
    }
}

/// Whether only spaces lie between byte `end` of a folded run and byte `start`: the words
/// there read together.
fn joined(text: &str, end: usize, start: usize) -> bool {
    text[end..start].trim().is_empty()
}

/// Masculine nouns of sites, folded, that a nationality adjective after a place describes.
const SITE_NOUNS: &[&str] =
    &["ميناء", "مرفا", "مطار", "سجن", "منتجع", "سد", "معبر", "اقليم", "مضيق", "نهر", "بحر", "خليج", "جبل"];

/// Nouns after which a nationality adjective names the country itself: «المملكة السعودية»
/// is Saudi Arabia, where «القوات السعودية» are the Saudi forces.
const STATE_NOUNS: &[&str] = &["المملكه", "الجمهوريه", "الدوله", "السلطنه", "الاماره", "الامارات", "البلاد"];

/// Words that start with ال but are no definite nouns, folded: إلى، إلا، الذي، التي، الآن…
const NOT_NOUNS: &[&str] =
    &["الي", "الا", "الذي", "التي", "الذين", "اللذان", "اللتان", "اللاتي", "اللواتي", "الان", "اليوم"];

/// Whether a place's name at `span` of a folded run is a nationality adjective describing
/// the definite noun before it («القوات السعودية», «الحكومة السعودية», «العاصمة السعودية»):
/// a one-word name with the article, shaped as the feminine adjective (ـية), with no
/// proclitic, right after a definite noun that is not a state's. Such an adjective is not
/// a mention of the country; the noun phrase is, where the gazetteer or the tagger names it.
fn is_nationality(text: &str, words: &[Range<usize>], span: &Range<usize>) -> bool {
    let name = &text[span.clone()];
    let Some(w) = word_at(words, span.start).filter(|&w| words[w].end == span.end) else { return false };
    if !(name.starts_with("ال") && name.ends_with("يه")) || w == 0 {
        return false;
    }
    let before = &words[w - 1];
    let noun = &text[before.clone()];
    let noun = clitics::splits(noun).map(|s| &noun[s.len..]).find(|n| n.starts_with("ال")).unwrap_or(noun);
    joined(text, before.end, span.start)
        && noun.starts_with("ال")
        && !STATE_NOUNS.contains(&noun)
        && !NOT_NOUNS.contains(&noun)
}

/// The word of `words` (in order) that starts at byte `start`: a search, not a scan, as a
/// run may be a 20 MB line.
fn word_at(words: &[Range<usize>], start: usize) -> Option<usize> {
    words.binary_search_by_key(&start, |w| w.start).ok()
}

/// Head nouns of the names of bodies, folded, written without the article as a name
/// begins: a place right after one is part of the body's name.
const BODY_HEADS: &[&str] = &[
    "حزب",
    "جامعه",
    "نادي",
    "شركه",
    "وزاره",
    "منظمه",
    "مجلس",
    "اتحاد",
    "وكاله",
    "بنك",
    "مصرف",
    "صحيفه",
    "قناه",
    "هييه",
    "جمعيه",
    "موسسه",
    "جبهه",
    "حركه",
    "جماعه",
    "لجنه",
    "محكمه",
    "مركز",
    "معهد",
    "صندوق",
    "مجموعه",
    "منتخب",
    "فريق",
    "بورصه",
    "حكومه",
    "جيش",
];

/// Head nouns of the names of competitions, folded: a place right after one, or after one
/// and a noun it governs, names the competition («كأس آسيا», «دوري أبطال أوروبا», «بطولة
/// فرنسا المفتوحة»), which is no mention of a type the archive shows.
const COMPETITION_HEADS: &[&str] = &["دوري", "كاس", "بطوله"];

/// Definite adjectives taken into a body's name after its place, at most.
const ADJECTIVES: usize = 3;

/// Nouns of where a place is, folded: between a body's head noun and a place they make a
/// place, not a body's name («مركز مدينة حلب» is the centre of Aleppo).
const WHERE_NOUNS: &[&str] = &[
    "مدينه",
    "محافظه",
    "ولايه",
    "مقاطعه",
    "منطقه",
    "ريف",
    "بلده",
    "قريه",
    "جنوب",
    "شمال",
    "شرق",
    "غرب",
    "وسط",
    "عاصمه",
    "اراضي",
    "حدود",
    "داخل",
    "خارج",
];

/// The name a place's name at `span` of a folded run belongs to, when the word before it
/// is one of the head nouns `heads` («جامعة القاهرة», «وحزب مصر القوية»), or a head noun
/// and one noun that it governs («وكالة أنباء الشرق الأوسط», «شركة ترسانة الإسكندرية»):
/// from the head noun, proclitics left out, to the place and the definite adjectives
/// after it.
fn named_after(text: &str, words: &[Range<usize>], span: &Range<usize>, heads: &[&str]) -> Option<Range<usize>> {
    let w = word_at(words, span.start)?;
    let head_at = |i: usize| {
        let head = words.get(i)?;
        let word = &text[head.clone()];
        let split = clitics::splits(word).filter(|s| !s.article_elided).find(|s| heads.contains(&&word[s.len..]))?;
        Some((head, split.len))
    };
    let (head, proclitic) = match head_at(w.checked_sub(1)?) {
        Some(found) => found,
        None => {
            // The noun the head governs: indefinite, as the first term of a construct is.
            let between = &words[w - 1];
            let noun = &text[between.clone()];
            let governed = !noun.starts_with("ال") && !WHERE_NOUNS.contains(&noun) && noun.chars().count() > 2;
            head_at(w.checked_sub(2)?).filter(|(h, _)| governed && joined(text, h.end, between.start))?
        }
    };
    if !joined(text, words[w - 1].end, span.start) {
        return None;
    }
    let mut end = span.end;
    let after = words.partition_point(|x| x.start < span.end);
    for word in words.iter().skip(after).take(ADJECTIVES) {
        let adjective = &text[word.clone()];
        if !joined(text, end, word.start) || !adjective.starts_with("ال") || NOT_NOUNS.contains(&adjective) {
            break;
        }
        end = word.end;
    }
    Some(head.start + proclitic..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold::{fold, words};
    use crate::recognise::{Gazetteer, Kind, Recogniser};

    fn body(text: &str, place: &str) -> Option<String> {
        let folded = fold(text);
        let at = folded.find(&fold(place))?;
        let span = at..at + fold(place).len();
        named_after(&folded, &words(&folded), &span, BODY_HEADS).map(|r| folded[r].to_string())
    }

    #[test]
    fn a_place_after_the_head_noun_of_a_body_is_part_of_its_name() {
        assert_eq!(body("وأعلن حزب مصر القوية مقاطعة الانتخابات", "مصر").as_deref(), Some("حزب مصر القويه"));
        assert_eq!(body("قال أستاذ في جامعة القاهرة إن", "القاهرة").as_deref(), Some("جامعه القاهره"));
        assert_eq!(body("فاز منتخب مصر على", "مصر").as_deref(), Some("منتخب مصر"));
        assert_eq!(body("ولجامعة القاهرة", "القاهرة").as_deref(), Some("جامعه القاهره"));
        assert_eq!(body("زار رئيس مصر القاهرة", "مصر"), None, "a head of state is no body");
        assert_eq!(body("في جامعة، القاهرة", "القاهرة"), None, "punctuation between");
        assert_eq!(body("مصر", "مصر"), None);
        // The head and a noun it governs.
        assert_eq!(
            body("قال مدير وكالة أنباء الشرق الأوسط الرسمية", "الشرق الأوسط").as_deref(),
            Some("وكاله انباء الشرق الاوسط الرسميه")
        );
        assert_eq!(body("بشركة ترسانة الإسكندرية، حسب", "الإسكندرية").as_deref(), Some("شركه ترسانه الاسكندريه"));
        assert_eq!(body("في مركز مدينة حلب", "حلب"), None, "a noun of where is no part of a name");
        assert_eq!(body("قال رئيس وزراء مصر", "مصر"), None, "no head noun");
    }

    const PLACES: &str = "[[entity]]\nid = \"spain\"\ntype = \"place\"\nname = \"إسبانيا\"\n\
        [[entity]]\nid = \"austria\"\ntype = \"place\"\nname = \"النمسا\"\n\
        [[entity]]\nid = \"egypt\"\ntype = \"place\"\nname = \"مصر\"\n\
        [[entity]]\nid = \"mali\"\ntype = \"place\"\nname = \"مالي\"\n\
        [[entity]]\nid = \"south-africa\"\ntype = \"place\"\nname = \"جنوب أفريقيا\"\n\
        [[entity]]\nid = \"madrid\"\ntype = \"place\"\nname = \"مدريد\"\nparent = \"spain\"\n";

    /// What recognition without the tagger finds in a text, with the gazetteer `toml`.
    fn reader(toml: &str) -> impl Fn(&str) -> Vec<(String, Kind)> {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), toml).unwrap();
        let r = Recogniser::new(&g, None);
        move |text| crate::recognise::tests::shown(&r, text)
    }

    /// The same, the texts only.
    fn texts(found: Vec<(String, Kind)>) -> Vec<String> {
        found.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn a_place_in_the_name_of_a_competition_is_no_mention() {
        let reader = reader(PLACES);
        let read = |text: &str| texts(reader(text));
        assert!(read("تأهل إلى نهائي دوري أبطال إسبانيا").is_empty(), "head and governed noun");
        assert!(read("وفاز بكأس مصر للمرة الثالثة").is_empty(), "a proclitic on the head");
        assert!(read("في بطولة النمسا المفتوحة").is_empty());
        assert_eq!(read("لعب في دوري مصر وفي إسبانيا"), ["إسبانيا"]);
        assert_eq!(read("كأس العالم في إسبانيا"), ["إسبانيا"], "a competition held in the place");
    }

    #[test]
    fn nationality_adjectives_are_read_from_the_nations_names() {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), PLACES).unwrap();
        let nations = Nations::of(&g);
        let adjective = |w: &str| nations.has_adjective(&fold(w));
        for yes in ["الإسباني", "الاسباني", "النمساوي", "المصري"] {
            assert!(adjective(yes), "{yes}");
        }
        // Not of a nation, of a nation's many-word name, of a city, or no adjective at all.
        for no in ["الدولي", "الجنوبي", "المدريدي", "الإسبانية", "إسباني", "مصري", "الماضي", "المالي"]
        {
            assert!(!adjective(no), "{no}");
        }
    }

    #[test]
    fn a_place_a_masculine_nationality_adjective_follows_is_a_team() {
        let read = reader(PLACES);
        // Without the tagger, a team's name is no mention at all; with it, an organisation's
        // (tests/discovery.rs).
        assert!(read("فاز ريال مدريد الإسباني على ضيفه").is_empty());
        assert_eq!(read("في مدريد الإسبانية أمس"), [("مدريد".to_string(), Kind::Place)]);
        assert_eq!(read("مطار مدريد الدولي"), [("مدريد".to_string(), Kind::Place)]);
        assert_eq!(read("إلى ميناء مدريد الإسباني"), [("مدريد".to_string(), Kind::Place)], "a site's adjective");
        assert_eq!(read("وصل إلى مدريد، الإسباني"), [("مدريد".to_string(), Kind::Place)], "punctuation between");
    }

    #[test]
    fn a_nationality_adjective_is_not_the_country() {
        let reader = reader(
            "[[entity]]\nid = \"saudi-arabia\"\ntype = \"place\"\nname = \"السعودية\"\naliases = [\"المملكة العربية السعودية\"]\n",
        );
        let ids = |text: &str| texts(reader(text));
        assert!(ids("أعلنت القوات السعودية").is_empty());
        assert!(ids("قالت الحكومة السعودية إن").is_empty());
        assert!(ids("في العاصمة السعودية الرياض").is_empty());
        assert_eq!(ids("وصل إلى السعودية أمس"), ["السعودية"]);
        assert_eq!(ids("أعلنت السعودية"), ["السعودية"]);
        assert_eq!(ids("بين إيران والسعودية"), ["السعودية"]);
        assert_eq!(ids("سفير المملكة السعودية"), ["السعودية"]);
        assert_eq!(ids("زار المملكة العربية السعودية"), ["المملكة العربية السعودية"]);
    }
}
