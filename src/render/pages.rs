//! Every page of the site as template context: owned views built from the annotated
//! articles and the archive index, rendered through Tera.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::markdown::{self, MentionLink};
use super::snippet;
use super::templates;
use super::Highlighter;
use crate::arabic::{format, sort::sort_key};
use crate::config::Config;
use crate::error::Result;
use crate::link::{ArchiveIndex, EntityIndex, EntityKey};
use crate::recognise::{quantities, Gazetteer, Kind, Mention};
use crate::Annotated;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base: String,
    lang: &'a str,
    dir: &'a str,
    generator: &'static str,
    kinds: Vec<KindView>,
}

/// A type of entity, as every page's navigation shows it. It says nothing that changes
/// when an article does, so that an edit need not render every page again.
#[derive(Serialize, Clone)]
struct KindView {
    kind: Kind,
    label: &'static str,
    plural: &'static str,
    url: String,
}

/// A type of entity with how many entities of it have pages, for the pages that count them.
#[derive(Serialize, Clone)]
struct CountedKind {
    #[serde(flatten)]
    kind: KindView,
    count: usize,
}

/// An article as other pages link to it. `html` is templates/partials/article_item.html
/// rendered once for it, since the same item shows on many pages.
#[derive(Serialize, Clone, Default, PartialEq)]
pub struct ArticleLink {
    url: String,
    title: String,
    date: Option<String>,
    source: Option<String>,
    html: String,
}

/// A link to an entity's page. URL and names are the site's, made once (see [`Named`]).
#[derive(Serialize, Clone)]
pub struct EntityLink<'s> {
    url: Cow<'s, str>,
    name: Cow<'s, str>,
    /// The name escaped, Latin runs isolated: what `name | isolate` gives, made once.
    name_html: Cow<'s, str>,
    kind: Kind,
    kind_label: &'static str,
    /// Found by the tagger, not in the gazetteer: pages mark it so.
    discovered: bool,
    /// Articles (on indexes) or mentions (within one article), depending on the page.
    count: usize,
}

/// An entity as links show it, made once per site: the same entities are linked from many pages.
struct Named {
    url: String,
    name: String,
    name_html: String,
}

/// Everything the pages share: names and URLs of entities and articles.
pub struct Site<'a> {
    pub(super) config: &'a Config,
    base: String,
    pub(super) gazetteer: &'a Gazetteer,
    pub(super) articles: &'a [Annotated],
    pub(super) index: &'a ArchiveIndex,
    tera: &'a Tera,
    highlighter: &'a Highlighter,
    /// What every page's context starts with: the site view, built once.
    base_context: Context,
    /// Every article as linked from other pages, built once.
    links: Vec<ArticleLink>,
    /// Every entity with a page, as links show it.
    names: HashMap<EntityKey, Named>,
    /// Pages of discovered entities that curated ones took over (see [`Job::Redirect`]).
    redirects: BTreeMap<EntityKey, EntityKey>,
}

/// A page made: where it goes, relative to the site's root, and its HTML.
pub type Page = (String, Vec<u8>);

/// One unit of rendering work: it writes one page, or pages of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Home,
    /// Pages of `/articles/`.
    Articles(Pages),
    Article(usize),
    /// Every page of a type's index.
    Kind(Kind),
    Entity(EntityKey, Pages),
    /// The page a discovered entity had, now leading to the curated entity that took its place.
    Redirect(EntityKey),
}

/// Which pages of a paginated list to render.
#[derive(Debug, Clone, PartialEq)]
pub enum Pages {
    All,
    /// These page numbers (from 1), when the others are known to be unchanged.
    Only(BTreeSet<usize>),
}

impl Pages {
    fn wants(&self, number: usize) -> bool {
        match self {
            Pages::All => true,
            Pages::Only(numbers) => numbers.contains(&number),
        }
    }
}

/// Links between the pages of a paginated list.
#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// Shared entities shown for each related article.
const SHARED_SHOWN: usize = 5;

/// Numbered page links shown either side of the current one.
const PAGER_REACH: usize = 4;

/// The URL of page `n` of a list whose first page is at `url`.
fn page_url(url: &str, n: usize) -> String {
    if n == 1 {
        url.to_string()
    } else {
        format!("{url}page/{n}/")
    }
}

/// The file of page `n` of a list whose first page is `dir/index.html`.
pub(crate) fn page_path(dir: &str, n: usize) -> String {
    if n == 1 {
        format!("{dir}index.html")
    } else {
        format!("{dir}page/{n}/index.html")
    }
}

fn pager(url: &str, current: usize, total: usize) -> Pager {
    let first = current.saturating_sub(PAGER_REACH).max(1);
    let last = (current + PAGER_REACH).min(total);
    Pager {
        current,
        total,
        prev: (current > 1).then(|| page_url(url, current - 1)),
        next: (current < total).then(|| page_url(url, current + 1)),
        pages: (first..=last).map(|n| PageLink { number: n, url: page_url(url, n), current: n == current }).collect(),
    }
}

/// Splits `items` into pages of `size` (at least one page, even when empty).
pub(crate) fn pages_of<T>(items: &[T], size: usize) -> Vec<&[T]> {
    if items.is_empty() {
        vec![items]
    } else {
        items.chunks(size.max(1)).collect()
    }
}

/// How many pages `items` things take, `size` a page: as many as [`pages_of`] makes.
pub(crate) fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size.max(1)).max(1)
}

/// How many pages an entity's timeline takes, `per_page` articles a page, without making
/// its groups (see [`by_article`]).
pub(crate) fn timeline_pages(index: &EntityIndex, per_page: usize) -> usize {
    page_count(index.mentions.chunk_by(|x, y| x.0 == y.0).count(), per_page)
}

/// An entity's mentions by article, in the index's order (articles oldest first): what its
/// pages list, `paginate.timeline` articles a page.
pub(crate) fn by_article(index: &EntityIndex) -> Vec<(usize, Vec<usize>)> {
    let mut by_article: Vec<(usize, Vec<usize>)> = Vec::new();
    for &(a, i) in &index.mentions {
        match by_article.last_mut() {
            Some((last, list)) if *last == a => list.push(i),
            _ => by_article.push((a, vec![i])),
        }
    }
    by_article
}

/// Where the pages of an entity are, relative to the site's root.
pub(crate) fn entity_dir(key: &EntityKey) -> String {
    format!("entities/{}/{}/", key.0, key.1)
}

/// Where the pages of a type's index are.
pub(crate) fn kind_dir(kind: Kind) -> String {
    format!("entities/{kind}/")
}

/// Percent-encodes one URL path segment (slugs may be Arabic).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl<'a> Site<'a> {
    /// A renderer over `articles` and their `index`. `links` are the articles as other pages
    /// link to them, as [`Site::refresh_links`] last made them (none at first).
    pub fn new(
        config: &'a Config,
        tera: &'a Tera,
        highlighter: &'a Highlighter,
        gazetteer: &'a Gazetteer,
        articles: &'a [Annotated],
        index: &'a ArchiveIndex,
        links: Vec<ArticleLink>,
    ) -> Site<'a> {
        let mut site = Site {
            config,
            base: config.base(),
            gazetteer,
            articles,
            index,
            tera,
            highlighter,
            base_context: Context::new(),
            links,
            names: HashMap::new(),
            redirects: crate::link::discovered::redirects(index, gazetteer),
        };
        site.names = index.entities.par_iter().map(|(key, _)| (key.clone(), site.named(key))).collect();
        let mut base_context = Context::new();
        base_context.insert("site", &site.site_view());
        site.base_context = base_context;
        site
    }

    /// Makes again how other pages link to the articles `which`.
    pub fn refresh_links(&mut self, which: &[usize]) -> Result<()> {
        self.links.resize_with(self.articles.len(), ArticleLink::default);
        let fresh: Vec<ArticleLink> = which.par_iter().map(|&a| self.new_article_link(a)).collect::<Result<_>>()?;
        for (&a, link) in which.iter().zip(fresh) {
            self.links[a] = link;
        }
        Ok(())
    }

    pub fn index(&self) -> &'a ArchiveIndex {
        self.index
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    pub fn into_links(self) -> Vec<ArticleLink> {
        self.links
    }

    pub(super) fn entity_url(&self, kind: Kind, id: &str) -> String {
        format!("{}entities/{}/{}/", self.base, kind, encode_segment(id))
    }

    fn kind_url(&self, kind: Kind) -> String {
        format!("{}{}", self.base, kind_dir(kind))
    }

    pub(super) fn article_url(&self, a: usize) -> String {
        self.links[a].url.clone()
    }

    fn new_article_url(&self, a: usize) -> String {
        format!("{}articles/{}/", self.base, encode_segment(&self.articles[a].article.slug))
    }

    /// The display name of an entity: a discovered one's is how the archive most often
    /// writes its full name (its id is folded, and folding is never shown).
    pub fn entity_name(&self, kind: Kind, id: &str) -> String {
        match kind {
            Kind::Date => format::date(id),
            Kind::Quantity => quantities::COUNTED.iter().find(|c| c.id == id).map_or(id, |c| c.label).to_string(),
            _ => match self.gazetteer.get(id) {
                Some(e) => e.name.clone(),
                None => self
                    .index
                    .entities
                    .get(&(kind, id.to_string()))
                    .map_or_else(|| id.replace('-', " "), |e| e.display_name(id.split('-').count()).to_string()),
            },
        }
    }

    /// Whether an entity was found by the tagger rather than curated.
    pub(super) fn is_discovered(&self, key: &EntityKey) -> bool {
        key.0.is_named() && self.gazetteer.get(&key.1).is_none()
    }

    fn named(&self, key: &EntityKey) -> Named {
        let name = self.entity_name(key.0, &key.1);
        Named { url: self.entity_url(key.0, &key.1), name_html: super::html::isolate(&name), name }
    }

    fn entity_link(&self, key: &EntityKey, count: usize) -> EntityLink<'_> {
        let (url, name, name_html) = match self.names.get(key) {
            Some(n) => {
                (Cow::Borrowed(n.url.as_str()), Cow::Borrowed(n.name.as_str()), Cow::Borrowed(n.name_html.as_str()))
            }
            // An entity without a page of its own: a parent named by the gazetteer.
            None => {
                let n = self.named(key);
                (Cow::Owned(n.url), Cow::Owned(n.name), Cow::Owned(n.name_html))
            }
        };
        EntityLink {
            url,
            name,
            name_html,
            kind: key.0,
            kind_label: key.0.label(),
            discovered: self.is_discovered(key),
            count,
        }
    }

    pub fn article_link(&self, a: usize) -> &ArticleLink {
        &self.links[a]
    }

    fn new_article_link(&self, a: usize) -> Result<ArticleLink> {
        let annotated = &self.articles[a];
        let mut link = ArticleLink {
            url: self.new_article_url(a),
            title: annotated.title.clone(),
            date: annotated.article.meta.date.map(|d| d.to_string()),
            source: annotated.article.meta.source.clone(),
            html: String::new(),
        };
        let mut context = self.context();
        context.insert("a", &link);
        let html = templates::render(self.tera, "partials/article_item.html", &context)?;
        link.html = String::from_utf8_lossy(&html).into_owned();
        Ok(link)
    }

    fn mention_link(&self, m: &Mention, text: &str) -> MentionLink {
        let shown = &text[m.span.clone()];
        let name = if m.has_page() { self.entity_name(m.kind, &m.entity) } else { shown.to_string() };
        let label = if name == shown {
            format!("{shown} — {}", m.kind.label())
        } else {
            format!("{shown} — {}: {name}", m.kind.label())
        };
        MentionLink { href: m.has_page().then(|| self.entity_url(m.kind, &m.entity)), label }
    }

    fn kind_view(&self, kind: Kind) -> KindView {
        KindView { kind, label: kind.label(), plural: kind.plural_label(), url: self.kind_url(kind) }
    }

    fn counted_kind(&self, kind: Kind) -> CountedKind {
        CountedKind { kind: self.kind_view(kind), count: self.index.entities.keys().filter(|k| k.0 == kind).count() }
    }

    /// The kinds that have entities, in [`Kind::ALL`] order.
    fn kinds(&self) -> Vec<Kind> {
        Kind::ALL.into_iter().filter(|&kind| self.index.entities.keys().any(|k| k.0 == kind)).collect()
    }

    fn site_view(&self) -> SiteView<'_> {
        let kinds = self.kinds().into_iter().map(|kind| self.kind_view(kind)).collect();
        SiteView {
            title: &self.config.title,
            description: &self.config.description,
            base: self.base.clone(),
            lang: &self.config.lang,
            dir: &self.config.dir,
            generator: concat!("archive ", env!("CARGO_PKG_VERSION")),
            kinds,
        }
    }

    fn context(&self) -> Context {
        self.base_context.clone()
    }

    /// Every page of the site.
    pub fn every_page(&self) -> Vec<Job> {
        let mut jobs = vec![Job::Home, Job::Articles(Pages::All)];
        jobs.extend((0..self.articles.len()).map(Job::Article));
        jobs.extend(Kind::ALL.map(Job::Kind));
        jobs.extend(self.index.entities.keys().map(|key| Job::Entity(key.clone(), Pages::All)));
        jobs.extend(self.redirects.keys().map(|key| Job::Redirect(key.clone())));
        jobs
    }

    pub fn redirects(&self) -> &BTreeMap<EntityKey, EntityKey> {
        &self.redirects
    }

    /// Renders the pages of `jobs` in parallel, handing each to `write` (path relative to
    /// the site's root, then HTML) as soon as it is made; returns how many pages it wrote.
    pub fn render(&self, jobs: &[Job], write: impl Fn(String, Vec<u8>) -> Result<()> + Sync) -> Result<usize> {
        let written: Vec<usize> = jobs
            .par_iter()
            .map(|job| {
                let files = self.run(job)?;
                let count = files.len();
                for (path, html) in files {
                    write(path, html)?;
                }
                Ok(count)
            })
            .collect::<Result<_>>()?;
        Ok(written.iter().sum())
    }

    fn run(&self, job: &Job) -> Result<Vec<Page>> {
        Ok(match job {
            Job::Home => vec![("index.html".to_string(), self.home()?)],
            Job::Articles(pages) => self.article_list(pages)?,
            Job::Article(a) => {
                vec![(format!("articles/{}/index.html", self.articles[*a].article.slug), self.article(*a)?)]
            }
            Job::Kind(kind) => self.entity_list(*kind)?,
            Job::Entity(key, pages) => self.entity(key, pages)?,
            Job::Redirect(old) => match self.redirects.get(old) {
                Some(to) => vec![(page_path(&entity_dir(old), 1), self.redirect(to))],
                None => Vec::new(),
            },
        })
    }

    /// A page that sends the reader on to `to`'s page: made here rather than by a
    /// template, as it shows nothing of its own.
    fn redirect(&self, to: &EntityKey) -> Vec<u8> {
        let url = super::html::escape(&self.entity_url(to.0, &to.1));
        let name = super::html::isolate(&self.entity_name(to.0, &to.1));
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n\
             <meta name=\"robots\" content=\"noindex\">\n<title>{name}</title>\n</head>\n<body>\n\
             <p>صار لهذا الكيان مدخل في المعجم: <a href=\"{url}\">{name}</a>.</p>\n</body>\n</html>\n",
            lang = super::html::escape(&self.config.lang),
            dir = super::html::escape(&self.config.dir),
        )
        .into_bytes()
    }

    fn home(&self) -> Result<Vec<u8>> {
        #[derive(Serialize)]
        struct Top<'s> {
            kind: CountedKind,
            entities: Vec<EntityLink<'s>>,
        }
        let latest = self.config.home.latest_articles;
        let articles: Vec<&ArticleLink> =
            self.index.chronological.iter().rev().take(latest).map(|&a| self.article_link(a)).collect();
        let top: Vec<Top> = self
            .kinds()
            .into_iter()
            .map(|kind| {
                let mut entities: Vec<(&EntityKey, usize)> = self
                    .index
                    .entities
                    .iter()
                    .filter(|(k, _)| k.0 == kind)
                    .map(|(k, e)| (k, e.mentions.len()))
                    .collect();
                entities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                entities.truncate(self.config.home.top_entities);
                Top {
                    kind: self.counted_kind(kind),
                    entities: entities.into_iter().map(|(k, n)| self.entity_link(k, n)).collect(),
                }
            })
            .collect();
        let mut context = self.context();
        context.insert("articles", &articles);
        context.insert("article_count", &self.articles.len());
        context.insert("all_articles_url", &format!("{}articles/", self.base));
        context.insert("top", &top);
        templates::render(self.tera, "index.html", &context)
    }

    /// `/articles/`: every article, newest first, a page at a time.
    fn article_list(&self, pages: &Pages) -> Result<Vec<Page>> {
        let newest_first: Vec<usize> = self.index.chronological.iter().rev().copied().collect();
        let url = format!("{}articles/", self.base);
        let chunks = pages_of(&newest_first, self.config.paginate.articles);
        let mut files = Vec::with_capacity(chunks.len());
        for (i, chunk) in chunks.iter().enumerate().filter(|(i, _)| pages.wants(i + 1)) {
            let articles: Vec<&ArticleLink> = chunk.iter().map(|&a| self.article_link(a)).collect();
            let mut context = self.context();
            context.insert("articles", &articles);
            context.insert("article_count", &self.articles.len());
            context.insert("first_number", &(self.articles.len() - i * self.config.paginate.articles));
            context.insert("pager", &pager(&url, i + 1, chunks.len()));
            files.push((page_path("articles/", i + 1), templates::render(self.tera, "articles.html", &context)?));
        }
        Ok(files)
    }

    fn article(&self, a: usize) -> Result<Vec<u8>> {
        #[derive(Serialize)]
        struct ArticleView<'v> {
            #[serde(flatten)]
            record: super::data::ArticleRecord<'v>,
            title_html: String,
            body_html: String,
            /// The source URL when it is a web address that may be a link.
            source_link: Option<&'v str>,
            mention_count: usize,
        }
        #[derive(Serialize)]
        struct RelatedView<'v> {
            article: &'v ArticleLink,
            shared: Vec<EntityLink<'v>>,
        }
        #[derive(Serialize)]
        struct Group<'s> {
            kind: Kind,
            label: &'static str,
            entities: Vec<EntityLink<'s>>,
        }
        let annotated = &self.articles[a];
        let article = &annotated.article;
        let text = article.text.as_str();
        let link = |m: &Mention| self.mention_link(m, text);
        let events = markdown::body_events(article, &annotated.cleaned);
        let body_html =
            markdown::render(text, events, &annotated.mentions, &link, self.highlighter, self.config.markdown.raw_html);
        let title_html = match &annotated.cleaned.title {
            Some(title) => markdown::render(
                text,
                markdown::title_events(article, title),
                &annotated.mentions,
                &link,
                self.highlighter,
                self.config.markdown.raw_html,
            ),
            None => super::html::isolate(&annotated.title),
        };
        let view = ArticleView {
            record: self.article_record(a),
            title_html,
            body_html,
            source_link: article.meta.url.as_deref().filter(|u| super::html::is_web_url(u)),
            mention_count: annotated.mentions.len(),
        };
        // Entities of this article by type, most mentioned first.
        let mut counts: BTreeMap<EntityKey, usize> = BTreeMap::new();
        for m in annotated.mentions.iter().filter(|m| m.has_page()) {
            *counts.entry((m.kind, m.entity.clone())).or_default() += 1;
        }
        let groups: Vec<Group> = Kind::ALL
            .iter()
            .map(|&kind| {
                let mut list: Vec<(&EntityKey, &usize)> = counts.iter().filter(|(k, _)| k.0 == kind).collect();
                list.sort_by(|x, y| y.1.cmp(x.1).then_with(|| x.0.cmp(y.0)));
                Group {
                    kind,
                    label: kind.plural_label(),
                    entities: list.into_iter().map(|(k, &n)| self.entity_link(k, n)).collect(),
                }
            })
            .filter(|g| !g.entities.is_empty())
            .collect();
        // Shared entities carry no count: a count here would change this page whenever any
        // article naming the entity changes.
        let related: Vec<RelatedView> = self.index.related[a]
            .iter()
            .map(|r| RelatedView {
                article: self.article_link(r.article),
                shared: r.shared.iter().take(SHARED_SHOWN).map(|k| self.entity_link(k, 0)).collect(),
            })
            .collect();
        let by_date: Vec<RelatedView> = self.index.by_date[a]
            .iter()
            .map(|d| RelatedView {
                article: self.article_link(d.article),
                shared: d.dates.iter().map(|iso| self.entity_link(&(Kind::Date, iso.clone()), 0)).collect(),
            })
            .collect();
        let position = self.index.rank[a];
        let newer = self.index.chronological.get(position + 1).map(|&x| self.article_link(x));
        let older = position.checked_sub(1).map(|p| self.article_link(self.index.chronological[p]));
        let mut context = self.context();
        context.insert("article", &view);
        context.insert("entities", &groups);
        context.insert("related", &related);
        context.insert("by_date", &by_date);
        context.insert("older", &older);
        context.insert("newer", &newer);
        templates::render(self.tera, "article.html", &context)
    }

    /// The gazetteer's entry for a person, place or organisation.
    pub(super) fn gazetteer_entry(&self, key: &EntityKey) -> Option<&'a crate::recognise::Entity> {
        key.0.is_named().then(|| self.gazetteer.get(&key.1)).flatten()
    }

    /// The entity an entity's page names as its parent: the month of a day, the gazetteer's
    /// parent of a place or body.
    pub fn parent_key(&self, key: &EntityKey) -> Option<EntityKey> {
        match key.0 {
            Kind::Date => {
                crate::recognise::IsoDate::parse(&key.1).and_then(|d| d.parent()).map(|p| (Kind::Date, p.to_string()))
            }
            _ => self
                .gazetteer_entry(key)
                .and_then(|e| e.parent.as_deref())
                .and_then(|p| self.gazetteer.get(p))
                .map(|e| (Kind::from(e.kind), e.id().to_string())),
        }
    }

    /// An entity's pages: what it is, then its mentions grouped by article in date order,
    /// `paginate.timeline` articles a page.
    fn entity(&self, key: &EntityKey, pages: &Pages) -> Result<Vec<Page>> {
        #[derive(Serialize)]
        struct EntityView<'v> {
            id: &'v str,
            kind: Kind,
            kind_label: &'static str,
            kind_plural: &'static str,
            kind_url: String,
            url: String,
            name: String,
            name_en: Option<&'v str>,
            description: Option<&'v str>,
            wikidata: Option<&'v str>,
            coords: Option<[f64; 2]>,
            parent: Option<EntityLink<'v>>,
            aliases: Vec<&'v str>,
            aliases_seen: Vec<Seen<'v>>,
            mention_count: usize,
            article_count: usize,
            /// Found by the tagger, not curated.
            discovered: bool,
        }
        #[derive(Serialize)]
        struct Seen<'v> {
            text: &'v str,
            count: usize,
        }
        #[derive(Serialize)]
        /// A mention in its sentence. The three parts are HTML already (escaped, Latin runs
        /// isolated): there are many on an entity page, and Rust does it faster than a filter.
        struct MentionView {
            href: String,
            before_html: String,
            text_html: String,
            after_html: String,
            amount: Option<String>,
        }
        #[derive(Serialize)]
        struct InArticle<'v> {
            article: &'v ArticleLink,
            mentions: Vec<MentionView>,
            /// Mentions in this article beyond those shown.
            more: usize,
        }
        let index = &self.index.entities[key];
        let (kind, id) = (key.0, key.1.as_str());
        let entry = self.gazetteer_entry(key);
        // A parent without a page of its own is named, not linked.
        let parent = self.parent_key(key).map(|p| {
            let mut link = self.entity_link(&p, 0);
            if !self.index.entities.contains_key(&p) {
                link.url = Cow::Borrowed("");
            }
            link
        });
        let by_article = by_article(index);
        let shown = self.config.paginate.mentions_per_article;
        let in_article = |(a, list): &(usize, Vec<usize>)| {
            let annotated = &self.articles[*a];
            let text = annotated.article.text.as_str();
            let mentions = list
                .iter()
                .take(shown)
                .map(|&i| {
                    let m = &annotated.mentions[i];
                    let (before, after) = snippet::around(text, m.span.clone(), self.config.entities.context_words);
                    MentionView {
                        href: format!("{}#{}", self.article_url(*a), m.anchor()),
                        before_html: super::html::isolate(&before),
                        text_html: super::html::isolate(&text[m.span.clone()]),
                        after_html: super::html::isolate(&after),
                        amount: m.amount.map(|(n, q)| q.map_or(n.to_string(), |q| format!("{q} {n}"))),
                    }
                })
                .collect();
            InArticle { article: self.article_link(*a), mentions, more: list.len().saturating_sub(shown) }
        };
        let aliases_seen: Vec<Seen<'_>> =
            index.spellings.iter().map(|(text, count)| Seen { text, count: *count }).collect();
        let view = EntityView {
            id,
            kind,
            kind_label: kind.label(),
            kind_plural: kind.plural_label(),
            kind_url: self.kind_url(kind),
            url: self.entity_url(kind, id),
            name: self.entity_name(kind, id),
            name_en: entry.and_then(|e| e.name_en.as_deref()),
            description: entry.and_then(|e| e.description.as_deref()),
            wikidata: entry.and_then(|e| e.wikidata.as_deref()),
            coords: entry.and_then(|e| e.coords),
            parent,
            aliases: entry.map(|e| e.aliases.iter().map(String::as_str).collect()).unwrap_or_default(),
            aliases_seen,
            mention_count: index.mentions.len(),
            article_count: index.articles.len(),
            discovered: self.is_discovered(key),
        };
        let cooccurring: Vec<EntityLink<'_>> = index.cooccurring.iter().map(|(k, n)| self.entity_link(k, *n)).collect();
        let days: Vec<EntityLink<'_>> = index
            .days
            .iter()
            .map(|d| {
                self.entity_link(&(Kind::Date, d.clone()), self.index.entities[&(Kind::Date, d.clone())].articles.len())
            })
            .collect();
        let dir = entity_dir(key);
        let chunks = pages_of(&by_article, self.config.paginate.timeline);
        let mut shared = self.context();
        shared.insert("entity", &view);
        shared.insert("cooccurring", &cooccurring);
        shared.insert("days", &days);
        // The pages of a much-mentioned entity are many: made in parallel.
        chunks
            .par_iter()
            .enumerate()
            .filter(|(i, _)| pages.wants(i + 1))
            .map(|(i, chunk)| {
                let timeline: Vec<InArticle> = chunk.iter().map(in_article).collect();
                let mut context = shared.clone();
                context.insert("timeline", &timeline);
                context.insert("pager", &pager(&view.url, i + 1, chunks.len()));
                Ok((page_path(&dir, i + 1), templates::render(self.tera, "entity.html", &context)?))
            })
            .collect()
    }

    /// A type's index, `paginate.entities` entities a page: names in Arabic alphabetical
    /// order, dates in time order, under a heading per letter (or year).
    fn entity_list(&self, kind: Kind) -> Result<Vec<Page>> {
        #[derive(Serialize)]
        struct Section<'s> {
            heading: String,
            entities: Vec<EntityLink<'s>>,
        }
        let mut entities: Vec<(String, EntityLink<'_>)> = self
            .index
            .entities
            .iter()
            .filter(|(k, _)| k.0 == kind)
            .map(|(k, e)| {
                let link = self.entity_link(k, e.articles.len());
                // Dates read in time order; names in Arabic alphabetical order.
                let key = if kind == Kind::Date { k.1.clone() } else { sort_key(&link.name) };
                (key, link)
            })
            .collect();
        entities.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let kind_view = self.counted_kind(kind);
        let url = self.kind_url(kind);
        let chunks = pages_of(&entities, self.config.paginate.entities);
        let mut files = Vec::with_capacity(chunks.len());
        for (i, chunk) in chunks.iter().enumerate() {
            let mut sections: Vec<Section> = Vec::new();
            for (key, link) in chunk.iter() {
                let heading = match kind {
                    Kind::Date => key.chars().take(4).collect(),
                    _ => key.chars().next().map(String::from).unwrap_or_default(),
                };
                match sections.last_mut() {
                    Some(s) if s.heading == heading => s.entities.push(link.clone()),
                    _ => sections.push(Section { heading, entities: vec![link.clone()] }),
                }
            }
            let mut context = self.context();
            context.insert("kind", &kind_view);
            context.insert("sections", &sections);
            context.insert("pager", &pager(&url, i + 1, chunks.len()));
            files.push((page_path(&kind_dir(kind), i + 1), templates::render(self.tera, "entities.html", &context)?));
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_link_neighbours_and_nearby_pages() {
        let p = pager("/entities/place/syria/", 1, 3);
        assert_eq!((p.prev, p.next.as_deref()), (None, Some("/entities/place/syria/page/2/")));
        let p = pager("/articles/", 10, 30);
        assert_eq!(p.prev.as_deref(), Some("/articles/page/9/"));
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [6, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert_eq!(page_url("/articles/", 1), "/articles/");
        assert_eq!(page_path("articles/", 2), "articles/page/2/index.html");
        assert_eq!(pages_of::<u8>(&[], 10).len(), 1);
        assert_eq!(pages_of(&[1, 2, 3], 2), [&[1, 2][..], &[3][..]]);
        for items in 0..12 {
            for size in 0..5 {
                assert_eq!(page_count(items, size), pages_of(&vec![0; items], size).len(), "{items} {size}");
            }
        }
        let index = EntityIndex { mentions: vec![(4, 0), (4, 1), (2, 0), (7, 3)], ..EntityIndex::default() };
        assert_eq!((timeline_pages(&index, 2), pages_of(&by_article(&index), 2).len()), (2, 2));
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("deir-ez-zor"), "deir-ez-zor");
        assert_eq!(encode_segment("دير"), "%D8%AF%D9%8A%D8%B1");
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
    }
}
