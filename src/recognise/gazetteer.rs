//! The gazetteer: entities with stable Latin ids, their Arabic names and aliases, and the
//! context an ambiguous alias needs before it counts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::Kind;
use crate::arabic::fold;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    /// Position of each entity by id.
    by_id: HashMap<String, usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: NamedKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name_en: Option<String>,
    pub description: Option<String>,
    pub wikidata: Option<String>,
    pub coords: Option<[f64; 2]>,
    pub parent: Option<String>,
    #[serde(default)]
    pub context: Vec<ContextRule>,
}

/// The types a gazetteer entry can have; dates and quantities come from rules instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NamedKind {
    Person,
    Place,
    Organization,
}

impl From<NamedKind> for Kind {
    fn from(k: NamedKind) -> Kind {
        match k {
            NamedKind::Person => Kind::Person,
            NamedKind::Place => Kind::Place,
            NamedKind::Organization => Kind::Organization,
        }
    }
}

/// An alias that only counts in context: a word nearby, or the entity named plainly
/// elsewhere in the same article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    pub alias: String,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
    #[serde(default = "default_window")]
    pub window: usize,
    #[serde(default)]
    pub same_article: bool,
}

fn default_window() -> usize {
    3
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    entity: Vec<Entity>,
}

impl Entity {
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }

    /// The name and every plain alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

impl Gazetteer {
    pub fn load(path: &Path, shown: &Path) -> Result<Gazetteer> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(shown, "cannot read the gazetteer", e))?;
        Gazetteer::parse(shown, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Gazetteer> {
        let file: File = toml::from_str(text).map_err(|e| {
            Error::toml(path, text, 0, &e, "each entity is an [[entity]] table with id, type, name and aliases")
        })?;
        let by_id = file.entity.iter().enumerate().map(|(i, e)| (e.id().to_string(), i)).collect();
        let gazetteer = Gazetteer { entities: file.entity, by_id };
        gazetteer.validate(path, text)?;
        Ok(gazetteer)
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Ids are unique Latin slugs; parents exist; aliases are not empty and belong to one
    /// entity only, since an alias shared by two entities would silently merge them.
    fn validate(&self, path: &Path, text: &str) -> Result<()> {
        let at = |e: &Entity, message: String, hint: &str| Error::at(path, text, e.id.span().start, message, hint);
        let mut ids: BTreeMap<&str, &Entity> = BTreeMap::new();
        for e in &self.entities {
            let id = e.id();
            let latin = !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !latin {
                return Err(at(
                    e,
                    format!("entity id {id:?} is not a Latin slug"),
                    "use lowercase ASCII letters, digits and hyphens: id = \"deir-ez-zor\"",
                ));
            }
            if let Some(q) = e.wikidata.as_deref().filter(|q| !is_wikidata_id(q)) {
                return Err(at(
                    e,
                    format!("{id}: wikidata {q:?} is not a Wikidata id"),
                    "write Q followed by digits, e.g. wikidata = \"Q858\"",
                ));
            }
            if ids.insert(id, e).is_some() {
                return Err(at(
                    e,
                    format!("entity id {id:?} is defined twice"),
                    "ids must be unique: rename or merge the two entries",
                ));
            }
        }
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        for e in &self.entities {
            if let Some(parent) = &e.parent {
                if !ids.contains_key(parent.as_str()) {
                    return Err(at(
                        e,
                        format!("{}: parent {parent:?} is not an entity", e.id()),
                        "add that entity or fix the parent id",
                    ));
                }
            }
            let contextual = e.context.iter().map(|r| r.alias.as_str());
            for alias in e.names().chain(contextual) {
                let key = fold(alias.trim());
                if !has_stem(&key) {
                    return Err(at(
                        e,
                        format!("{}: alias {alias:?} is empty or only clitics", e.id()),
                        "remove it, or write the name it stands for",
                    ));
                }
            }
            for alias in e.names() {
                let key = fold(alias.trim());
                match owner.insert(key, e.id()) {
                    Some(other) if other != e.id() => {
                        return Err(at(
                            e,
                            format!("alias {alias:?} of {} is also an alias of {other}", e.id()),
                            "an alias names one entity: keep it on one, or make it a [[entity.context]] rule on both",
                        ));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

fn is_wikidata_id(q: &str) -> bool {
    q.strip_prefix('Q').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a folded alias has letters that are not just proclitics or the article.
fn has_stem(key: &str) -> bool {
    const CLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "ال", "لل", "وال", "بال", "فال", "كال", "ولل", "فلل"];
    let letters: String = key.chars().filter(|c| c.is_alphanumeric()).collect();
    !letters.is_empty() && !CLITICS.contains(&letters.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Gazetteer> {
        Gazetteer::parse(Path::new("entities.toml"), text)
    }

    const TWO: &str = r#"
[[entity]]
id = "syria"
type = "place"
name = "سوريا"
aliases = ["سورية"]

[[entity]]
id = "deir-ez-zor"
type = "place"
name = "دير الزور"
parent = "syria"
"#;

    #[test]
    fn loads_entities() {
        let g = parse(TWO).unwrap();
        assert_eq!(g.entities.len(), 2);
        assert_eq!(g.get("deir-ez-zor").unwrap().parent.as_deref(), Some("syria"));
    }

    #[test]
    fn duplicate_ids_name_the_line() {
        let text = format!("{TWO}\n[[entity]]\nid = \"syria\"\ntype = \"place\"\nname = \"الشام\"\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.starts_with("entities.toml:15:6: entity id \"syria\" is defined twice"), "{err}");
    }

    #[test]
    fn unknown_type_names_the_line() {
        let err = parse("[[entity]]\nid = \"x\"\ntype = \"planet\"\nname = \"س\"\n").unwrap_err().to_string();
        assert!(err.starts_with("entities.toml:3:"), "{err}");
        assert!(err.contains("planet"), "{err}");
    }

    #[test]
    fn empty_or_clitic_only_aliases_are_refused() {
        for alias in ["", " ", "و", "ال", "ـ", "ً"] {
            let text = format!("[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"س\"\naliases = [\"{alias}\"]\n");
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains("empty or only clitics"), "{alias:?}: {err}");
        }
    }

    #[test]
    fn an_alias_cannot_name_two_entities() {
        let text = format!("{TWO}\n[[entity]]\nid = \"syria-2\"\ntype = \"place\"\nname = \"سوريّة\"\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("also an alias of syria"), "{err}");
    }

    #[test]
    fn wikidata_ids_are_checked() {
        let text = "[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"س\"\nwikidata = \"Q1/../x\"\n";
        assert!(parse(text).unwrap_err().to_string().contains("is not a Wikidata id"));
        assert!(parse(&text.replace("Q1/../x", "Q858")).is_ok());
    }

    #[test]
    fn unknown_parent_and_arabic_ids_are_refused() {
        let err = parse("[[entity]]\nid = \"x\"\ntype = \"place\"\nname = \"س\"\nparent = \"nowhere\"\n").unwrap_err();
        assert!(err.to_string().contains("parent \"nowhere\""));
        let err = parse("[[entity]]\nid = \"سوريا\"\ntype = \"place\"\nname = \"س\"\n").unwrap_err();
        assert!(err.to_string().contains("not a Latin slug"));
    }
}
