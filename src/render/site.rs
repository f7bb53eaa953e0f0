//! What every page shares: the site's settings and navigation, and how entities and
//! articles are named and linked, made once per render.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::markdown::MentionLink;
use super::outputs::{article, entity, kind_index, outlets, search, timeline};
use super::route::Route;
use super::view::{digest, Cache};
use super::{html, snippet, templates, Highlighter};
use crate::arabic::format;
use crate::config::Config;
use crate::domain::{Annotated, EntityKey, EntityRef, IsoDate, Kind, Mention};
use crate::error::Result;
use crate::link::{discovered, ArchiveIndex};
use crate::recognise::{quantities, Entity, Gazetteer};

/// The site as every page starts from it: `site` in each template's context.
#[derive(Serialize, Hash)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    /// The link to the home page.
    home: String,
    lang: &'a str,
    dir: &'a str,
    generator: &'static str,
    kinds: Vec<KindView>,
    /// The links to the timeline and to the outlets.
    timeline: String,
    outlets: String,
    /// The search page, when the site has one.
    search: Option<String>,
}

/// A type of entity, as every page's navigation shows it. It says nothing that changes
/// when an article does, so that an edit need not render every page again.
#[derive(Serialize, Clone, Hash)]
pub struct KindView {
    kind: Kind,
    label: &'static str,
    plural: &'static str,
    url: String,
}

/// A type of entity with how many entities of it have pages, for the pages that count them.
#[derive(Serialize, Clone, Hash)]
pub struct CountedKind {
    #[serde(flatten)]
    kind: KindView,
    count: usize,
}

/// An article as other pages link to it. `html` is templates/partials/article_item.html
/// rendered once for it, since the same item shows on many pages.
#[derive(Serialize, Clone, Default, PartialEq)]
pub struct ArticleLink {
    pub(super) url: String,
    title: String,
    date: Option<String>,
    source: Option<String>,
    html: String,
    /// Its opening sentences ([`snippet::description`]), for its page and its feed
    /// entries: made once, as the rest, and not given to the pages that list it.
    #[serde(skip)]
    pub(super) description: String,
    /// The article's stamp when it was made: made again when that changes.
    #[serde(skip)]
    stamp: u64,
}

/// What the link shows; `html` is made from it.
impl Hash for ArticleLink {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.url, &self.title, &self.date, &self.source).hash(state);
    }
}

/// URL and names by their digest, made once per entity; then what varies from link to link.
impl Hash for EntityLink<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.named, self.kind, self.discovered, self.count).hash(state);
    }
}

/// A link to an entity's page. URL and names are the site's, made once per site.
#[derive(Serialize, Clone)]
pub struct EntityLink<'s> {
    /// Of URL and names, made with them.
    #[serde(skip)]
    named: u64,
    url: Cow<'s, str>,
    pub(super) name: Cow<'s, str>,
    /// The name escaped, Latin runs isolated: what `name | isolate` gives, made once.
    name_html: Cow<'s, str>,
    kind: Kind,
    kind_label: &'static str,
    /// Found by the tagger, not in the gazetteer: pages mark it so.
    discovered: bool,
    /// Articles (on indexes) or mentions (within one article), depending on the page.
    count: usize,
}

impl EntityLink<'_> {
    /// The entity named, not linked: it has no page.
    pub fn unlinked(mut self) -> Self {
        self.url = Cow::Borrowed("");
        self.named = digest(&(self.named, "unlinked"));
        self
    }
}

/// An entity as links show it, made once per site: the same entities are linked from many pages.
#[derive(Clone)]
struct Named {
    url: String,
    name: String,
    name_html: String,
    /// Of the three above, for the digests of pages that show them in costly parts.
    digest: u64,
    /// Found by the tagger, not curated.
    discovered: bool,
}

/// Everything the pages share: settings, names and URLs of entities and articles.
pub struct Site<'a> {
    pub config: &'a Config,
    /// `base_url` ending in `/`, when it is a web address (`https://…`): what absolute
    /// addresses start with.
    web_base: Option<String>,
    pub gazetteer: &'a Gazetteer,
    pub articles: &'a [Annotated],
    pub index: &'a ArchiveIndex,
    pub(super) tera: &'a Tera,
    pub highlighter: &'a Highlighter,
    pub(super) cache: &'a Cache,
    /// What every page's context starts with: the site view, built once, and its digest.
    base_context: Context,
    pub(super) base_digest: u64,
    /// Every article as linked from other pages.
    links: Vec<ArticleLink>,
    /// Every entity with a page, as links show it.
    /// By type (in [`Kind::ALL`] order), then id borrowed from the index: looked up
    /// without making a key, with an id borrowed for any time (a map keyed by [`EntityRef`]
    /// could only be asked with keys that live as long as the site).
    names: Vec<FxHashMap<&'a str, Named>>,
    /// Pages of discovered entities that curated ones took over, and where they lead.
    pub redirects: BTreeMap<EntityKey, EntityKey>,
}

/// What a site is rendered with besides the archive: settings, templates, highlighter.
pub struct Tools<'a> {
    pub config: &'a Config,
    pub tera: &'a Tera,
    pub highlighter: &'a Highlighter,
    pub gazetteer: &'a Gazetteer,
}

impl<'a> Site<'a> {
    /// The site of `articles` and their `index`. `links` are the articles as other pages
    /// linked to them last time (none at first): only those of changed articles are made again.
    pub fn new(
        tools: Tools<'a>,
        articles: &'a [Annotated],
        index: &'a ArchiveIndex,
        links: Vec<ArticleLink>,
        cache: &'a Cache,
    ) -> Result<Site<'a>> {
        let Tools { config, tera, highlighter, gazetteer } = tools;
        let mut site = Site {
            config,
            web_base: Some(config.base()).filter(|base| html::is_web_url(base)),
            gazetteer,
            articles,
            index,
            tera,
            highlighter,
            cache,
            base_context: Context::new(),
            base_digest: 0,
            links: Vec::new(),
            names: Vec::new(),
            redirects: discovered::redirects(index, gazetteer),
        };
        site.names = Kind::ALL
            .iter()
            .map(|&kind| {
                let of_kind: Vec<&EntityKey> = index.entities.keys().filter(|k| k.kind == kind).collect();
                of_kind.into_par_iter().map(|key| (key.id.as_str(), site.named(key))).collect()
            })
            .collect();
        let view = site.site_view();
        let (base_digest, mut base_context) = (digest(&view), Context::new());
        base_context.insert("site", &view);
        (site.base_digest, site.base_context) = (base_digest, base_context);
        site.links = site.refresh(links)?;
        Ok(site)
    }

    /// `links` made again where their article changed.
    fn refresh(&self, mut links: Vec<ArticleLink>) -> Result<Vec<ArticleLink>> {
        links.resize_with(self.articles.len(), ArticleLink::default);
        links
            .into_par_iter()
            .zip(self.articles)
            .enumerate()
            .map(|(a, (link, annotated))| {
                if link.stamp == annotated.stamp && !link.url.is_empty() {
                    Ok(link)
                } else {
                    self.new_article_link(a)
                }
            })
            .collect()
    }

    /// The articles as other pages link to them, for the next render.
    pub fn into_links(self) -> Vec<ArticleLink> {
        self.links
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn context(&self) -> Context {
        self.base_context.clone()
    }

    /// The link to `route` from the site's root, which every page's `<base>` names.
    pub fn href(&self, route: &Route) -> String {
        route.link(!self.config.folder_links)
    }

    /// The address of `route` on the web, for what is read away from the site (feeds, the
    /// sitemap, citations, the canonical link): only when `base_url` is absolute (`https://…`).
    pub fn absolute(&self, route: &Route) -> Option<String> {
        self.web_base.as_deref().map(|base| route.href(base))
    }

    /// The address of `route` in the export at `from`: absolute when `base_url` is, else
    /// relative to `from` (see [`Route::href_from`]).
    pub fn link_from(&self, from: &Route, route: &Route) -> String {
        self.absolute(route).unwrap_or_else(|| route.href_from(from))
    }

    /// The display name of an entity: a discovered one's is how the archive most often
    /// writes its full name (its id is folded, and folding is never shown).
    pub fn entity_name(&self, key: &EntityKey) -> String {
        match self.named_of(key.borrowed()) {
            Some(named) => named.name.clone(),
            None => self.name_of(key),
        }
    }

    fn name_of(&self, key: &EntityKey) -> String {
        let id = key.id.as_str();
        match key.kind {
            Kind::Date => key.date().map_or_else(|| id.to_string(), format::date),
            Kind::Quantity => quantities::COUNTED.iter().find(|c| c.id == id).map_or(id, |c| c.label).to_string(),
            Kind::Person | Kind::Place | Kind::Organization => match self.gazetteer.get(id) {
                Some(e) => e.name.clone(),
                None => self
                    .index
                    .entities
                    .get(key)
                    .map_or_else(|| id.replace('-', " "), |e| e.display_name(id.split('-').count()).to_string()),
            },
        }
    }

    /// Whether an entity was found by the tagger rather than curated.
    pub fn is_discovered(&self, key: &EntityKey) -> bool {
        key.kind.is_named() && self.gazetteer.get(&key.id).is_none()
    }

    fn named_of(&self, key: EntityRef<'_>) -> Option<&Named> {
        let index = Kind::ALL.iter().position(|&k| k == key.kind)?;
        self.names.get(index)?.get(key.id)
    }

    /// How the entity of `key` is linked: as made once, or made now for an entity without
    /// a page of its own (a parent named by the gazetteer).
    fn named_or_new(&self, key: EntityRef<'_>) -> Cow<'_, Named> {
        match self.named_of(key) {
            Some(named) => Cow::Borrowed(named),
            None => Cow::Owned(self.named(&key.into())),
        }
    }

    fn named(&self, key: &EntityKey) -> Named {
        let name = self.name_of(key);
        let url = self.href(&entity::route(key));
        let name_html = html::isolate(&name);
        Named { digest: digest(&(&url, &name, &name_html)), url, name, name_html, discovered: self.is_discovered(key) }
    }

    /// A link to the entity of `key`, with `count` shown beside it.
    pub fn entity_link(&self, key: EntityRef<'_>, count: usize) -> EntityLink<'_> {
        let (url, name, name_html, named, discovered) = match self.named_or_new(key) {
            Cow::Borrowed(n) => (
                Cow::Borrowed(n.url.as_str()),
                Cow::Borrowed(n.name.as_str()),
                Cow::Borrowed(n.name_html.as_str()),
                n.digest,
                n.discovered,
            ),
            Cow::Owned(n) => (Cow::Owned(n.url), Cow::Owned(n.name), Cow::Owned(n.name_html), n.digest, n.discovered),
        };
        EntityLink { named, url, name, name_html, kind: key.kind, kind_label: key.kind.label(), discovered, count }
    }

    pub fn article_link(&self, a: usize) -> &ArticleLink {
        &self.links[a]
    }

    fn new_article_link(&self, a: usize) -> Result<ArticleLink> {
        let annotated = &self.articles[a];
        let mut link = ArticleLink {
            url: self.href(&article::route(&annotated.article.slug)),
            title: annotated.title.clone(),
            date: annotated.article.meta.date.map(|d| d.to_string()),
            source: annotated.article.meta.source.clone(),
            html: String::new(),
            description: snippet::description(&annotated.article, &annotated.cleaned),
            stamp: annotated.stamp,
        };
        let mut context = self.context();
        context.insert("a", &link);
        let html = templates::render(self.tera, "partials/article_item.html", &context)?;
        link.html = String::from_utf8_lossy(&html).into_owned();
        Ok(link)
    }

    pub fn mention_link(&self, m: &Mention, text: &str) -> MentionLink {
        let shown = &text[m.span.clone()];
        let named = m.has_page().then(|| self.named_or_new(m.key()));
        let name = named.as_ref().map_or(shown, |n| n.name.as_str());
        let label = if name == shown {
            format!("{shown} — {}", m.kind.label())
        } else {
            format!("{shown} — {}: {name}", m.kind.label())
        };
        MentionLink { href: named.map(|n| n.url.clone()), label }
    }

    pub fn kind_view(&self, kind: Kind) -> KindView {
        KindView { kind, label: kind.label(), plural: kind.plural_label(), url: self.href(&kind_index::route(kind)) }
    }

    pub fn counted_kind(&self, kind: Kind) -> CountedKind {
        CountedKind { kind: self.kind_view(kind), count: self.index.entities.keys().filter(|k| k.kind == kind).count() }
    }

    /// The kinds that have entities, in [`Kind::ALL`] order.
    pub fn kinds(&self) -> Vec<Kind> {
        Kind::ALL.into_iter().filter(|&kind| self.index.entities.keys().any(|k| k.kind == kind)).collect()
    }

    fn site_view(&self) -> SiteView<'_> {
        let kinds = self.kinds().into_iter().map(|kind| self.kind_view(kind)).collect();
        SiteView {
            title: &self.config.title,
            description: &self.config.description,
            home: self.href(&Route::folder::<&str>(&[])),
            lang: &self.config.lang,
            dir: &self.config.dir,
            generator: concat!("archive ", env!("CARGO_PKG_VERSION")),
            kinds,
            timeline: self.href(&timeline::route()),
            outlets: self.href(&outlets::index_route()),
            search: search::has_page(self).then(|| self.href(&search::route())),
        }
    }

    /// The gazetteer's entry for a person, place or organisation.
    pub fn gazetteer_entry(&self, key: &EntityKey) -> Option<&'a Entity> {
        key.kind.is_named().then(|| self.gazetteer.get(&key.id)).flatten()
    }

    /// The entity an entity's page names as its parent: the month of a day, the gazetteer's
    /// parent of a place or body.
    pub fn parent_key(&self, key: &EntityKey) -> Option<EntityKey> {
        match key.kind {
            Kind::Date => key.date().and_then(IsoDate::parent).map(EntityKey::from),
            _ => self
                .gazetteer_entry(key)
                .and_then(|e| e.parent.as_deref())
                .and_then(|p| self.gazetteer.get(p))
                .map(|e| e.key()),
        }
    }
}
