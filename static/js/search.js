// The search page (templates/search.html): Pagefind's interface over the archive's index,
// in Arabic and right to left. A file, not an inline script, for the pages'
// Content-Security-Policy (script-src 'self'). Until the index is known to load, the page
// shows the indexes; where it cannot load (opened from disk, the index missing) they stay.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var indexes = document.getElementById("search-indexes");
  var unavailable = document.getElementById("search-unavailable");
  if (!box || !indexes) return;
  // Resolved against the page, so that the links work under any root, origin or base.
  var bundle = new URL(box.dataset.bundle, document.baseURI).href;
  var root = new URL(box.dataset.root, document.baseURI).href;
  // The index's other shards, searched with the first; their results link from the root too.
  var merged = (box.dataset.merge || "").split(" ").filter(Boolean).map(function (path) {
    return { bundlePath: new URL(path, document.baseURI).href, baseUrl: root };
  });

  function fallBack() {
    box.hidden = true;
    indexes.hidden = false;
    if (unavailable) unavailable.hidden = false;
  }

  // Pagefind's own strings, where ours read better: counts without a noun to agree with,
  // the search term in Arabic quotation marks.
  var translations = {
    placeholder: "ابحث في الأرشيف",
    search_label: "ابحث في الأرشيف",
    clear_search: "امسح",
    load_more: "نتائج أخرى",
    filters_label: "التصفية",
    zero_results: "لا نتائج لـ«[SEARCH_TERM]»",
    one_result: "نتيجة واحدة لـ«[SEARCH_TERM]»",
    many_results: "نتائج «[SEARCH_TERM]»: [COUNT]",
    alt_search: "لا نتائج لـ«[SEARCH_TERM]»؛ هذه نتائج «[DIFFERENT_TERM]»",
    search_suggestion: "لا نتائج لـ«[SEARCH_TERM]». جرّب:",
    searching: "يبحث عن «[SEARCH_TERM]»…",
    results_label: "نتائج البحث",
    error_search: "تعذّر البحث",
    loading: "يُحمَّل…",
  };

  // What a result is, in its title: the type of an entity, outlet and date of an article.
  // The interface would show each other field of metadata under its English name: the
  // spellings of names are there to be searched, not read.
  function processResult(result) {
    var meta = result.meta || {};
    if (meta.kind) {
      meta.title = meta.kind + ": " + meta.title;
    } else {
      var about = [meta.source, meta.date].filter(Boolean).join("، ");
      if (about) meta.title = meta.title + " (" + about + ")";
    }
    result.meta = { title: meta.title };
    return result;
  }

  function start() {
    if (typeof window.PagefindUI !== "function") return fallBack();
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      mergeIndex: merged,
      baseUrl: root,
      showImages: false,
      showSubResults: false,
      translations: translations,
      processResult: processResult,
    });
    box.hidden = false;
    indexes.hidden = true;
    // search/?q=… searches at once: a link can share a search.
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  // The index is there if its entry file can be fetched: not from file://, where fetch
  // fails at once, nor from a host that lacks it. A host that does not answer is not
  // waited on for long.
  var controller = typeof AbortController === "function" ? new AbortController() : null;
  var timer = setTimeout(function () {
    if (controller) controller.abort();
  }, 8000);
  var probe;
  try {
    probe = fetch(bundle + "pagefind-entry.json", controller ? { signal: controller.signal } : {});
  } catch (e) {
    probe = Promise.reject(e);
  }
  probe
    .then(function (response) {
      clearTimeout(timer);
      if (!response.ok) throw new Error("no index");
      start();
    })
    .catch(function () {
      clearTimeout(timer);
      fallBack();
    });
})();
