// (b) axe-core finds no serious or critical violation of WCAG 2.0/2.1/2.2 A and AA on
// one page of each kind (KEY_PAGES in lib.mjs), in the light and the dark colour scheme.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, served, KEY_PAGES } from './lib.mjs';

const { source } = createRequire(import.meta.url)('axe-core');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

for (const { kind, path, query = '', ready, status = 200 } of KEY_PAGES) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe: ${kind} page (/${path}${query}), ${colorScheme}`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme });
      const response = await page.goto(served(path) + query);
      assert.equal(response.status(), status, `/${path} answers ${response.status()}`);
      if (ready) await page.locator(ready).first().waitFor();
      // Evaluated through the DevTools protocol, which the page's CSP does not govern:
      // the page is tested with its own policy in force.
      await page.evaluate(source);
      const result = await page.evaluate((tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
      await page.close();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const described = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`);
      assert.equal(described.length, 0, `axe on /${path} (${colorScheme}):\n${described.join('\n')}`);
      assert.ok(result.passes.length > 0, "axe ran no rule");
    });
  }
}
