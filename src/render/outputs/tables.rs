//! `data/entities.csv` and `data/mentions.csv`: the entities with pages and every mention,
//! as tables for spreadsheets and scripts. RFC 4180: a header row, CRLF after each record,
//! a field quoted when it holds a comma, a quote or a line break. Columns are a contract
//! (README.md); values are those of `data/archive.json`.

use super::archive_json::{self, EntityData};
use super::Output;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::{digest, View};

pub struct Tables;

/// What separates an entity's aliases in their one field: no name holds it.
const ALIASES: &str = " | ";

#[derive(Clone, Copy)]
pub enum Table {
    Entities,
    Mentions,
}

impl Output for Tables {
    type Page = Table;

    fn pages(&self, _: &Site) -> Vec<Table> {
        vec![Table::Entities, Table::Mentions]
    }

    fn route(&self, _: &Site, table: &Table) -> Route {
        match table {
            Table::Entities => Route::file("data/entities.csv"),
            Table::Mentions => Route::file("data/mentions.csv"),
        }
    }

    fn view<'s>(&self, site: &'s Site, &table: &Table, view: &mut View<'s>) -> Result<()> {
        match table {
            Table::Entities => {
                let entities = archive_json::entities(site);
                view.stream(digest(&entities), move |out| out.write_all(entities_csv(&entities).as_bytes()));
            }
            Table::Mentions => {
                // An article's rows are made from it, at its URL: `archive serve` keeps them
                // by that (as archive.json's entries), and makes again only the edited ones.
                let keys: Vec<u64> = (0..site.articles.len())
                    .map(|a| digest(&("mentions.csv", site.articles[a].stamp, &site.article_link(a).url)))
                    .collect();
                view.stream(digest(&keys), move |out| {
                    let mut header = String::new();
                    record(&mut header, &["article", "entity", "type", "start", "end", "text", "url"]);
                    out.write_all(header.as_bytes())?;
                    for (a, &key) in keys.iter().enumerate() {
                        out.write_all(site.cache.get_or(key, || mention_rows(site, a)).as_bytes())?;
                    }
                    Ok(())
                });
            }
        }
        Ok(())
    }

    fn deferred(&self) -> bool {
        true
    }
}

fn entities_csv(entities: &[EntityData]) -> String {
    let mut rows = String::with_capacity(entities.len() * 160);
    let header = ["id", "type", "name", "aliases", "article_count", "mention_count", "wikidata", "curation", "url"];
    record(&mut rows, &header);
    for e in entities {
        let (articles, mentions) = (e.article_count.to_string(), e.mention_count.to_string());
        let curation = if e.discovered { "discovered" } else { "curated" };
        let aliases = e.aliases.join(ALIASES);
        let fields = [
            e.id,
            e.kind.as_str(),
            &e.name,
            &aliases,
            &articles,
            &mentions,
            e.wikidata.unwrap_or(""),
            curation,
            &e.url,
        ];
        record(&mut rows, &fields);
    }
    rows
}

/// The rows of article `a`'s mentions: offsets are bytes of the original file, as in
/// archive.json, and the link is to the mention's place on the article's page.
fn mention_rows(site: &Site, a: usize) -> String {
    let mut rows = String::new();
    let annotated = &site.articles[a];
    let text = annotated.article.text.as_str();
    let url = &site.article_link(a).url;
    for m in &annotated.mentions {
        let (start, end) = (m.span.start.to_string(), m.span.end.to_string());
        let place = format!("{url}#{}", m.anchor());
        let fields =
            [annotated.article.slug.as_str(), &m.entity, m.kind.as_str(), &start, &end, &text[m.span.clone()], &place];
        record(&mut rows, &fields);
    }
    rows
}

/// Appends one record to `out`, as RFC 4180 writes it.
fn record(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut out = String::new();
        record(&mut out, &["دير الزور", "a,b", "قال \"لا\"", "سطر\nثان", ""]);
        assert_eq!(out, "دير الزور,\"a,b\",\"قال \"\"لا\"\"\",\"سطر\nثان\",\r\n");
    }
}
