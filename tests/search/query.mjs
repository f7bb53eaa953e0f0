// Searches a built site's index as its search page does, in node rather than a browser:
// `node query.mjs SITE QUERY...` prints, as JSON, each query's results (url, title, kind).
// pagefind.js is an ES module that fetches its files; here they are read from SITE. The
// index's other shards are merged in as the search page merges them (its data-merge).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site, ...queries] = process.argv.slice(2);
const origin = "http://archive.invalid/";

globalThis.fetch = async (url) => {
  const file = path.join(site, decodeURIComponent(new URL(url, origin).pathname));
  try {
    return new Response(await readFile(file));
  } catch {
    return new Response(null, { status: 404 });
  }
};

const pagefind = await import(pathToFileURL(path.join(site, "pagefind", "pagefind.js")).href);
await pagefind.options({ basePath: `${origin}pagefind/`, baseUrl: "/" });
const page = await readFile(path.join(site, "search", "index.html"), "utf8");
const merge = (page.match(/data-merge="([^"]*)"/) ?? ["", ""])[1].split(" ").filter(Boolean);
for (const shard of merge) await pagefind.mergeIndex(`${origin}${shard}`, { baseUrl: "/" });
await pagefind.init();
const found = {};
for (const query of queries) {
  const search = await pagefind.search(query);
  const results = await Promise.all(search.results.map((r) => r.data()));
  found[query] = results.map((d) => ({ url: d.url, title: d.meta.title, kind: d.meta.kind ?? null }));
}
console.log(JSON.stringify(found));
