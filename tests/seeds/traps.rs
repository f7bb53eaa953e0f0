//! The traps of shared/seeds/METADATA.md: spellings, variants and misspellings of one entity,
//! entities that share words, acronyms, and common words that are no mentions.

use crate::{
    assert_entity_counts, assert_mentions, body_mentions, json_mention, page_mentions, site, source, Mention, ARTICLES,
};

#[test]
fn spellings_of_one_person_resolve_to_one_entity() {
    assert_mentions(&[
        ("000", "باتريك رايدر", "person", "pat-ryder", 1),
        ("000", "رايدر", "person", "pat-ryder", 1),
        ("003", "بات ريدر", "person", "pat-ryder", 1),
        ("003", "ريدر", "person", "pat-ryder", 1),
        // "جيمس كيربي" is the outlet's slip for John Kirby.
        ("004", "جيمس كيربي", "person", "john-kirby", 1),
        ("004", "جون كيربي", "person", "john-kirby", 1),
        ("004", "كيربي", "person", "john-kirby", 1),
    ]);
    let mut expected = Vec::new();
    for prefix in ARTICLES {
        let ryder = if matches!(prefix, "000" | "003") { 2 } else { 0 };
        let kirby = if prefix == "004" { 3 } else { 0 };
        expected.push((prefix, "person", "pat-ryder", ryder));
        expected.push((prefix, "person", "john-kirby", kirby));
    }
    assert_entity_counts(&expected);
}

#[test]
fn spelling_variants_and_misspellings_resolve_to_one_entity() {
    assert_mentions(&[
        ("002", "وزارة الدفاع الأميركية", "organization", "us-department-of-defense", 1),
        ("004", "وزارة الدفاع الأميركية", "organization", "us-department-of-defense", 1),
        ("001", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 1),
        ("003", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 3),
        ("004", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 1),
        ("004", "البنتاغون", "organization", "us-department-of-defense", 2),
        ("000", "بنتاغون", "organization", "us-department-of-defense", 1),
        ("001", "فليق القدس", "organization", "quds-force", 1),
        ("003", "المقاومة الإسـلامية", "organization", "islamic-resistance-in-iraq", 1),
        ("003", "المقاومة الإسلامية في العراق", "organization", "islamic-resistance-in-iraq", 1),
    ]);
}

#[test]
fn a_mention_keeps_the_tatweel_of_the_original_text() {
    let tatweel: Vec<Mention> = body_mentions("003").into_iter().filter(|m| m.text.contains('\u{640}')).collect();
    let texts: Vec<&str> = tatweel.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["المقاومة الإسـلامية"], "mentions holding a tatweel in 003");
    let json = json_mention("003", &tatweel[0].id);
    let bytes = source("003");
    let (start, end) = (json["start"].as_u64().unwrap() as usize, json["end"].as_u64().unwrap() as usize);
    assert_eq!(&bytes[start..end], tatweel[0].text.as_bytes(), "the page shows the original bytes");
}

#[test]
fn entities_that_share_words_are_never_merged() {
    assert_mentions(&[
        // Lebanese Hezbollah vs the Iraqi Kataib Hezbollah.
        ("003", "حزب الله", "organization", "hezbollah", 1),
        ("000", "حزب الله اللبنانية", "organization", "hezbollah", 1),
        ("004", "حزب الله العراقي", "organization", "kataib-hezbollah", 1),
        ("004", "كتائب حزب الله", "organization", "kataib-hezbollah", 1),
        // The Syrian Observatory for Human Rights vs the opposition's air observatory.
        ("000", "المرصد السوري لحقوق الإنسان", "organization", "sohr", 2),
        ("004", "المرصد السوري لحقوق الإنسان", "organization", "sohr", 2),
        ("000", "المرصد", "organization", "sohr", 3),
        ("004", "المرصد", "organization", "sohr", 3),
        ("000", "المرصد الجوي التابع للمعارضة العسكرية السورية", "organization", "opposition-air-observatory", 1),
        // Al Jazeera the channel vs the Jazira region vs the village Tabiyat Jazira.
        ("002", "منطقة الجزيرة السورية", "place", "syrian-jazira", 1),
        ("003", "طابية جزيرة", "place", "tabiyat-jazira", 1),
        // The oil field vs the common noun; the channel vs the adjective; the crossing.
        ("000", "العمر", "place", "al-omar-oil-field", 1),
        ("001", "العمر", "place", "al-omar-oil-field", 2),
        ("001", "الحرة", "organization", "alhurra", 1),
        ("004", "معبر القائم", "place", "al-qaim-crossing", 1),
        ("003", "معبر القائم – البوكمال", "place", "al-qaim-crossing", 1),
    ]);
    assert_entity_counts(&[
        ("003", "organization", "kataib-hezbollah", 0),
        ("004", "organization", "hezbollah", 0),
        ("000", "organization", "opposition-air-observatory", 1),
    ]);
    let channel: Vec<String> = ARTICLES
        .iter()
        .flat_map(|p| body_mentions(p).into_iter().map(move |m| (p, m)))
        .filter(|(_, m)| m.entity == "al-jazeera")
        .map(|(p, m)| format!("{p} «{}»", m.text))
        .collect();
    assert!(channel.is_empty(), "no article body names the Al Jazeera channel: {channel:?}");
}

#[test]
fn acronyms_and_full_names_resolve_to_one_entity() {
    assert_mentions(&[
        ("003", "قسد", "organization", "sdf", 2),
        ("003", "قوات سوريا الديمقراطية", "organization", "sdf", 1),
        ("002", "قوات سوريا الديمقراطية", "organization", "sdf", 3),
        ("002", "سانا", "organization", "sana", 1),
        ("002", "وكالة الأنباء السورية", "organization", "sana", 1),
        ("002", "وكالة الأنباء السورية الرسمية", "organization", "sana", 1),
        ("001", "داعش", "organization", "isis", 1),
        ("004", "تنظيم داعش", "organization", "isis", 1),
        ("002", "تنظيم الدولة الإسلامية", "organization", "isis", 1),
        ("004", "تنظيم الدولة الإسلامية", "organization", "isis", 1),
    ]);
}

#[test]
fn common_words_are_not_mentions() {
    let all: Vec<(&str, Mention)> = ARTICLES
        .iter()
        .flat_map(|&p| page_mentions(&site().article_page(p)).into_iter().map(move |m| (p, m)))
        .collect();
    // Words that occur in the seeds only as common words (or inside longer names).
    let common = ["الجزيرة", "الجوي", "قوات", "النظام", "اليوم", "الإسلامية", "الجمهورية", "ميلي", "جزيرة"];
    let wrong: Vec<String> = all
        .iter()
        .filter(|(_, m)| common.contains(&m.text.as_str()))
        .map(|(p, m)| format!("{p} «{}» {}", m.text, m.entity))
        .collect();
    assert!(wrong.is_empty(), "common words taken for entities: {wrong:?}");
    // The only bare العمر and الحرة are the oil field after حقل / منها and the channel after قناة.
    let bare = |text: &str| -> Vec<(String, String)> {
        all.iter().filter(|(_, m)| m.text == text).map(|(p, m)| (p.to_string(), m.entity.clone())).collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(p, e)| (p.to_string(), e.to_string())).collect()
    };
    let field = "al-omar-oil-field";
    assert_eq!(bare("العمر"), pairs(&[("000", field), ("001", field), ("001", field)]));
    assert_eq!(bare("الحرة"), pairs(&[("001", "alhurra")]));
    // ميلي (Milley) is inside every الميليشيات: only "مارك ميلي" names him.
    let milley: Vec<&str> =
        all.iter().filter(|(_, m)| m.entity == "mark-milley").map(|(_, m)| m.text.as_str()).collect();
    assert_eq!(milley, ["مارك ميلي"]);
}
