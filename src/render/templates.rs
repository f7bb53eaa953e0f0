//! Tera: the site's templates, loaded once, with filters for Arabic dates, counts and digits.

use std::collections::HashMap;
use std::path::Path;

use tera::{Tera, Value};

use super::html;
use crate::arabic::format;
use crate::domain::IsoDate;
use crate::error::{Error, Result};

/// Loads every `*.html` under `dir` and registers the filters. `arabic_digits` switches
/// numbers on pages to ٠-٩.
pub fn load(dir: &Path, arabic_digits: bool) -> Result<Tera> {
    if !dir.is_dir() {
        let what = if dir.exists() { "is a file, not a folder" } else { "does not exist" };
        return Err(Error::input(
            dir,
            format!("the templates folder {what}"),
            "copy templates/ from a new archive (archive init DIR makes one), or set templates_dir in site.toml",
        ));
    }
    let glob = format!("{}/**/*.html", dir.display());
    let mut tera = Tera::new(&glob).map_err(|e| template_error(&e, "fix the template syntax at the place named"))?;
    // Tera's default escaping also turns `/` into an entity, which only makes URLs unreadable.
    tera.set_escape_fn(html::escape);
    let digits = move |s: String| if arabic_digits { format::arabic_digits(&s) } else { s };
    tera.register_filter("date_ar", move |v: &Value, _: &HashMap<String, Value>| {
        let iso = v.as_str().ok_or_else(|| tera::Error::msg("date_ar expects an ISO date string"))?;
        Ok(Value::String(digits(date_ar(iso))))
    });
    tera.register_filter("count", move |v: &Value, args: &HashMap<String, Value>| {
        let n = v.as_u64().ok_or_else(|| tera::Error::msg("count expects a whole number"))?;
        let arg = |k: &str| {
            args.get(k).and_then(Value::as_str).ok_or_else(|| tera::Error::msg(format!("count needs {k}=\"…\"")))
        };
        let forms = format::Forms { one: arg("one")?, two: arg("two")?, few: arg("few")?, many: arg("many")? };
        Ok(Value::String(digits(format::count(n, &forms))))
    });
    // Text from articles and metadata: escaped, with Latin-script runs and numbers isolated.
    tera.register_filter("isolate", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(html::isolate(v.as_str().unwrap_or_default())))
    });
    tera.register_filter("label", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(field_label(v.as_str().unwrap_or_default()).to_string()))
    });
    tera.register_filter("digits", move |v: &Value, _: &HashMap<String, Value>| {
        let s = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(Value::String(digits(s)))
    });
    Ok(tera)
}

/// An ISO date in words: a date-time by its day, and what is no date as it is written.
fn date_ar(iso: &str) -> String {
    IsoDate::parse(iso.get(..10).unwrap_or(iso)).map_or_else(|| iso.to_string(), format::date)
}

/// How a metadata field or cleaning rule is named on a page; unknown names show as written.
pub(super) fn field_label(name: &str) -> &str {
    match name {
        "byline" => "التوقيع",
        "published" => "تاريخ النشر كما ورد",
        "updated" => "آخر تحديث كما ورد",
        "caption" => "تعليق صورة",
        "source" => "المصدر كما ورد",
        "source_en" => "اسم المصدر بالإنجليزية",
        "category" => "التصنيف",
        "comment counter" => "عداد التعليقات",
        "load more" => "زر «تحميل المزيد»",
        "comment form" => "نموذج التعليقات",
        "share buttons" => "أزرار المشاركة",
        other => other,
    }
}

/// How a metadata value is shown: a news section's code in Arabic (scraped archives file
/// articles under English section names, `internationalNews`); other values as written.
pub(super) fn value_label<'v>(field: &str, value: &'v str) -> &'v str {
    if field != "category" {
        return value;
    }
    let words: String = value.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    match words.as_str() {
        "internationalnews" | "international" | "world" | "worldnews" => "أخبار العالم",
        "middleeast" | "middleeastnews" | "arabworld" => "الشرق الأوسط",
        "localnews" | "local" => "محليات",
        "politics" => "سياسة",
        "economy" | "business" | "finance" => "اقتصاد",
        "sport" | "sports" => "رياضة",
        "technology" | "tech" | "science" => "علوم وتقنية",
        "culture" | "arts" => "ثقافة",
        "health" | "medical" => "صحة",
        "religion" => "دين",
        "opinion" => "رأي",
        _ => value,
    }
}

/// Renders `name`, turning Tera's error chain into one message. An unknown variable is
/// looked up in the template and the ones it extends or imports, to name its line. The
/// bytes are UTF-8 (Tera writes strings); they go to a file as they are.
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, context, &mut out).map(|()| out).map_err(|e| {
        let mut err = template_error(&e, "check the variables the template uses against README.md");
        if let Error::Template { name: shown, message, .. } = &mut err {
            let variable = message.split('`').nth(1).filter(|_| message.contains("not found in context"));
            if let Some((file, line)) = variable.and_then(|v| locate(tera, name, v)) {
                *shown = format!("{file}:{line}");
            }
        }
        err
    })
}

/// The first line, in `name` or a template it extends or imports, that prints `variable`.
fn locate(tera: &Tera, name: &str, variable: &str) -> Option<(String, usize)> {
    let template = tera.get_template(name).ok()?;
    let related = template.parents.iter().chain(template.imported_macro_files.iter().map(|(file, _)| file));
    std::iter::once(&template.name).chain(related).find_map(|candidate| {
        let path = tera.get_template(candidate).ok()?.path.clone()?;
        let source = std::fs::read_to_string(path).ok()?;
        let line = source.lines().position(|l| {
            l.match_indices(variable).any(|(at, _)| {
                let before = l[..at].chars().next_back();
                let after = l[at + variable.len()..].chars().next();
                let part_of_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !part_of_name(before) && !part_of_name(after)
            })
        })?;
        Some((candidate.clone(), line + 1))
    })
}

fn template_error(err: &tera::Error, hint: &'static str) -> Error {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let message = message.trim().trim_start_matches("* ").to_string();
    let (name, hint) = match &err.kind {
        tera::ErrorKind::TemplateNotFound(n) => {
            (n.clone(), "put the template in the templates folder: archive init DIR makes a copy of each")
        }
        // Tera names the template in quotes: 'entity.html' when rendering, "…/entity.html"
        // when parsing.
        _ => (
            message
                .split(['\'', '"'])
                .nth(1)
                .map(|quoted| quoted.rsplit(['/', '\\']).next().unwrap_or(quoted).to_string())
                .unwrap_or_else(|| "?".into()),
            hint,
        ),
    };
    Error::Template { name, message, hint }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_sections_are_shown_in_arabic_and_other_values_as_written() {
        assert_eq!(value_label("category", "internationalNews"), "أخبار العالم");
        assert_eq!(value_label("category", "Middle-East"), "الشرق الأوسط");
        assert_eq!(value_label("category", "sport"), "رياضة");
        assert_eq!(value_label("category", "فنون"), "فنون");
        assert_eq!(value_label("byline", "sport"), "sport");
    }

    #[test]
    fn syntax_errors_name_the_template_and_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "{{ x }").unwrap();
        let err = load(dir.path(), false).unwrap_err().to_string();
        assert!(err.starts_with("template page.html: Failed to parse"), "{err}");
        assert!(err.contains("1:"), "{err}");
    }

    #[test]
    fn a_missing_template_or_folder_says_where_templates_come_from() {
        let dir = tempfile::tempdir().unwrap();
        let tera = load(dir.path(), false).unwrap();
        let err = render(&tera, "article.html", &tera::Context::new()).unwrap_err().to_string();
        assert!(err.starts_with("template article.html: ") && err.contains("archive init"), "{err}");
        let err = load(&dir.path().join("templates"), false).unwrap_err().to_string();
        assert!(err.contains("the templates folder does not exist"), "{err}");
    }

    #[test]
    fn date_ar_reads_dates_and_date_times_and_leaves_the_rest() {
        assert_eq!(date_ar("2021-02-26"), "26 فبراير/شباط 2021");
        assert_eq!(date_ar("2015"), "2015");
        assert_eq!(date_ar("2021-02-26T13:55:00Z"), "26 فبراير/شباط 2021");
        assert_eq!(date_ar("2021-13-01"), "2021-13-01");
        assert_eq!(date_ar("أمس"), "أمس");
    }

    #[test]
    fn filters_write_arabic_dates_counts_and_digits() {
        let dir = tempfile::tempdir().unwrap();
        let page = r#"{{ "2021-02-26" | date_ar }}|{{ 3 | count(one="مقالة واحدة", two="مقالتان", few="مقالات", many="مقالة") }}|{{ 12 | digits }}"#;
        std::fs::write(dir.path().join("page.html"), page).unwrap();
        let tera = load(dir.path(), true).unwrap();
        let out = String::from_utf8(render(&tera, "page.html", &tera::Context::new()).unwrap()).unwrap();
        assert_eq!(out, "٢٦ فبراير/شباط ٢٠٢١|٣ مقالات|١٢");
    }
}
