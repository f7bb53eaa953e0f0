// Screenshots of the served site at phone width, light and dark, to look at by eye:
//   ARCHIVE_SITE_DIR=public ARCHIVE_SITE_URL=http://127.0.0.1:8000/ node screenshots.mjs OUT [WIDTH]
// (`python3 -m http.server -d public` serves it). For each page of KEY_PAGES and each scheme:
// its first screen and its last (where an article's provenance is).

import fs from 'node:fs';
import path from 'node:path';
import { launch, served, KEY_PAGES } from './lib.mjs';

const [out = 'shots', width = '390'] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const browser = await launch({ viewport: { width: Number(width), height: 844 } });
const page = await browser.context.newPage();
for (const { kind, path: at, query = '', ready } of KEY_PAGES) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.goto(served(at) + query);
    if (ready) await page.locator(ready).first().waitFor();
    const name = `${kind.replace(/ /g, '-')}-${width}-${colorScheme}`;
    await page.screenshot({ path: path.join(out, `${name}-top.png`) });
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
    await page.screenshot({ path: path.join(out, `${name}-end.png`) });
    console.log(path.join(out, name));
  }
}
await browser.close();
