// Every page of the built site, visited once over HTTP in Chromium:
// (a) no request leaves the local server, and nothing the page asks for fails (a moved
//     entity's page is followed to where it sends the reader);
// (f) at phone widths (320, 390 and 430 px) no page scrolls sideways.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, htmlFiles, served, isRedirect, SITE_ORIGIN } from './lib.mjs';

const WIDTHS = [320, 390, 430];

const foreign = []; // requests for anything but the local server
const failed = []; // responses >= 400 and requests that failed, on pages that exist
const errors = []; // console errors and uncaught exceptions
const wide = []; // pages that scroll sideways, with the elements that stick out
let visited = 0;
let measured = 0;
let browser;

// Two tabs share the pages: Chromium renders each in its own process.
const TABS = 2;

before(async () => {
  browser = await launch({ viewport: { width: WIDTHS[0], height: 800 } });
  const { context } = browser;
  const visiting = new Map(); // tab → the page it is on, to say where a request came from
  const where = (req) => {
    try {
      return visiting.get(req.frame().page()) ?? '(no page)';
    } catch {
      return '(a worker)';
    }
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === SITE_ORIGIN) return route.continue();
    foreign.push(`${where(route.request())}: ${url}`);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (ws) => {
    foreign.push(`WebSocket ${ws.url()}`);
    ws.close();
  });
  context.on('response', (res) => {
    if (res.status() >= 400) failed.push(`${where(res.request())}: ${res.status()} ${res.url()}`);
  });
  context.on('requestfailed', (req) => {
    // Aborted foreign requests are counted above.
    if (new URL(req.url()).origin === SITE_ORIGIN) failed.push(`${where(req)}: ${req.failure()?.errorText} ${req.url()}`);
  });

  const queue = htmlFiles();
  const tab = async () => {
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${visiting.get(page)}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`${visiting.get(page)}: ${err.message}`));
    for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
      visiting.set(page, rel);
      const url = served(rel);
      await page.goto(url, { waitUntil: 'load' });
      visited++;
      if (isRedirect(rel)) {
        // A moved entity's page sends the reader on at once: follow it to its end, so the
        // next visit does not cut it short.
        await page.waitForURL((u) => u.href !== url, { waitUntil: 'load' });
        continue;
      }
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        const found = await page.evaluate(sideways);
        measured++;
        if (found) wide.push(`${rel} at ${width} px: ${found}`);
      }
    }
  };
  await Promise.all(Array.from({ length: TABS }, tab));
  wide.sort();
});

after(() => browser?.close());

// Runs in the page: null when it does not scroll sideways, else what sticks out.
function sideways() {
  const root = document.scrollingElement;
  const clipped = [document.documentElement, document.body].filter((el) => getComputedStyle(el).overflowX !== 'visible');
  if (clipped.length) return `overflow-x is hidden on ${clipped.map((el) => el.localName).join(', ')}: that hides the overflow rather than removing it`;
  if (root.scrollWidth <= root.clientWidth) return null;
  // The innermost elements that stick out on the side the page scrolls to (the left in
  // a right-to-left page): what to fix.
  const width = root.clientWidth;
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const out_ = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (rtl ? r.left < -0.5 : r.right > width + 0.5);
  };
  const out = [...document.body.querySelectorAll('*')].filter((el) => out_(el) && ![...el.children].some(out_));
  const names = out.slice(0, 3).map((el) => {
    const r = el.getBoundingClientRect();
    return `<${el.localName}${el.className ? ` class="${el.className}"` : ''}> ${Math.round(r.left)}..${Math.round(r.right)}`;
  });
  return `scrollWidth ${root.scrollWidth} > clientWidth ${width}; sticking out: ${names.join('; ')}`;
}

test('every page was visited', () => {
  assert.ok(visited > 0 && visited === htmlFiles().length, `visited ${visited} of ${htmlFiles().length} pages`);
  console.log(`visited ${visited} pages, measured ${measured} page widths`);
});

test('no request leaves the local server', () => {
  assert.equal(foreign.length, 0, `requests to other hosts:\n${foreign.join('\n')}`);
});

test('nothing a page asks for fails, and no page logs an error', () => {
  assert.equal([...failed, ...errors].length, 0, [...failed, ...errors].join('\n'));
});

test(`no page scrolls sideways at ${WIDTHS.join(', ')} px`, () => {
  assert.equal(wide.length, 0, `pages wider than the screen:\n${wide.join('\n')}`);
});
