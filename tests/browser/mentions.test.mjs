// (d) The round trip a reader makes: a mention in an article leads to its entity's page,
// and that page's link to the mention, in its context, leads back to the same article
// with the same mention targeted (the URL's fragment, `:target`). Once with the mouse, once
// with the keyboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, served, pagePath, KEY_PAGES } from './lib.mjs';

const ARTICLE = KEY_PAGES.find((p) => p.kind === 'article').path;

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// Follows `link` (a locator) by mouse or keyboard, and waits for the page it leads to.
async function follow(page, link, how) {
  const href = await link.evaluate((a) => a.href);
  if (how === 'mouse') await link.click();
  else {
    await link.focus();
    await page.keyboard.press('Enter');
  }
  await page.waitForURL(href);
  return href;
}

for (const [how, nth] of [['mouse', 0], ['keyboard', 7]]) {
  test(`a mention leads to its entity and back to itself (${how})`, async () => {
    const page = await browser.context.newPage();
    await page.goto(served(ARTICLE));
    const mention = page.locator('.article-body a.mention[href]').nth(nth);
    const { id, entity } = await mention.evaluate((a) => ({ id: a.id, entity: a.dataset.entity }));
    assert.ok(id, 'the mention has an id to come back to');
    const article = pagePath(page.url());

    const entityUrl = await follow(page, mention, how);
    assert.ok(pagePath(entityUrl).endsWith(`/${entity}/`), `the mention of ${entity} leads to ${entityUrl}, not to its page`);

    // The link back to this very mention, among the entity's mentions in context.
    const back = page.locator('a.in-context');
    const hrefs = await back.evaluateAll((links) => links.map((a) => a.href));
    const index = hrefs.findIndex((h) => pagePath(h) === article && new URL(h).hash === `#${id}`);
    assert.ok(index >= 0, `${entityUrl} has no link back to ${article}#${id}; it links to:\n${hrefs.join('\n')}`);

    await follow(page, back.nth(index), how);
    const landed = await page.evaluate(() => {
      const target = document.querySelector(':target');
      const r = target?.getBoundingClientRect();
      return {
        path: location.href,
        hash: location.hash,
        target: target?.id,
        entity: target?.dataset.entity,
        visible: r ? r.bottom > 0 && r.top < innerHeight : false,
      };
    });
    landed.path = pagePath(landed.path);
    assert.deepEqual(landed, { path: article, hash: `#${id}`, target: id, entity, visible: true });
    await page.close();
  });
}
