//! Recognition beyond the gazetteer, through the real binary: names the tagger finds become
//! entities with pages of their own, marked as found automatically; a name joins its
//! variants; the gazetteer still decides; `archive suggest`, `archive check` and
//! `archive train` do what README says; a bad model or bad training data is a clear error.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::{put, small_archive};
use scraper::{Html, Selector};

/// Three articles about people the gazetteer does not know, and a body whose name holds a place.
const ARTICLES: &[(&str, &str)] = &[
    (
        "seeds/a.txt",
        "الرئيس يعلن قراره\n\nقال الرئيس الأمريكي دونالد ترامب إن بلاده ستنسحب من الاتفاق. وأضاف ترامب في مؤتمر صحفي أن القرار نهائي.\n\nوأعلن حزب مصر القوية مقاطعة الانتخابات، وقال أستاذ في جامعة القاهرة إن القرار متوقع.",
    ),
    (
        "seeds/b.txt",
        "لقاء في باريس\n\nقال الرئيس الأمريكي دونالد ترامب إنه التقى نظيره الفرنسي إيمانويل ماكرون في باريس. وقال ماكرون إن المحادثات كانت مثمرة.",
    ),
    ("seeds/c.txt", "تصريحات جديدة\n\nوقال ترامب للصحفيين إن المفاوضات مستمرة، وأكد ترامب أن الاتفاق قريب."),
];

struct Archive {
    dir: tempfile::TempDir,
}

impl Archive {
    /// The repository's templates and static files, a one-entity gazetteer, and `ARTICLES`.
    fn new() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        small_archive(dir.path());
        let archive = Archive { dir };
        for (name, text) in ARTICLES {
            archive.put(name, text);
        }
        archive
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn put(&self, name: &str, contents: impl AsRef<[u8]>) {
        put(self.dir.path(), name, contents);
    }

    /// `archive COMMAND --root DIR ARGS…`.
    fn run(&self, command: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_archive"))
            .args([command, "--root"])
            .arg(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }

    fn build(&self) -> Output {
        let out = self.run("build", &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn page(&self, path: &str) -> Html {
        let file = self.path("public").join(path).join("index.html");
        Html::parse_document(&fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
    }

    /// Every mention of an article page: (text, type, entity, link).
    fn mentions(&self, slug: &str) -> Vec<(String, String, String, Option<String>)> {
        let page = self.page(&format!("articles/{slug}"));
        let sel = Selector::parse(".mention").unwrap();
        page.select(&sel)
            .map(|m| {
                let attr = |a: &str| m.value().attr(a).map(String::from);
                (m.text().collect(), attr("data-type").unwrap(), attr("data-entity").unwrap(), attr("href"))
            })
            .collect()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const TRUMP: &str = "دونالد-ترامب";
/// The link to Trump's page as pages write it, from the site's root (its id percent-encoded).
const TRUMP_URL: &str =
    "entities/person/%D8%AF%D9%88%D9%86%D8%A7%D9%84%D8%AF-%D8%AA%D8%B1%D8%A7%D9%85%D8%A8/index.html";

#[test]
fn a_name_the_gazetteer_lacks_gets_a_page_marked_as_found_automatically() {
    let archive = Archive::new();
    archive.build();
    let a = archive.mentions("a");
    assert!(a.iter().any(|m| m.0 == "دونالد ترامب" && m.2 == TRUMP && m.3.as_deref() == Some(TRUMP_URL)), "{a:?}");
    let page = archive.page(&format!("entities/person/{TRUMP}"));
    let note = Selector::parse(".discovered").unwrap();
    assert!(page.select(&note).next().is_some(), "the page says it was found automatically");
    let h1: String = page.select(&Selector::parse("h1").unwrap()).next().unwrap().text().collect();
    assert!(h1.contains("دونالد ترامب"), "the name as written, not folded: {h1}");
    let index = archive.page("entities/person");
    let flagged = Selector::parse(".index li .flag").unwrap();
    assert!(index.select(&flagged).count() >= 1, "the index marks it too");
    let json = fs::read_to_string(archive.path("public/data/archive.json")).unwrap();
    assert!(json.contains(&format!("\"id\": \"{TRUMP}\"")) && json.contains("\"discovered\": true"), "{json}");
}

#[test]
fn a_lone_surname_joins_the_full_name_within_an_article_and_across_the_archive() {
    let archive = Archive::new();
    archive.build();
    // In a, «ترامب» after «دونالد ترامب»; in c, «ترامب» alone: the one Trump of the archive.
    for slug in ["a", "c"] {
        let lone: Vec<_> = archive.mentions(slug).into_iter().filter(|m| m.0 == "ترامب").collect();
        assert!(!lone.is_empty() && lone.iter().all(|m| m.2 == TRUMP), "{slug}: {lone:?}");
    }
    // A second person of that surname: «ترامب» alone is no longer anyone's.
    archive.put(
        "seeds/d.txt",
        "زيارة\n\nوقالت السيدة الأولى ميلانيا ترامب إنها زارت المستشفى. وأضافت ميلانيا ترامب أن الأطفال بخير.",
    );
    archive.build();
    let lone: Vec<_> = archive.mentions("c").into_iter().filter(|m| m.0 == "ترامب").collect();
    assert!(lone.iter().all(|m| m.2 != TRUMP), "{lone:?}");
    assert!(
        archive.mentions("a").iter().any(|m| m.0 == "ترامب" && m.2 == TRUMP),
        "within its own article it still joins"
    );
}

#[test]
fn a_name_in_too_few_articles_is_highlighted_without_a_link_until_the_threshold_allows() {
    let archive = Archive::new();
    archive.build();
    // Macron is named in one article only: shown, typed, not linked, no page.
    let macron: Vec<_> = archive.mentions("b").into_iter().filter(|m| m.0.contains("ماكرون")).collect();
    assert!(!macron.is_empty() && macron.iter().all(|m| m.3.is_none() && m.1 == "person"), "{macron:?}");
    assert!(!archive.path("public/entities/person/ايمانويل-ماكرون").exists());
    archive.put("site.toml", "title = \"تجربة\"\n[discovery]\nmin_articles = 1\n");
    archive.build();
    assert!(archive.mentions("b").iter().any(|m| m.0.contains("ماكرون") && m.3.is_some()));
    assert!(archive.path("public/entities/person/ايمانويل-ماكرون/index.html").is_file());
}

#[test]
fn discovery_can_be_turned_off() {
    let archive = Archive::new();
    archive.put("site.toml", "title = \"تجربة\"\n[discovery]\nenabled = false\n");
    archive.build();
    assert!(archive.mentions("a").iter().all(|m| m.1 != "person"));
    // The list of people is still there, and empty.
    let people: Vec<_> =
        fs::read_dir(archive.path("public/entities/person")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(people, ["index.html"]);
}

#[test]
fn a_place_inside_the_name_of_a_body_is_not_the_place() {
    let archive = Archive::new();
    archive.build();
    let a = archive.mentions("a");
    assert!(!a.iter().any(|m| m.2 == "egypt" || m.2 == "cairo"), "{a:?}");
    let bodies: Vec<&str> = a.iter().filter(|m| m.1 == "organization").map(|m| m.0.as_str()).collect();
    assert_eq!(bodies, ["حزب مصر القوية", "جامعة القاهرة"]);
    // Outside such a name, the built-in countries and capitals are linked; a city a
    // masculine nationality adjective follows is a team.
    archive
        .put("seeds/e.txt", "خبر\n\nوصل الوفد إلى القاهرة قادما من مصر، وفاز روما الإيطالي على ضيفه في روما الإيطالية.");
    archive.build();
    let e = archive.mentions("e");
    let ids: Vec<&str> = e.iter().map(|m| m.2.as_str()).collect();
    assert_eq!(ids, ["cairo", "egypt", "روما", "rome"], "{e:?}");
    assert_eq!((e[2].0.as_str(), e[2].1.as_str()), ("روما", "organization"), "the team is no mention of the city");
}

#[test]
fn the_gazetteer_decides_and_a_curated_entity_keeps_the_discovered_url() {
    let archive = Archive::new();
    archive.build();
    assert!(archive.path(&format!("public/entities/person/{TRUMP}/index.html")).is_file());
    // A curator adds Trump: the gazetteer's entity is linked, and the old page leads to it.
    archive.put(
        "entities.toml",
        "[[entity]]\nid = \"damascus\"\ntype = \"place\"\nname = \"دمشق\"\n\n\
         [[entity]]\nid = \"donald-trump\"\ntype = \"person\"\nname = \"دونالد ترامب\"\naliases = [\"ترامب\"]\n",
    );
    archive.build();
    assert!(archive.mentions("c").iter().filter(|m| m.0 == "ترامب").all(|m| m.2 == "donald-trump"));
    let old = fs::read_to_string(archive.path(&format!("public/entities/person/{TRUMP}/index.html"))).unwrap();
    assert!(old.contains("<base href=\"../../../\">"), "{old}");
    assert!(old.contains("http-equiv=\"refresh\" content=\"0; url=entities/person/donald-trump/index.html\""), "{old}");
    let curated = archive.page("entities/person/donald-trump");
    assert!(curated.select(&Selector::parse(".discovered").unwrap()).next().is_none());
}

#[test]
fn suggest_ranks_discovered_entities_and_prints_them_as_gazetteer_entries() {
    let archive = Archive::new();
    let out = archive.run("suggest", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().find(|l| l.trim_start().starts_with("1.")).unwrap_or_default();
    assert!(first.contains("person «دونالد ترامب» — 3 articles"), "{text}");
    assert!(text.contains("spellings: ") && text.contains("articles: a, b, c"), "{text}");
    let out = archive.run("suggest", &["--toml", "--limit", "3"]);
    let toml = stdout(&out);
    let entries: toml::Table = toml.parse().unwrap();
    let entities = entries["entity"].as_array().unwrap();
    assert_eq!(entities.len(), 3);
    assert_eq!(entities[0]["name"].as_str(), Some("دونالد ترامب"));
    assert_eq!(entities[0]["aliases"], toml::Value::from(vec!["ترامب"]));
    assert!(!archive.path("public").exists(), "suggest writes no site");
    // Pasted under the gazetteer's own entries, they are a gazetteer without errors.
    let own = fs::read_to_string(archive.path("entities.toml")).unwrap();
    archive.put("entities.toml", format!("{own}\n{toml}"));
    let out = archive.run("check", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_reports_problems_with_file_and_line_and_fails_on_errors() {
    let archive = Archive::new();
    archive.put(
        "entities.toml",
        "[[entity]]\nid = \"damascus\"\ntype = \"place\"\nname = \"دمشق\"\n\n\
         [[entity]]\nid = \"sham\"\ntype = \"place\"\nname = \"الشام\"\naliases = [\"دمشق\"]\nparent = \"levant\"\n",
    );
    let out = archive.run("check", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error: entities.toml:7:6: sham: parent \"levant\" is not an entity"), "{err}");
    assert!(err.contains("error: entities.toml:7:6: alias \"دمشق\" of sham is also an alias of damascus"), "{err}");
    // Valid, but with an entity no article names and a discovered name of another type.
    archive.put(
        "entities.toml",
        "[[entity]]\nid = \"damascus\"\ntype = \"place\"\nname = \"دمشق\"\n\n\
         [[entity]]\nid = \"trump-tower\"\ntype = \"place\"\nname = \"برج ترامب\"\n\
         [[entity.context]]\nalias = \"دونالد ترامب\"\nbefore = [\"برج\"]\n",
    );
    let out = archive.run("check", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: entities.toml:2:6: damascus is never mentioned in the archive"), "{err}");
    assert!(err.contains("warning: entities.toml:7:6: the tagger found «دونالد ترامب» as a person in 3 articles, and it is an alias of trump-tower (place)"), "{err}");
    assert!(!archive.path("public").exists(), "check writes no site");
}

#[test]
fn a_missing_or_damaged_model_stops_the_build_naming_the_file() {
    let archive = Archive::new();
    archive.put("site.toml", "title = \"تجربة\"\n[discovery]\nmodel = \"newsroom.model\"\n");
    let out = archive.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("newsroom.model: cannot read the tagger model"), "{}", stderr(&out));
    archive.put("newsroom.model", b"PK\x03\x04 not a model at all");
    let out = archive.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("newsroom.model: the tagger model is damaged or not a model") && err.contains("archive train"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn archive_train_makes_a_model_a_build_can_use_and_refuses_bad_data_by_line() {
    let archive = Archive::new();
    archive.put("bad.conll", "قال O\nالرئيس\n");
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["train", "--data"])
        .arg(archive.path("bad.conll"))
        .arg("--out")
        .arg(archive.path("m.model"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.conll:2:1: \"الرئيس\" is not a token and a label"), "{}", stderr(&out));
    let sentences =
        "قال O\nالرئيس O\nترامب B-PERS\nفي O\nواشنطن B-LOC\n\nزار O\nماكرون B-PERS\nمدينة O\nباريس B-LOC\n\n";
    archive.put("tiny.conll", sentences.repeat(3));
    let train = |out: &str| {
        let run = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["train", "--dev", "0", "--iterations", "30", "--data"])
            .arg(archive.path("tiny.conll"))
            .arg("--out")
            .arg(archive.path(out))
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", stderr(&run));
        run
    };
    assert!(stdout(&train("tiny.model")).contains("trained on 6 sentences"));
    // Trained again, the same model, byte for byte.
    train("again.model");
    assert_eq!(fs::read(archive.path("tiny.model")).unwrap(), fs::read(archive.path("again.model")).unwrap());
    archive.put("site.toml", "title = \"تجربة\"\n[discovery]\nmodel = \"tiny.model\"\nmin_articles = 1\n");
    archive.build();
}
