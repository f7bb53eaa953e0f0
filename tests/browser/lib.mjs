// What the browser checks share: the built site, the pages worth a close look, and a
// Chromium launched so that it works on a closed network. tests/browser.rs builds the
// seeds, serves them and runs `node --test` here with ARCHIVE_SITE_DIR (the built folder)
// and ARCHIVE_SITE_URL (where it is served, ending in `/`).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const SITE_DIR = required('ARCHIVE_SITE_DIR');
export const SITE_URL = required('ARCHIVE_SITE_URL');
export const SITE_ORIGIN = new URL(SITE_URL).origin;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these checks with \`cargo test --test browser\``);
  return value;
}

// Pages the accessibility check (and any other close look) visits, one line each, by
// path from the site's root. Adding a page kind is adding a line.
export const KEY_PAGES = [
  { kind: 'home', path: '' },
  { kind: 'article', path: 'articles/000_27c75e854d1ed777/' },
  { kind: 'entity', path: 'entities/place/deir-ez-zor/' },
  { kind: 'index', path: 'entities/place/' },
  { kind: 'article list', path: 'articles/' },
  { kind: 'timeline', path: 'timeline/' },
  { kind: 'timeline year', path: 'timeline/2023/' },
  { kind: 'outlets', path: 'outlets/' },
  { kind: 'outlet', path: 'outlets/العرب/' },
  // A missing page, as a static host answers it: 404.html with status 404.
  { kind: '404', path: 'no/such/page/', status: 404 },
  { kind: 'search', path: 'search/' },
  // Its results, drawn by Pagefind's interface in the site's colours: `ready` is what to
  // wait for before looking.
  { kind: 'search results', path: 'search/', query: `?q=${encodeURIComponent('دير الزور')}`, ready: '.pagefind-ui__result' },
];

// Chromium's own background connections (updates, sync, QUIC probes) fail on a closed
// network and slow every launch, so they are switched off; the profile is a fresh folder.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM = '/usr/bin/chromium';

/** A browser context in a fresh profile; `close()` also removes the profile. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Every HTML file of the built site, by path from its root (`articles/x/index.html`). */
export function htmlFiles(dir = SITE_DIR) {
  const found = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.html')) found.push(rel);
    }
  };
  walk('');
  return found.sort();
}

/** The served URL of a file or folder path from the site's root, as links name it. */
export function served(rel) {
  const folder = rel === 'index.html' ? '' : rel.replace(/\/index\.html$/, '/');
  return new URL(folder.split('/').map(encodeURIComponent).join('/'), SITE_URL).href;
}

/** Whether the page is a redirect left for a moved entity (it shows nothing of its own). */
export function isRedirect(rel, dir = SITE_DIR) {
  return /<meta http-equiv="refresh"/.test(fs.readFileSync(path.join(dir, rel), 'utf8'));
}

/** A page's path, the same whether a link names its folder or the folder's index.html. */
export function pagePath(url) {
  return decodeURIComponent(new URL(url).pathname).replace(/\/index\.html$/, '/');
}
