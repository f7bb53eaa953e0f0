//! Gazetteer matching on folded text: Aho-Corasick over every alias, tried at each word
//! start after each reading of its proclitics, longest match first.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use super::gazetteer::{ContextRule, Gazetteer};
use crate::arabic::clitics;
use crate::arabic::fold::{fold, is_word_char, single_spaced};

/// Where an alias leads, and the rule it must pass when it is ambiguous.
#[derive(Debug, Clone)]
struct Target {
    entity: usize,
    rule: Option<Rule>,
}

/// A context rule with its cues folded, each a list of words: a cue may be a phrase
/// («تقوده الولايات المتحدة»), matched as consecutive words.
#[derive(Debug, Clone)]
struct Rule {
    before: Vec<Vec<String>>,
    after: Vec<Vec<String>>,
    window: usize,
    same_article: bool,
}

/// One automaton and, for each of its patterns, the targets of that key.
struct Automaton {
    ac: AhoCorasick,
    targets: Vec<Vec<Target>>,
}

pub struct Matcher {
    /// Aliases as written.
    full: Automaton,
    /// Aliases that start with the article ال, without it: what follows a proclitic لل.
    bare: Automaton,
}

/// A gazetteer match in folded coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub span: Range<usize>,
    pub entity: usize,
    /// Matched by a plain alias, not a context rule.
    pub plain: bool,
}

/// The matches in one run, and the entities whose `same_article` rules failed there with
/// no cue nearby: only a plain mention of one of those elsewhere can change this run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RunMatches {
    found: Vec<Found>,
    waiting: BTreeSet<usize>,
}

impl RunMatches {
    /// Whether matching again with the plain mentions in `named` could give other matches.
    /// Every other rule check comes out the same, so a second pass would retrace this one.
    fn depends_on(&self, named: &BTreeSet<usize>) -> bool {
        !self.waiting.is_disjoint(named)
    }
}

impl Matcher {
    pub fn new(gazetteer: &Gazetteer) -> Matcher {
        let mut full: BTreeMap<String, Vec<Target>> = BTreeMap::new();
        let mut bare: BTreeMap<String, Vec<Target>> = BTreeMap::new();
        let mut add = |alias: &str, target: Target| {
            let key = single_spaced(&fold(alias));
            if let Some(rest) = key.strip_prefix("ال").filter(|r| r.chars().count() >= 2) {
                bare.entry(rest.to_string()).or_default().push(target.clone());
            }
            full.entry(key).or_default().push(target);
        };
        for (i, entity) in gazetteer.entities.iter().enumerate() {
            for name in entity.names() {
                add(name, Target { entity: i, rule: None });
            }
            for rule in &entity.context {
                add(&rule.alias, Target { entity: i, rule: Some(Rule::new(rule)) });
            }
        }
        Matcher { full: Automaton::new(full), bare: Automaton::new(bare) }
    }

    /// Finds entity mentions in the runs of one article: each a folded text and its word
    /// ranges. Context rules with `same_article` lean on plain mentions anywhere in the
    /// article: runs where such a rule failed are matched again once those are known.
    pub fn find_in_article(&self, runs: &[(&str, &[Range<usize>])]) -> Vec<Vec<Found>> {
        let mut found: Vec<RunMatches> =
            runs.iter().map(|(text, words)| self.find(text, words, &BTreeSet::new())).collect();
        let named: BTreeSet<usize> = found.iter().flat_map(|run| Matcher::plainly_named(&run.found)).collect();
        for ((text, words), run) in runs.iter().zip(&mut found) {
            if run.depends_on(&named) {
                *run = self.find(text, words, &named);
            }
        }
        found.into_iter().map(|run| run.found).collect()
    }

    /// Finds entity mentions in one folded run. `words` are its word ranges.
    /// Context rules with `same_article` pass only for entities in `named`.
    fn find(&self, text: &str, words: &[Range<usize>], named: &BTreeSet<usize>) -> RunMatches {
        let mut out = RunMatches::default();
        let mut w = 0;
        while w < words.len() {
            match self.best_at(text, words, w, named, &mut out.waiting) {
                Some(found) => {
                    let end = found.span.end;
                    out.found.push(found);
                    while w < words.len() && words[w].start < end {
                        w += 1;
                    }
                }
                None => w += 1,
            }
        }
        out
    }

    /// The longest acceptable match starting in word `w`, fewest proclitics first on ties.
    /// Entities whose `same_article` rule failed are added to `waiting`.
    fn best_at(
        &self,
        text: &str,
        words: &[Range<usize>],
        w: usize,
        named: &BTreeSet<usize>,
        waiting: &mut BTreeSet<usize>,
    ) -> Option<Found> {
        let word = &text[words[w].clone()];
        let mut candidates = Vec::new();
        for split in clitics::splits(word) {
            let start = words[w].start + split.len;
            let automaton = if split.article_elided { &self.bare } else { &self.full };
            // Every alias that matches here, longest first: each search is limited to end
            // before the previous match did.
            let mut limit = text.len();
            while let Some(m) = automaton.ac.find(Input::new(text).span(start..limit).anchored(Anchored::Yes)) {
                let ends_word = text[m.end()..].chars().next().is_none_or(|c| !is_word_char(c));
                if ends_word {
                    candidates.push((m.end(), split.len, start, m.pattern().as_usize(), split.article_elided));
                }
                limit = m.end() - 1;
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.into_iter().find_map(|(end, _, start, pattern, elided)| {
            let automaton = if elided { &self.bare } else { &self.full };
            let span = start..end;
            automaton.targets[pattern]
                .iter()
                .find(|t| {
                    let Some(rule) = &t.rule else { return true };
                    let holds = rule.holds(text, words, &span, named.contains(&t.entity));
                    if !holds && rule.same_article {
                        waiting.insert(t.entity);
                    }
                    holds
                })
                .map(|t| Found { span, entity: t.entity, plain: t.rule.is_none() })
        })
    }

    /// Entities named by an alias that needs no context, the ones `same_article` rules lean on.
    fn plainly_named(found: &[Found]) -> BTreeSet<usize> {
        found.iter().filter(|f| f.plain).map(|f| f.entity).collect()
    }
}

impl Automaton {
    fn new(keys: BTreeMap<String, Vec<Target>>) -> Automaton {
        let (patterns, targets): (Vec<String>, Vec<Vec<Target>>) = keys.into_iter().unzip();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .expect("folded aliases build an automaton");
        Automaton { ac, targets }
    }
}

impl Rule {
    fn new(rule: &ContextRule) -> Rule {
        let fold_all =
            |cues: &[String]| cues.iter().map(|c| fold(c).split_whitespace().map(String::from).collect()).collect();
        Rule {
            before: fold_all(&rule.before),
            after: fold_all(&rule.after),
            window: rule.window,
            same_article: rule.same_article,
        }
    }

    fn holds(&self, text: &str, words: &[Range<usize>], span: &Range<usize>, named_plainly: bool) -> bool {
        if self.same_article && named_plainly {
            return true;
        }
        // The cue's words at words[at..]; the first may carry proclitics («والذي»).
        let cue_at = |cue: &[String], at: usize| {
            at + cue.len() <= words.len()
                && cue.iter().enumerate().all(|(k, c)| {
                    let word = &text[words[at + k].clone()];
                    if k == 0 {
                        clitics::splits(word).any(|s| !s.article_elided && word[s.len..] == **c)
                    } else {
                        word == c
                    }
                })
        };
        let first = words.partition_point(|w| w.end <= span.start);
        let after = words.partition_point(|w| w.start < span.end);
        // A cue before ends within the window; a cue after starts within it.
        let before = (first.saturating_sub(self.window)..first)
            .any(|end| self.before.iter().any(|c| end + 1 >= c.len() && cue_at(c, end + 1 - c.len())));
        let following =
            (after..(after + self.window).min(words.len())).any(|at| self.after.iter().any(|c| cue_at(c, at)));
        before || following
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold::words;

    const GAZETTEER: &str = r#"
[[entity]]
id = "hezbollah"
type = "organization"
name = "حزب الله"

[[entity]]
id = "kataib-hezbollah"
type = "organization"
name = "كتائب حزب الله"
aliases = ["حزب الله العراقي"]

[[entity]]
id = "albukamal"
type = "place"
name = "البوكمال"

[[entity]]
id = "baghdad"
type = "place"
name = "بغداد"

[[entity]]
id = "omar-field"
type = "place"
name = "حقل العمر"
[[entity.context]]
alias = "العمر"
before = ["حقل", "حقول"]

[[entity]]
id = "sohr"
type = "organization"
name = "المرصد السوري لحقوق الإنسان"
[[entity.context]]
alias = "المرصد"
same_article = true

[[entity]]
id = "air-observatory"
type = "organization"
name = "المرصد الجوي التابع للمعارضة"

[[entity]]
id = "us"
type = "place"
name = "الولايات المتحدة"
"#;

    fn find(text: &str) -> Vec<(String, String)> {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let m = Matcher::new(&g);
        let folded = fold(text);
        let w = words(&folded);
        let found = m.find_in_article(&[(folded.as_str(), w.as_slice())]).remove(0);
        found.into_iter().map(|f| (folded[f.span].to_string(), g.entities[f.entity].id().to_string())).collect()
    }

    fn ids(text: &str) -> Vec<String> {
        find(text).into_iter().map(|(_, id)| id).collect()
    }

    #[test]
    fn longest_alias_wins() {
        assert_eq!(ids("مقاتلو كتائب حزب الله وحزب الله"), ["kataib-hezbollah", "hezbollah"]);
        assert_eq!(ids("من الحشد الشعبي وحزب الله العراقي."), ["kataib-hezbollah"]);
    }

    #[test]
    fn a_longer_alias_that_overruns_the_word_falls_back_to_a_shorter_one() {
        assert_eq!(ids("حزب الله العراقيين"), ["hezbollah"]);
    }

    #[test]
    fn proclitics_are_stripped_but_names_starting_with_those_letters_stay_whole() {
        assert_eq!(find("وبغداد"), [("بغداد".into(), "baghdad".into())]);
        assert_eq!(ids("بغداد والبوكمال وبالبوكمال"), ["baghdad", "albukamal", "albukamal"]);
        assert_eq!(find("للبوكمال"), [("بوكمال".into(), "albukamal".into())]);
        assert_eq!(ids("وللولايات المتحدة"), ["us"]);
    }

    #[test]
    fn whole_words_only() {
        assert!(ids("البوكماليون").is_empty());
        assert!(ids("بغدادي").is_empty());
    }

    #[test]
    fn a_cue_may_be_a_phrase() {
        let g = Gazetteer::parse(
            std::path::Path::new("t.toml"),
            "[[entity]]\nid = \"coalition\"\ntype = \"organization\"\nname = \"التحالف الدولي\"\n\
             [[entity.context]]\nalias = \"التحالف\"\nafter = [\"الدولي\", \"تقوده الولايات المتحدة\", \"بقيادة واشنطن\"]\nbefore = [\"قوات\"]\nwindow = 2\n",
        )
        .unwrap();
        let m = Matcher::new(&g);
        let found = |text: &str| {
            let folded = fold(text);
            let w = words(&folded);
            m.find_in_article(&[(folded.as_str(), w.as_slice())]).remove(0).len()
        };
        assert_eq!(found("التحالف الذي تقوده الولايات المتحدة"), 1);
        assert_eq!(found("والتحالف بقيادة واشنطن"), 1);
        assert_eq!(found("التحالف الذي تقوده السعودية"), 0, "led, but by another");
        assert_eq!(found("التحالف الذي تقوده الولايات"), 0, "a phrase matches whole");
        assert_eq!(found("قصفت قوات التحالف"), 1);
    }

    #[test]
    fn context_rules() {
        assert_eq!(ids("في حقل “العمر” النفطي"), ["omar-field"]);
        assert_eq!(ids("في حقول النفط منها العمر والتنف"), ["omar-field"]);
        assert!(ids("في مقتبل العمر").is_empty());
    }

    #[test]
    fn only_a_failed_same_article_rule_makes_a_run_wait() {
        let g = Gazetteer::parse(std::path::Path::new("t.toml"), GAZETTEER).unwrap();
        let m = Matcher::new(&g);
        let sohr = g.entities.iter().position(|e| e.id() == "sohr").unwrap();
        let first_pass = |text: &str| {
            let folded = fold(text);
            m.find(&folded, &words(&folded), &BTreeSet::new())
        };
        assert_eq!(first_pass("وأفاد المرصد بأن").waiting, BTreeSet::from([sohr]));
        assert!(first_pass("في مقتبل العمر وحقل العمر").waiting.is_empty());
        let waiting = first_pass("وأفاد المرصد بأن");
        assert!(waiting.depends_on(&BTreeSet::from([sohr])));
        assert!(!waiting.depends_on(&BTreeSet::from([sohr + 1])));
    }

    #[test]
    fn same_article_rules_need_a_plain_mention() {
        assert!(ids("وأفاد المرصد بأن").is_empty());
        assert_eq!(ids("المرصد السوري لحقوق الإنسان قال. وأفاد المرصد بأن"), ["sohr", "sohr"]);
        assert_eq!(ids("وقال المرصد الجوي التابع للمعارضة"), ["air-observatory"]);
    }
}
