// (a) Search as a reader uses it: the search page's interface, in Arabic and right to
// left, finds the seed articles that name Deir ez-Zor however the name is written
// (with a space, joined, after a proclitic: two of the three are nowhere in the seeds),
// and an entity by an alias. Opened from disk, where the index cannot load, the page
// offers the indexes instead.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, served, pagePath, SITE_DIR, KEY_PAGES } from './lib.mjs';

const SEARCH = KEY_PAGES.find((p) => p.kind === 'search').path;
const ARTICLES = JSON.parse(fs.readFileSync(path.join(SITE_DIR, 'data/archive.json'), 'utf8')).articles.map(
  (a) => `/articles/${a.slug}/`,
);

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// Every result's page (its path from the root) for `query`, as the interface lists them,
// with more asked for until there are no more.
async function results(page, query) {
  await page.goto(`${served(SEARCH)}?q=${encodeURIComponent(query)}`);
  // The message names the query while searching too («يبحث عن…»): wait for the count.
  await page.waitForFunction((q) => {
    const message = document.querySelector('.pagefind-ui__message')?.textContent ?? '';
    return message.includes(q) && !message.startsWith('يبحث');
  }, query);
  const more = page.locator('.pagefind-ui__button');
  while (await more.count()) await more.click();
  // Results are drawn as their data arrives: wait for as many links as the count says.
  await page.waitForFunction(() => {
    const message = document.querySelector('.pagefind-ui__message')?.textContent ?? '';
    const count = message.includes('لا نتائج') ? 0 : message.includes('نتيجة واحدة') ? 1 : Number(message.match(/(\d+)\s*$/)?.[1]);
    return document.querySelectorAll('.pagefind-ui__result-link').length === count;
  });
  const links = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.href));
  const root = pagePath(served(''));
  return links.map((href) => '/' + pagePath(href).slice(root.length));
}

for (const query of ['دير الزور', 'ديرالزور', 'بدير الزور']) {
  test(`search finds every seed article and the governorate for «${query}»`, async () => {
    const page = await browser.context.newPage();
    const found = await results(page, query);
    const articles = found.filter((p) => p.startsWith('/articles/')).sort();
    assert.deepEqual(articles, [...ARTICLES].sort(), `«${query}» found:\n${found.join('\n')}`);
    assert.ok(found.includes('/entities/place/deir-ez-zor-governorate/'), `«${query}» found:\n${found.join('\n')}`);
    // Pagefind's interface sets no direction: the page does, and the results read RTL.
    const direction = await page.locator('.pagefind-ui__result').first().evaluate((e) => getComputedStyle(e).direction);
    assert.equal(direction, 'rtl');
    await page.close();
  });
}

test('search finds an entity by an alias, first, with its type', async () => {
  const page = await browser.context.newPage();
  // «أبو كمال» is an alias of Abu Kamal (البوكمال) in entities.toml.
  const found = await results(page, 'أبو كمال');
  assert.equal(found[0], '/entities/place/abu-kamal/', found.join('\n'));
  const title = await page.locator('.pagefind-ui__result-title').first().innerText();
  assert.match(title, /^مكان: /);
  await page.close();
});

test('opened from disk, the search page offers the indexes', async () => {
  const page = await browser.context.newPage();
  await page.goto(pathToFileURL(path.join(SITE_DIR, SEARCH, 'index.html')).href);
  await page.locator('#search-unavailable').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#search').isVisible(), false);
  const links = page.locator('#search-indexes a');
  assert.ok((await links.count()) >= 2);
  await links.first().click();
  await page.waitForURL((url) => url.protocol === 'file:' && url.pathname.endsWith('/articles/index.html'));
  await page.close();
});
