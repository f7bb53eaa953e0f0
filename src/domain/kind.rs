//! The types of entity: what each is called, and which have names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The type of an entity. Its order is the order of types on pages and in entity keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person, named.
    Person,
    /// A place, named.
    Place,
    /// An organisation, named.
    Organization,
    /// A day, a month or a year, as the text names it.
    Date,
    /// A number of people or things: killed, wounded, rockets…
    Quantity,
}

impl Kind {
    pub(crate) const ALL: [Kind; 5] = [Kind::Person, Kind::Place, Kind::Organization, Kind::Date, Kind::Quantity];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Organization => "organization",
            Kind::Date => "date",
            Kind::Quantity => "quantity",
        }
    }

    /// People, places and organisations: the kinds with names, from the gazetteer or the
    /// tagger; dates and quantities come from rules.
    pub(crate) fn is_named(self) -> bool {
        match self {
            Kind::Person | Kind::Place | Kind::Organization => true,
            Kind::Date | Kind::Quantity => false,
        }
    }

    /// The type's name on pages, singular.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "شخص",
            Kind::Place => "مكان",
            Kind::Organization => "منظمة",
            Kind::Date => "تاريخ",
            Kind::Quantity => "كمية",
        }
    }

    /// The heading of the type's index page.
    pub(crate) fn plural_label(self) -> &'static str {
        match self {
            Kind::Person => "الأشخاص",
            Kind::Place => "الأماكن",
            Kind::Organization => "المنظمات",
            Kind::Date => "التواريخ",
            Kind::Quantity => "الكميات",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The types a gazetteer entry can have: the named kinds ([`Kind::is_named`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gazetteer_s_types_are_the_named_kinds() {
        let named: Vec<Kind> = [NamedKind::Person, NamedKind::Place, NamedKind::Organization].map(Kind::from).into();
        assert_eq!(named, Kind::ALL.into_iter().filter(|k| k.is_named()).collect::<Vec<_>>());
    }
}
