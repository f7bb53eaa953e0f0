//! Quantities name the counted noun and carry the amount; a clitic stays outside.

use crate::{assert_none, body_mentions, json_mention, sel, site, text_of, Mention};

#[test]
fn quantities_name_the_counted_noun_and_carry_the_amount() {
    // (article, text, counted noun, amount, qualifier)
    let expected: [(&str, &str, &str, u64, Option<&str>); 6] = [
        ("000", "19 عنصرا", "members", 19, None),
        ("004", "22 قتيلاً", "killed", 22, None),
        ("000", "أكثر من 20 صاروخا", "rockets", 20, Some("أكثر من")),
        ("000", "عشرة صواريخ", "rockets", 10, None),
        ("002", "60 آلية", "vehicles", 60, None),
        ("003", "3 من الشاحنات", "trucks", 3, None),
    ];
    let mut failures = Vec::new();
    for (prefix, text, noun, amount, qualifier) in expected {
        let found: Vec<Mention> = body_mentions(prefix).into_iter().filter(|m| m.text == text).collect();
        let [m] = found.as_slice() else {
            failures.push(format!("{prefix} «{text}»: {} mentions, expected 1", found.len()));
            continue;
        };
        let json = json_mention(prefix, &m.id);
        let got = (m.kind.as_str(), m.entity.as_str(), json["amount"].as_u64(), json["qualifier"].as_str());
        if got != ("quantity", noun, Some(amount), qualifier) {
            failures.push(format!("{prefix} «{text}»: got {got:?}, expected quantity {noun} {amount} {qualifier:?}"));
        }
    }
    assert_none(&failures, "quantities");
}

#[test]
fn a_clitic_preposition_stays_outside_the_quantity() {
    let doc = site().article_page("000");
    let el = doc
        .select(&sel("article [data-type=quantity]"))
        .find(|el| text_of(*el).contains("صواريخ") && text_of(*el).contains("عشرة"))
        .expect("the mention of «بعشرة صواريخ» in 000");
    assert_eq!(text_of(el), "عشرة صواريخ");
    let before = el.prev_sibling().and_then(|n| n.value().as_text().map(|t| t.to_string())).unwrap_or_default();
    assert!(before.ends_with('ب'), "the ب is shown just before the link, outside it: {before:?}");
}
