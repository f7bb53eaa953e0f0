//! What the tagger looks at: features of each token and of its neighbours, the same for
//! training and for tagging.
//!
//! A token's features depend on the token alone (its folded form, stem, affixes, shape,
//! word cluster, trigger class), and a tagged token sees those of the tokens up to two
//! places away, each feature named with its offset («-1s=قال»). Because nothing depends
//! on a pair of tokens, the tagger can add up a word's weights once per word and offset,
//! and reuse the sums wherever the word occurs (see `Tagger`).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::lexicon::{Lexicon, Named};
use crate::arabic::fold::{fold, is_word_char};

/// How far a token looks on either side.
pub const REACH: usize = 2;

/// Offsets from the tagged token, as slots: slot `REACH + o` is offset `o`.
pub const SLOTS: usize = 2 * REACH + 1;

/// Each slot's offset as feature names write it.
const OFFSETS: [&str; SLOTS] = ["-2", "-1", "0", "1", "2"];

/// What a feature describes. Each has a short code, so that feature names stay small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Always there: the label's own weight.
    Bias,
    /// The folded form.
    Word,
    /// The form without proclitics (و ف ب ل ك), as the corpus reads it.
    Stem,
    /// The stem without the article ال.
    Bare,
    /// The proclitics taken off.
    Proclitic,
    /// First letters of the bare stem.
    Prefix(u8),
    /// Last letters of the stem.
    Suffix(u8),
    /// Script and punctuation.
    Shape,
    /// Letters in the bare stem, bucketed.
    Length,
    /// The stem's word cluster at a depth of the cluster tree, 1 (coarse) to 3.
    Cluster(u8),
    /// Titles, head nouns of bodies and places, verbs of saying: see `trigger`.
    Trigger,
    /// How often the unlabelled text has the stem, on a log scale: names are rarer words.
    Frequency,
    /// How often the unlabelled text writes the bare stem with the article: a name seldom
    /// takes it (ترامب, never الترامب), a common noun does.
    Article,
    /// How often it writes the bare stem with a suffix (ـه، ـها، ـات، ـون…): nouns and verbs
    /// inflect, names hardly ever.
    Inflects,
    /// How often the stem comes one or two words after a title, or the head noun of a place
    /// or a body: names the annotated data never showed are announced in the unlabelled text.
    Announced,
    /// How often a model trained before tagged the stem as part of a name of each kind in
    /// the unlabelled text: what the text says of a word where the annotated data is silent.
    Tagged,
}

impl Template {
    fn code(self) -> &'static str {
        match self {
            Template::Bias => "b",
            Template::Word => "w",
            Template::Stem => "s",
            Template::Bare => "a",
            Template::Proclitic => "pc",
            Template::Prefix(2) => "p2",
            Template::Prefix(_) => "p3",
            Template::Suffix(1) => "x1",
            Template::Suffix(2) => "x2",
            Template::Suffix(_) => "x3",
            Template::Shape => "sh",
            Template::Length => "ln",
            Template::Cluster(1) => "c1",
            Template::Cluster(2) => "c2",
            Template::Cluster(_) => "c3",
            Template::Trigger => "t",
            Template::Frequency => "fq",
            Template::Article => "al",
            Template::Inflects => "in",
            Template::Announced => "an",
            Template::Tagged => "tg",
        }
    }

    /// Whether a token `offset` places away from the tagged one shows this feature.
    fn seen_at(self, offset: isize) -> bool {
        match offset.unsigned_abs() {
            0 => true,
            1 => matches!(
                self,
                Template::Word
                    | Template::Stem
                    | Template::Bare
                    | Template::Shape
                    | Template::Cluster(_)
                    | Template::Trigger
                    | Template::Proclitic
                    | Template::Article
                    | Template::Inflects
                    | Template::Announced
                    | Template::Tagged
            ),
            _ => matches!(self, Template::Stem | Template::Cluster(2) | Template::Cluster(3) | Template::Trigger),
        }
    }
}

/// One feature of a token: what it describes and its value.
pub type Feature = (Template, String);

/// The stand-in for the tokens before a sentence's first and after its last.
pub const BEFORE: &str = "<s>";
pub const AFTER: &str = "</s>";

/// The features of one folded token, whatever its neighbours.
pub fn of_token(token: &str, lexicon: &Lexicon) -> Vec<Feature> {
    let mut out = vec![(Template::Bias, String::new())];
    if token == BEFORE || token == AFTER {
        out.push((Template::Word, token.to_string()));
        return out;
    }
    let shape = shape(token);
    out.push((Template::Shape, shape.to_string()));
    if shape != "A" && shape != "L" {
        // Digits and punctuation: the shape says it, and the form for marks («, (, :).
        if shape.starts_with('P') {
            out.push((Template::Word, token.to_string()));
        }
        return out;
    }
    out.push((Template::Word, token.to_string()));
    let (proclitic, stem) = lexicon.split(token);
    if !proclitic.is_empty() {
        out.push((Template::Proclitic, proclitic.to_string()));
    }
    let stem = stem.as_ref();
    out.push((Template::Stem, stem.to_string()));
    let bare = stem.strip_prefix("ال").filter(|b| b.chars().count() >= 2).unwrap_or(stem);
    if bare.len() != stem.len() {
        out.push((Template::Bare, bare.to_string()));
    }
    let chars: Vec<char> = bare.chars().collect();
    for n in [2u8, 3] {
        if chars.len() > n as usize {
            out.push((Template::Prefix(n), chars[..n as usize].iter().collect()));
        }
    }
    let stem_chars: Vec<char> = stem.chars().collect();
    for n in [1u8, 2, 3] {
        if stem_chars.len() > n as usize {
            out.push((Template::Suffix(n), stem_chars[stem_chars.len() - n as usize..].iter().collect()));
        }
    }
    let length = match chars.len() {
        0..=2 => "2",
        3 => "3",
        4 => "4",
        5 => "5",
        6 | 7 => "6",
        _ => "8",
    };
    out.push((Template::Length, length.to_string()));
    if let Some(path) = lexicon.cluster(stem) {
        for depth in 1..=3u8 {
            out.push((Template::Cluster(depth), path.prefix(depth)));
        }
    }
    if let Some(class) = trigger(stem) {
        out.push((Template::Trigger, class.to_string()));
    }
    out.extend(morphology(stem, bare, lexicon));
    out
}

/// Suffixes of nouns and verbs (folded: ة is ه), which names seldom take.
const SUFFIXES: [&str; 8] = ["ه", "ها", "هم", "هما", "ات", "ين", "ون", "كم"];
/// Forms seen fewer times than this tell nothing.
const ENOUGH: u32 = 5;

/// How often the unlabelled text writes a bare form: as it is, with the article, and with
/// one of the [`SUFFIXES`].
struct Forms {
    plain: u32,
    with_article: u32,
    inflected: u32,
}

impl Forms {
    fn of(bare: &str, lexicon: &Lexicon) -> Forms {
        Forms {
            plain: lexicon.count(bare),
            with_article: lexicon.count(&format!("ال{bare}")),
            inflected: SUFFIXES.iter().map(|s| lexicon.count(&format!("{bare}{s}"))).sum(),
        }
    }

    /// How often the form takes the article, bucketed by [`share`], if seen enough to tell.
    fn article(&self) -> Option<&'static str> {
        let whole = self.plain + self.with_article;
        (whole >= ENOUGH).then(|| share(self.with_article, whole))
    }

    /// How often it takes a suffix, the same way.
    fn inflects(&self) -> Option<&'static str> {
        let whole = self.plain + self.inflected;
        (whole >= ENOUGH).then(|| share(self.inflected, whole))
    }
}

/// Whether the unlabelled text writes the folded `word`, as it stands, as a common noun or
/// verb does: with the article or a suffix at least a tenth of the time. Such a word read
/// as a proclitic and a name (لسان as ل + سان) is the word, not the name.
pub(crate) fn is_common_word(word: &str, lexicon: &Lexicon) -> bool {
    let forms = Forms::of(word, lexicon);
    [forms.article(), forms.inflects()].into_iter().flatten().any(|bucket| matches!(bucket, "2" | "3"))
}

/// What the unlabelled text says of a stem's forms: how frequent it is, how often its bare
/// form takes the article and suffixes, and how often it is announced as a name or tagged
/// as one, each bucketed; all but the first only when the text has enough of the forms to
/// tell.
fn morphology(stem: &str, bare: &str, lexicon: &Lexicon) -> Vec<Feature> {
    let count = lexicon.count(stem);
    // 0 unseen (or too rare to be kept), then one bucket per doubling, capped.
    let log = (u32::BITS - count.leading_zeros()).min(16);
    let mut out = vec![(Template::Frequency, log.to_string())];
    let forms = Forms::of(bare, lexicon);
    if let Some(bucket) = forms.article() {
        out.push((Template::Article, bucket.to_string()));
    }
    if let Some(bucket) = forms.inflects() {
        out.push((Template::Inflects, bucket.to_string()));
    }
    if count >= ENOUGH {
        for what in Named::ALL {
            let announced = lexicon.announced(stem, what);
            if announced > 0 {
                out.push((Template::Announced, format!("{}{}", what.code(), share(announced, count))));
            }
            let tagged = lexicon.tagged(stem, what);
            if tagged > 0 {
                out.push((Template::Tagged, format!("{}{}", what.code(), share(tagged, count))));
            }
        }
    }
    out
}

/// `part` of `whole` in four buckets: none, under a tenth, under half, more.
fn share(part: u32, whole: u32) -> &'static str {
    match part {
        0 => "0",
        _ if part * 10 < whole => "1",
        _ if part * 2 < whole => "2",
        _ => "3",
    }
}

/// The name of `feature` as seen from a token `offset` places away, or `None` where it is
/// not looked at. The names are the model's: `archive train` learns a weight per name.
pub fn name(feature: &Feature, offset: isize, into: &mut String) -> bool {
    if !feature.0.seen_at(offset) {
        return false;
    }
    into.clear();
    // Built piece by piece: this runs for every feature of every new word.
    into.push_str(OFFSETS[(offset + REACH as isize) as usize]);
    into.push_str(feature.0.code());
    into.push('=');
    into.push_str(&feature.1);
    true
}

/// What a token shows in features of pairs of tokens: its word cluster at depth 2, else its
/// shape («A» for an Arabic word without a cluster).
pub fn pair_key(features: &[Feature]) -> &str {
    let of = |t: Template| features.iter().find(|f| f.0 == t).map(|f| f.1.as_str());
    of(Template::Cluster(2)).or_else(|| of(Template::Shape)).or_else(|| of(Template::Word)).unwrap_or("")
}

/// The pair features of a token whose key is `this`: with the token before, and with the
/// token after. Names and surnames come in pairs of clusters the text has seen together.
pub fn pair_names(before: &str, this: &str, after: &str) -> [String; 2] {
    [format!("<{before}|{this}"), format!(">{this}|{after}")]
}

/// Every feature name of token `i` of a sentence, for training: its own features and
/// its neighbours', each under its offset, and its pairs.
pub fn names_at(sentence: &[Vec<Feature>], before: &[Feature], after: &[Feature], i: usize) -> Vec<String> {
    let key = |j: isize| {
        if j < 0 {
            pair_key(before)
        } else if j as usize >= sentence.len() {
            pair_key(after)
        } else {
            pair_key(&sentence[j as usize])
        }
    };
    let i_ = i as isize;
    let mut out: Vec<String> = pair_names(key(i_ - 1), key(i_), key(i_ + 1)).into();
    let mut name_buf = String::new();
    for slot in 0..SLOTS {
        let offset = slot as isize - REACH as isize;
        let j = i as isize + offset;
        let features = if j < 0 {
            before
        } else if j as usize >= sentence.len() {
            after
        } else {
            &sentence[j as usize]
        };
        for f in features {
            if name(f, offset, &mut name_buf) {
                out.push(name_buf.clone());
            }
        }
    }
    out
}

/// A token's script: "A" Arabic letters, "L" Latin, "D" digits, "P" and the mark for
/// punctuation, "M" anything mixed.
fn shape(token: &str) -> String {
    let mut arabic = false;
    let mut latin = false;
    let mut digit = false;
    for c in token.chars() {
        match c {
            '0'..='9' => digit = true,
            'a'..='z' | 'A'..='Z' => latin = true,
            c if is_word_char(c) && ('\u{0600}'..='\u{06FF}').contains(&c) => arabic = true,
            c if is_word_char(c) => latin = true,
            _ => {}
        }
    }
    match (arabic, latin, digit) {
        (false, false, false) => format!("P{token}"),
        (true, false, false) => "A".into(),
        (false, true, false) => "L".into(),
        (false, false, true) => "D".into(),
        _ => "M".into(),
    }
}

/// Words that announce a name: what kind of name follows (or precedes) them. Written as
/// Arabic is, folded once into a table.
fn trigger(stem: &str) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        LISTS.iter().flat_map(|(list, class)| list.split_whitespace().map(move |w| (fold(w), *class))).collect()
    });
    TABLE.get(stem).copied()
}

/// What kind of name the folded stem `word` announces when a name follows it, if any.
pub(crate) fn announces(word: &str) -> Option<Named> {
    match trigger(word)? {
        "title" => Some(Named::Person),
        "place" => Some(Named::Place),
        "body" => Some(Named::Organization),
        _ => None,
    }
}

/// Whether the folded `word` is one that announces a name (a title, a part of a name such
/// as «ابو», the head noun of a body or place): not a name by itself.
pub(crate) fn announces_a_name(word: &str) -> bool {
    trigger(word).is_some()
}

/// Each list is one string of words, written as Arabic is: folded into [`trigger`]'s table.
const PERSON: &str = "الرئيس رئيس الملك الامير الاميره الشيخ السيد السيده الدكتور الوزير \
    وزير وزيره النائب السفير الجنرال اللواء العميد العقيد المستشار المتحدث \
    الناطق المدرب اللاعب الفنان الفنانه النجم النجمه المطرب المطربه الممثل \
    الممثله الكاتب الشاعر المخرج الصحفي القاضي البابا الامام المرشح الزعيم \
    القائد السيناتور المدير مدير نائب زعيم قائد رئيسه الرئيسه";
const NAME_PART: &str = "بن ابن ابو عبد بنت ال";
const SAYING: &str = "قال قالت أكد أكدت أعلن أعلنت أضاف أضافت صرح أوضح أشار كشف نفى دعا طالب";
const BODY: &str = "شركه وزاره حزب منظمه جامعه مجلس اتحاد نادي وكاله بنك مصرف صحيفه قناه \
    هيئه جمعيه مؤسسه جبهه حركه جماعه لجنه محكمه مركز معهد صندوق مجموعه \
    منتخب فريق تنظيم قوات جيش كتائب فيلق مكتب بورصه سوق الشركه الوزاره \
    الحزب المنظمه الجامعه المجلس الاتحاد النادي الوكاله البنك الصحيفه \
    القناه الهيئه الجمعيه المؤسسه الجبهه الحركه الجماعه اللجنه المحكمه \
    المركز المعهد الصندوق المجموعه المنتخب الفريق التنظيم القوات الجيش \
    الكتائب";
const PLACE: &str = "مدينه محافظه ولايه منطقه قريه بلده نهر بحر جزيره عاصمه اقليم دوله \
    مقاطعه شارع ميدان مطار ريف جبل بحيره خليج قطاع المدينه المحافظه \
    الولايه المنطقه القريه البلده العاصمه الاقليم الدوله جمهوريه مملكه \
    المملكه الجمهوريه اماره الاماره";
const DIRECTION: &str = "في الي من بين نحو شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط قرب داخل \
    خارج عاصمتها";

const LISTS: [(&str, &str); 6] =
    [(PERSON, "title"), (NAME_PART, "part"), (SAYING, "say"), (BODY, "body"), (PLACE, "place"), (DIRECTION, "dir")];

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(token: &str) -> Vec<String> {
        of_token(&fold(token), &Lexicon::default()).iter().map(|(t, v)| format!("{}={v}", t.code())).collect()
    }

    #[test]
    fn a_word_has_its_form_affixes_and_shape() {
        let f = codes("الرئيس");
        for expected in ["b=", "w=الرييس", "s=الرييس", "a=رييس", "p2=ري", "x1=س", "sh=A", "t=title"]
        {
            assert!(f.contains(&expected.to_string()), "{expected} in {f:?}");
        }
    }

    #[test]
    fn the_unlabelled_text_tells_how_a_stem_inflects() {
        let lexicon = Lexicon {
            words: [("ترامب", 900), ("وزير", 800), ("الوزير", 700), ("وزيره", 300), ("وزيرها", 40)]
                .iter()
                .map(|&(w, count)| {
                    let announced = if w == "ترامب" { [400, 0, 0] } else { [0; 3] };
                    let tagged = if w == "ترامب" { [880, 20, 0] } else { [0; 3] };
                    (fold(w), super::super::lexicon::Entry { count, cluster: None, announced, tagged })
                })
                .collect(),
        };
        let of = |t: &str| -> Vec<String> {
            of_token(&fold(t), &lexicon)
                .into_iter()
                .filter(|f| {
                    matches!(
                        f.0,
                        Template::Frequency
                            | Template::Article
                            | Template::Inflects
                            | Template::Announced
                            | Template::Tagged
                    )
                })
                .map(|(t, v)| format!("{}={v}", t.code()))
                .collect()
        };
        // A name: never with the article, never inflected, often after a title, most often
        // tagged as a person by a model before, seldom as a place.
        assert_eq!(of("ترامب"), ["fq=10", "al=0", "in=0", "an=p2", "tg=p3", "tg=l1"]);
        // A noun: often with the article, and with suffixes. Seen with the article, the stem
        // is read without it.
        assert_eq!(of("وزير"), ["fq=10", "al=2", "in=2"]);
        assert_eq!(of("الوزير"), ["fq=10", "al=2", "in=2"]);
        // Unknown: too rare to say.
        assert_eq!(of("كولو"), ["fq=0"]);
    }

    #[test]
    fn a_word_the_text_inflects_is_a_common_word() {
        let lexicon = Lexicon {
            words: [("لسان", 293), ("لسانه", 42), ("اللسان", 18), ("لطهران", 40), ("طهران", 900)]
                .iter()
                .map(|&(w, count)| (fold(w), super::super::lexicon::Entry { count, ..Default::default() }))
                .collect(),
        };
        assert!(is_common_word("لسان", &lexicon));
        assert!(!is_common_word("لطهران", &lexicon), "never with the article or a suffix");
        assert!(!is_common_word("لوكاس", &lexicon), "too rare to tell");
    }

    #[test]
    fn digits_and_marks_are_shapes() {
        assert_eq!(codes("2021"), ["b=", "sh=D"]);
        assert_eq!(codes("«"), ["b=", "sh=P«", "w=«"]);
        assert_eq!(codes(BEFORE), ["b=", "w=<s>"]);
    }

    #[test]
    fn neighbours_show_fewer_features_under_their_offset() {
        let lex = Lexicon::default();
        let sentence: Vec<Vec<Feature>> = ["قال", "الرئيس"].iter().map(|t| of_token(&fold(t), &lex)).collect();
        let before = of_token(BEFORE, &lex);
        let after = of_token(AFTER, &lex);
        let names = names_at(&sentence, &before, &after, 1);
        assert!(names.contains(&"-1w=قال".to_string()), "{names:?}");
        assert!(!names.contains(&"-2w=<s>".to_string()), "marks of the sentence's ends are seen next to them");
        assert!(names.contains(&"0t=title".to_string()));
        assert!(names.contains(&"1w=</s>".to_string()));
        assert!(!names.iter().any(|n| n.starts_with("-1x")), "suffixes are seen at offset 0 only");
    }
}
