// (e) The same build opened straight from disk (file://, a USB stick): home → article →
// entity → back, each page the page itself (not a folder listing) and styled as it is
// when served over HTTP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, served, SITE_DIR } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// What site.css decides, read from the page: with the stylesheet missing these are the
// browser's defaults (`max-width: none`, a transparent background).
function styles() {
  const css = (el, ...props) => props.map((p) => getComputedStyle(el)[p]);
  return {
    heading: document.querySelector('main h1')?.textContent.trim() ?? null,
    html: css(document.documentElement, 'fontFamily', 'backgroundColor', 'direction'),
    main: css(document.querySelector('main'), 'maxWidth', 'paddingInlineStart'),
  };
}

async function styled(page, what) {
  const seen = await page.evaluate(styles);
  assert.ok(seen.heading, `${what} (${page.url()}) is not a page of the site:\n${(await page.content()).slice(0, 500)}`);
  assert.notEqual(seen.main[0], 'none', `${what} (${page.url()}) has no styles`);
  return seen;
}

test('the site opened from disk keeps its links and styles: home → article → entity → back', async () => {
  const page = await browser.context.newPage();
  // The same pages over HTTP, for their styles.
  const over = {};
  await page.goto(served(''));
  over.home = await styled(page, 'the served home page');

  await page.goto(pathToFileURL(path.join(SITE_DIR, 'index.html')).href);
  assert.deepEqual(await page.evaluate(styles), over.home, 'the home page from disk is styled as served');

  await page.locator('.articles a').first().click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).protocol, 'file:');
  const article = await styled(page, 'the article from disk');
  const articleUrl = page.url();

  await page.locator('.article-body a.mention[href]').first().click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).protocol, 'file:');
  const entity = await styled(page, 'the entity page from disk');
  assert.deepEqual({ ...entity, heading: null }, { ...over.home, heading: null }, 'the entity page from disk is styled as the site');

  await page.goBack();
  assert.equal(page.url(), articleUrl, 'back returns to the article');
  assert.deepEqual(await page.evaluate(styles), article, 'the article is styled as it was');
  await page.close();
});
