//! Tera: the site's templates, loaded once, with filters for Arabic dates, counts and digits.

use std::collections::HashMap;
use std::path::Path;

use tera::{Tera, Value};

use crate::arabic::format;
use crate::error::{Error, Result};

/// Loads every `*.html` under `dir` and registers the filters. `arabic_digits` switches
/// numbers on pages to ٠-٩.
pub fn load(dir: &Path, arabic_digits: bool) -> Result<Tera> {
    let glob = format!("{}/**/*.html", dir.display());
    let mut tera = Tera::new(&glob).map_err(|e| template_error(&e, "fix the template syntax at the place named"))?;
    let digits = move |s: String| if arabic_digits { format::arabic_digits(&s) } else { s };
    tera.register_filter("date_ar", move |v: &Value, _: &HashMap<String, Value>| {
        let iso = v.as_str().ok_or_else(|| tera::Error::msg("date_ar expects an ISO date string"))?;
        Ok(Value::String(digits(format::date(iso))))
    });
    tera.register_filter("count", move |v: &Value, args: &HashMap<String, Value>| {
        let n = v.as_u64().ok_or_else(|| tera::Error::msg("count expects a whole number"))?;
        let arg = |k: &str| args.get(k).and_then(Value::as_str).ok_or_else(|| tera::Error::msg(format!("count needs {k}=\"…\"")));
        let forms = format::Forms { one: arg("one")?, two: arg("two")?, few: arg("few")?, many: arg("many")? };
        Ok(Value::String(digits(format::count(n, &forms))))
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

/// Renders `name`, turning Tera's error chain into one message.
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> Result<String> {
    tera.render(name, context).map_err(|e| template_error(&e, "check the variables the template uses against README.md"))
}

fn template_error(err: &tera::Error, hint: &'static str) -> Error {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let name = match &err.kind {
        tera::ErrorKind::TemplateNotFound(n) => n.clone(),
        _ => message.split('\'').nth(1).unwrap_or("?").to_string(),
    };
    Error::Template { name, message, hint }
}
