//! Curation: `archive suggest` lists the entities the tagger found that the gazetteer
//! lacks, most named first, ready to review and paste; `archive check` reports what is
//! wrong or doubtful in the gazetteer, with file and line, without writing a site.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::arabic::fold::{fold, single_spaced, tokens};
use crate::domain::{EntityRef, Kind};
use crate::error::{Error, Result};
use crate::recognise::tagger::{self, Label, Tagger};
use crate::recognise::Gazetteer;
use crate::render::snippet;
use crate::{BuildOptions, Session};

/// A discovered entity as `archive suggest` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Person, place or organisation, as the tagger read it.
    pub kind: Kind,
    /// The discovered id: the folded words of its name.
    pub id: String,
    /// How the archive most often writes its full name.
    pub name: String,
    /// Every way the archive writes it, with how often, most frequent first.
    pub spellings: Vec<(String, usize)>,
    /// Slugs of the articles that name it, oldest first.
    pub articles: Vec<String>,
    /// How many times the archive names it.
    pub mentions: usize,
    /// Two mentions in their sentences, from two articles where it can.
    pub contexts: Vec<String>,
}

/// Words shown either side of a mention in a suggestion's contexts.
const CONTEXT_WORDS: usize = 8;

/// The discovered entities of an analysed archive, named in most articles first.
pub fn suggestions(session: &Session) -> Vec<Suggestion> {
    let mut by_entity: BTreeMap<EntityRef, Vec<(usize, usize)>> = BTreeMap::new();
    for &a in &session.index.chronological {
        for (i, m) in session.articles[a].mentions.iter().enumerate() {
            let curated = session.setup.gazetteer.get(&m.entity).is_some();
            if m.discovered.is_some() && !curated {
                by_entity.entry(m.key()).or_default().push((a, i));
            }
        }
    }
    let mut out: Vec<Suggestion> = by_entity
        .into_iter()
        .map(|(EntityRef { kind, id }, mentions)| {
            let text_of = |&(a, i): &(usize, usize)| {
                let article = &session.articles[a];
                &article.article.text[article.mentions[i].span.clone()]
            };
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for m in &mentions {
                *seen.entry(text_of(m)).or_default() += 1;
            }
            let mut spellings: Vec<(String, usize)> = seen.into_iter().map(|(s, n)| (s.to_string(), n)).collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let words = id.split('-').count();
            let name = spellings
                .iter()
                .find(|(s, _)| s.split_whitespace().count() == words)
                .or(spellings.first())
                .map_or_else(|| id.replace('-', " "), |(s, _)| s.clone());
            let mut articles: Vec<usize> = mentions.iter().map(|m| m.0).collect();
            articles.dedup();
            let context = |&(a, i): &(usize, usize)| {
                let article = &session.articles[a];
                let span = article.mentions[i].span.clone();
                let (before, after) = snippet::around(&article.article.text, span.clone(), CONTEXT_WORDS);
                format!("{before}«{}»{after}", &article.article.text[span])
            };
            // The first mention of the first two articles; of one article, its first two.
            let first_of = |a: usize| mentions.iter().find(|m| m.0 == a);
            let picked: Vec<&(usize, usize)> = match articles.get(1) {
                Some(&second) => [first_of(articles[0]), first_of(second)].into_iter().flatten().collect(),
                None => mentions.iter().take(2).collect(),
            };
            let contexts = picked.into_iter().map(context).collect();
            Suggestion {
                kind,
                id: id.to_string(),
                name,
                spellings,
                articles: articles.iter().map(|&a| session.articles[a].article.slug.clone()).collect(),
                mentions: mentions.len(),
                contexts,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.articles.len(), b.mentions)
            .cmp(&(a.articles.len(), a.mentions))
            .then_with(|| (a.kind, &a.id).cmp(&(b.kind, &b.id)))
    });
    out
}

impl Suggestion {
    /// The suggestion for reading, as number `rank` of the list: type, name, counts,
    /// spellings, two contexts, articles.
    pub fn describe(&self, rank: usize) -> String {
        let spellings: Vec<String> = self.spellings.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        let mut out = format!(
            "{rank:>4}. {} «{}» — {} articles, {} mentions\n      spellings: {}\n",
            self.kind,
            self.name,
            self.articles.len(),
            self.mentions,
            spellings.join("، ")
        );
        for c in &self.contexts {
            out.push_str(&format!("      {}\n", c.replace('\n', " ")));
        }
        let shown: Vec<&str> = self.articles.iter().take(5).map(String::as_str).collect();
        let more = self.articles.len().saturating_sub(shown.len());
        out.push_str(&format!("      articles: {}", shown.join(", ")));
        if more > 0 {
            out.push_str(&format!(" and {more} more"));
        }
        out.push('\n');
        out
    }

    /// The suggestion as a gazetteer entry to review and paste into entities.toml. Its id is
    /// a Latin transliteration, unique among `taken` (and added to it); the name is the
    /// archive's most frequent full spelling, the aliases its other spellings.
    pub fn as_toml(&self, taken: &mut BTreeSet<String>) -> String {
        let base = latin_id(&self.name);
        let id =
            (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|id| !taken.contains(id));
        let id = id.unwrap_or(base);
        taken.insert(id.clone());
        let quote = |t: &str| toml::Value::String(t.to_string()).to_string();
        let mut aliases: Vec<&str> = Vec::new();
        let mut folded: BTreeSet<String> = BTreeSet::from([fold(&self.name)]);
        for (spelling, _) in &self.spellings {
            if folded.insert(fold(spelling)) {
                aliases.push(spelling);
            }
        }
        let mut out = format!(
            "# {} · {} articles · {} mentions · found by the tagger: check the name, type and aliases\n",
            self.kind,
            self.articles.len(),
            self.mentions
        );
        for c in &self.contexts {
            out.push_str(&format!("# {}\n", c.replace('\n', " ")));
        }
        out.push_str(&format!(
            "[[entity]]\nid = {}\ntype = \"{}\"\nname = {}\n",
            quote(&id),
            self.kind,
            quote(&self.name)
        ));
        if !aliases.is_empty() {
            let list: Vec<String> = aliases.iter().map(|a| quote(a)).collect();
            out.push_str(&format!("aliases = [{}]\n", list.join(", ")));
        }
        out
    }
}

/// A Latin id for an Arabic name, letter by letter: a starting point for the curator.
fn latin_id(name: &str) -> String {
    let mut out = String::new();
    for c in fold(name).chars() {
        let latin = match c {
            'ا' | 'ى' => "a",
            'ب' => "b",
            'ت' | 'ط' => "t",
            'ث' => "th",
            'ج' => "j",
            'ح' | 'ه' => "h",
            'خ' => "kh",
            'د' | 'ض' => "d",
            'ذ' => "dh",
            'ر' => "r",
            'ز' | 'ظ' => "z",
            'س' | 'ص' => "s",
            'ش' => "sh",
            'غ' => "gh",
            'ف' => "f",
            'ق' => "q",
            'ك' => "k",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'و' => "w",
            'ي' => "y",
            'ع' | 'ء' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                ""
            }
            _ => "-",
        };
        out.push_str(latin);
    }
    let id: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    if id.is_empty() {
        "entity".to_string()
    } else {
        id.join("-")
    }
}

/// What `archive check` found: errors stop a build, warnings are worth a look.
#[derive(Debug)]
pub struct Findings {
    /// Problems a build would stop at, each at its line of the gazetteer.
    pub errors: Vec<Error>,
    /// Doubts: entities never mentioned, aliases that are mostly common words, names the
    /// tagger reads as another type.
    pub warnings: Vec<Error>,
    /// Whether the archive itself was read (it is not when the gazetteer has errors).
    pub analysed: bool,
}

/// Occurrences a one-word alias needs before the tagger's reading of it counts, and the
/// share of them it must read as no name for the alias to be called a common word.
const COMMON_MIN: usize = 5;
const COMMON_SHARE: f64 = 0.8;

/// `archive check`: the gazetteer's problems, then, if it has none, what the archive shows:
/// entities never mentioned, one-word aliases the text mostly uses as common words, and
/// discovered names that are aliases of an entity of another type.
pub fn check(options: &BuildOptions) -> Result<Findings> {
    let (config, _) = crate::config::Config::load(&options.root)?;
    let shown = config.gazetteer.clone();
    let path = options.root.join(&shown);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&shown, "cannot read the gazetteer", e))?;
    let (gazetteer, errors) = Gazetteer::check(&shown, &text, config.countries)?;
    if !errors.is_empty() {
        return Ok(Findings { errors, warnings: Vec::new(), analysed: false });
    }
    let session = Session::analyse(options)?;
    let mut warnings = Vec::new();
    let at = |e: &crate::recognise::Entity, message: String, hint: &str| {
        Error::at(&shown, &text, e.id.span().start, message, hint)
    };
    let mentioned: BTreeSet<&str> = session.index.entities.keys().map(|k| k.id.as_str()).collect();
    for e in gazetteer.entities[..gazetteer.own].iter().filter(|e| !mentioned.contains(e.id())) {
        warnings.push(at(e, format!("{} is never mentioned in the archive", e.id()), "check its names, or remove it"));
    }
    let tagger = session.setup.recogniser.tagger().unwrap_or_else(Tagger::shared_built_in);
    let readings = alias_readings(&session, &gazetteer, &tagger);
    for e in &gazetteer.entities[..gazetteer.own] {
        for alias in e.names().filter(|a| !a.trim().contains(char::is_whitespace)) {
            let [name, other] = readings.get(&fold(alias.trim())).copied().unwrap_or_default();
            let total = name + other;
            if total >= COMMON_MIN && other as f64 >= COMMON_SHARE * total as f64 {
                warnings.push(at(
                    e,
                    format!(
                        "alias {alias:?} of {} is a common word in the archive: the tagger reads {other} of its {total} occurrences as no name",
                        e.id()
                    ),
                    "make it an [[entity.context]] rule, so that it counts only near the words that mean this entity",
                ));
            }
        }
    }
    let mut owners: HashMap<String, Vec<&crate::recognise::Entity>> = HashMap::new();
    for e in &gazetteer.entities[..gazetteer.own] {
        let contextual = e.context.iter().map(|r| r.alias.as_str());
        for alias in e.names().chain(contextual) {
            owners.entry(single_spaced(&fold(alias))).or_default().push(e);
        }
    }
    for s in suggestions(&session) {
        let key = s.id.replace('-', " ");
        for e in owners.get(&key).into_iter().flatten().filter(|e| Kind::from(e.kind) != s.kind) {
            warnings.push(at(
                e,
                format!(
                    "the tagger found «{}» as a {} in {} articles, and it is an alias of {} ({})",
                    s.name,
                    s.kind,
                    s.articles.len(),
                    e.id(),
                    Kind::from(e.kind)
                ),
                "if the alias does not always mean this entity, make it an [[entity.context]] rule",
            ));
        }
    }
    Ok(Findings { errors: Vec::new(), warnings, analysed: true })
}

/// For each folded stem of the archive's prose, how often the tagger reads it as part of a
/// name, and how often as no name.
fn alias_readings(session: &Session, gazetteer: &Gazetteer, tagger: &Tagger) -> HashMap<String, [usize; 2]> {
    use rayon::prelude::*;
    let wanted: BTreeSet<String> = gazetteer
        .entities
        .iter()
        .flat_map(|e| e.names())
        .map(|a| fold(a.trim()))
        .filter(|a| !a.contains(' '))
        .collect();
    let lexicon = &tagger.model().lexicon;
    session
        .articles
        .par_iter()
        .fold(HashMap::new, |mut counts: HashMap<String, [usize; 2]>, a| {
            for run in &a.cleaned.prose {
                let folded = fold(&a.article.text[run.clone()]);
                let all = tokens(&folded);
                for sentence in tagger::sentences(&folded, &all) {
                    let words: Vec<&str> = sentence.iter().map(|t| &folded[t.clone()]).collect();
                    for (word, label) in words.iter().zip(tagger.labels(&words).labels) {
                        let stem = lexicon.split(word).1;
                        if wanted.contains(stem.as_ref()) {
                            counts.entry(stem.into_owned()).or_default()[usize::from(label == Label::Outside)] += 1;
                        }
                    }
                }
            }
            counts
        })
        .reduce(HashMap::new, |mut a, b| {
            for (k, [x, y]) in b {
                let slot = a.entry(k).or_default();
                slot[0] += x;
                slot[1] += y;
            }
            a
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn latin_ids_are_slugs() {
        assert_eq!(latin_id("دونالد ترامب"), "dwnald-tramb");
        assert_eq!(latin_id("حزب مصر القوية"), "hzb-msr-alqwyh");
        assert_eq!(latin_id("«»"), "entity");
        assert_eq!(latin_id("BBC عربي"), "bbc-rby");
    }

    #[test]
    fn a_suggestion_pastes_as_a_gazetteer_entry() {
        let s = Suggestion {
            kind: Kind::Person,
            id: "دونالد-ترامب".into(),
            name: "دونالد ترامب".into(),
            spellings: vec![("ترامب".into(), 5), ("دونالد ترامب".into(), 2), ("ترامْب".into(), 1)],
            articles: vec!["a".into(), "b".into()],
            mentions: 8,
            contexts: vec!["قال «ترامب» إن".into()],
        };
        let mut taken = BTreeSet::from(["dwnald-tramb".to_string()]);
        let entry = s.as_toml(&mut taken);
        let g = Gazetteer::parse(Path::new("t.toml"), &entry).unwrap();
        let e = &g.entities[0];
        assert_eq!((e.id(), e.name.as_str()), ("dwnald-tramb-2", "دونالد ترامب"));
        assert_eq!(e.aliases, ["ترامب"], "spellings that fold alike are one alias");
        assert!(entry.starts_with("# person · 2 articles · 8 mentions"));
    }
}
