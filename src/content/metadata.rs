//! Article metadata from front matter and sidecar files.

use std::path::Path;

use chrono::NaiveDate;

use crate::domain::Metadata;
use crate::error::{Error, Result};

impl Metadata {
    /// Reads the fields of a parsed TOML or YAML table. `locate` turns a field name into an
    /// error at that field's line, so messages point at the right place.
    pub fn from_table(table: toml::Table, locate: &dyn Fn(&str, String, &str) -> Error) -> Result<Metadata> {
        let mut meta = Metadata::default();
        for (key, value) in table {
            let text = || -> Result<String> {
                match &value {
                    toml::Value::String(s) => Ok(s.clone()),
                    other => Err(locate(
                        &key,
                        format!("`{key}` must be text, found {}", other.type_str()),
                        "put the value in quotes",
                    )),
                }
            };
            let flag = || -> Result<bool> {
                value
                    .as_bool()
                    .ok_or_else(|| locate(&key, format!("`{key}` must be true or false"), "write true or false"))
            };
            match key.as_str() {
                "title" => meta.title = Some(text()?),
                "date" => {
                    let written = match &value {
                        toml::Value::Datetime(d) => d.to_string(),
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let day = parse_date(&written).ok_or_else(|| {
                        locate(
                            &key,
                            format!("`date = {written}` is not a date"),
                            "write YYYY-MM-DD or an RFC 3339 date-time (2021-02-26T13:55:00Z)",
                        )
                    })?;
                    meta.date = Some(day);
                    meta.date_text = Some(written);
                }
                "date_basis" => meta.date_basis = Some(text()?),
                "date_approximate" => meta.date_approximate = flag()?,
                "source" => meta.source = Some(text()?),
                "url" => meta.url = Some(text()?),
                "slug" => meta.slug = Some(text()?),
                "summary" => meta.summary = Some(text()?),
                "draft" => meta.draft = flag()?,
                "lang" => meta.lang = Some(text()?),
                _ => {
                    let shown = match &value {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    meta.extra.insert(key, shown);
                }
            }
        }
        Ok(meta)
    }

    /// Fields set in `over` replace those here: a sidecar overrides front matter.
    pub fn merge(&mut self, over: Metadata) {
        fn take<T>(mine: &mut Option<T>, theirs: Option<T>) {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
        take(&mut self.title, over.title);
        if over.date.is_some() {
            self.date = over.date;
            self.date_text = over.date_text;
            self.date_approximate = over.date_approximate;
        }
        take(&mut self.date_basis, over.date_basis);
        take(&mut self.source, over.source);
        take(&mut self.url, over.url);
        take(&mut self.slug, over.slug);
        take(&mut self.summary, over.summary);
        take(&mut self.lang, over.lang);
        self.draft |= over.draft;
        self.extra.extend(over.extra);
    }
}

/// `YYYY-MM-DD`, an RFC 3339 date-time, or `YYYY/MM/DD` as Arabic outlets print it.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head: String = text.chars().take(10).collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(&head, "%Y/%m/%d")).ok().filter(
        |_| {
            // After the day there may be a time, nothing else.
            let rest = &text[head.len()..];
            rest.is_empty() || rest.starts_with(['T', 't', ' '])
        },
    )
}

/// The field's line in a TOML or YAML document, for error messages: the first line that
/// starts with the key.
pub fn field_offset(doc: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with(['=', ':']) {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// Reads a sidecar `NAME.toml`.
pub fn read_sidecar(path: &Path) -> Result<Metadata> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "cannot read sidecar", e))?;
    let table: toml::Table = toml::from_str(&text)
        .map_err(|e| Error::toml(path, &text, 0, &e, "sidecars are TOML: key = \"value\" lines"))?;
    Metadata::from_table(table, &|key, message, hint| match field_offset(&text, key) {
        Some(at) => Error::at(path, &text, at, message, hint),
        None => Error::input(path, message, hint),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(toml_text: &str) -> Result<Metadata> {
        let table: toml::Table = toml::from_str(toml_text).unwrap();
        Metadata::from_table(table, &|k, m, h| {
            Error::at(Path::new("x.toml"), toml_text, field_offset(toml_text, k).unwrap_or(0), m, h)
        })
    }

    #[test]
    fn dates_in_every_accepted_form() {
        assert_eq!(parse_date("2021-02-26"), NaiveDate::from_ymd_opt(2021, 2, 26));
        assert_eq!(parse_date("2021-02-26T13:55:00Z"), NaiveDate::from_ymd_opt(2021, 2, 26));
        assert_eq!(parse_date("2021/02/26 الساعة 13:55 بتوقيت غرينتش"), NaiveDate::from_ymd_opt(2021, 2, 26));
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("أمس"), None);
        assert_eq!(parse_date("2021-02-261"), None);
    }

    #[test]
    fn reads_known_fields_and_keeps_the_rest() {
        let m = meta("title = \"عنوان\"\ndate = 2018-02-18T17:35:43Z\ncategory = \"culture\"\ndraft = true").unwrap();
        assert_eq!(m.title.as_deref(), Some("عنوان"));
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2018, 2, 18));
        assert_eq!(m.date_text.as_deref(), Some("2018-02-18T17:35:43Z"));
        assert_eq!(m.extra.get("category").map(String::as_str), Some("culture"));
        assert!(m.draft);
    }

    #[test]
    fn a_bad_date_names_its_line() {
        let err = meta("title = \"t\"\ndate = \"السبت\"").unwrap_err();
        assert!(err.to_string().starts_with("x.toml:2:1: `date = السبت` is not a date"), "{err}");
    }

    #[test]
    fn sidecar_overrides_front_matter() {
        let mut base = meta("title = \"a\"\nsource = \"x\"").unwrap();
        base.merge(meta("source = \"y\"\ndate = \"2021-06-29\"").unwrap());
        assert_eq!(base.title.as_deref(), Some("a"));
        assert_eq!(base.source.as_deref(), Some("y"));
        assert!(base.date.is_some());
    }
}
