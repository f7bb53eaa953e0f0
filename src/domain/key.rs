//! Entity keys: what tells one entity of the archive from another.

use super::{IsoDate, Kind};

/// An entity across the archive: its type and id (gazetteer id, ISO date, counted noun).
/// Keys order by type, then id: the order of the indexes, and so of pages and lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityKey {
    pub kind: Kind,
    pub id: String,
}

/// An [`EntityKey`] borrowed, ordered and hashed alike: to look up or count the entities of
/// mentions without making a key of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityRef<'a> {
    pub kind: Kind,
    pub id: &'a str,
}

impl EntityKey {
    pub fn new(kind: Kind, id: impl Into<String>) -> EntityKey {
        EntityKey { kind, id: id.into() }
    }

    pub fn borrowed(&self) -> EntityRef<'_> {
        EntityRef { kind: self.kind, id: &self.id }
    }

    /// The date a date's key stands for; none for other kinds.
    pub fn date(&self) -> Option<IsoDate> {
        (self.kind == Kind::Date).then(|| IsoDate::parse(&self.id)).flatten()
    }
}

impl From<IsoDate> for EntityKey {
    fn from(date: IsoDate) -> EntityKey {
        EntityKey::new(Kind::Date, date.to_string())
    }
}

impl<'a> EntityRef<'a> {
    pub fn new(kind: Kind, id: &'a str) -> EntityRef<'a> {
        EntityRef { kind, id }
    }
}

impl From<EntityRef<'_>> for EntityKey {
    fn from(key: EntityRef<'_>) -> EntityKey {
        EntityKey::new(key.kind, key.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_by_kind_then_id_borrowed_or_not() {
        let keys = [
            EntityKey::new(Kind::Date, "2021-02"),
            EntityKey::new(Kind::Person, "zaid"),
            EntityKey::new(Kind::Place, "albukamal"),
            EntityKey::new(Kind::Person, "biden"),
        ];
        let mut owned = keys.to_vec();
        owned.sort();
        let mut borrowed: Vec<EntityRef> = keys.iter().map(EntityKey::borrowed).collect();
        borrowed.sort();
        let ids: Vec<&str> = owned.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["biden", "zaid", "albukamal", "2021-02"]);
        assert_eq!(borrowed.into_iter().map(EntityKey::from).collect::<Vec<_>>(), owned);
    }

    #[test]
    fn a_date_s_key_gives_its_date() {
        let day = IsoDate::parse("2021-02-26").unwrap();
        assert_eq!(EntityKey::from(day), EntityKey::new(Kind::Date, "2021-02-26"));
        assert_eq!(EntityKey::from(day).date(), Some(day));
        assert_eq!(EntityKey::new(Kind::Quantity, "2021").date(), None);
    }
}
