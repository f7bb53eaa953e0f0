// `archive serve`'s live reload in a real browser: after an edit, the edited article's page
// reloads and shows it, while an open page the edit did not change stays as it is; a failed
// build's message shows over both, and the next good build takes it away from the page that
// does not reload. The server runs on a fresh archive made by `archive init` (ARCHIVE_BIN is
// the binary under test).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launch } from './lib.mjs';

const BIN = process.env.ARCHIVE_BIN;

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether `check()` holds; false while it cannot be asked (a page between two loads). */
async function holds(check) {
  try {
    return await check();
  } catch {
    return false;
  }
}

/** Resolves once `check()` holds, polling; fails after `ms`, saying `what`. */
async function until(what, check, ms = 20000) {
  const started = Date.now();
  while (!(await holds(check))) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('an edit reloads its page and leaves the other open pages alone', async (t) => {
  assert.ok(BIN, 'ARCHIVE_BIN is not set: run these checks with `cargo test --test browser`');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-reload-'));
  const root = path.join(dir, 'archive');
  execFileSync(BIN, ['init', root]);
  fs.writeFileSync(path.join(root, 'seeds/second.md'), '+++\ntitle = "مقال ثان"\n+++\n\nنص المقال الثاني.\n');
  const port = await freePort();
  const server = spawn(BIN, ['serve', '--root', root, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  server.stdout.on('data', (chunk) => { printed += chunk; });
  server.stderr.on('data', (chunk) => { printed += chunk; });
  const { context, close } = await launch();
  t.after(async () => {
    await close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await until('the server', () => printed.includes('serving '));
  const updates = () => printed.split(' pages written in ').length - 1;

  const edited = await context.newPage();
  const other = await context.newPage();
  await edited.goto(`http://127.0.0.1:${port}/articles/example/`);
  await other.goto(`http://127.0.0.1:${port}/articles/second/`);
  for (const page of [edited, other]) {
    // Open with its event stream: a reload would take this mark away.
    await until('the event stream', () => page.evaluate(() => document.readyState === 'complete'));
    await page.evaluate(() => { window.archiveMark = true; });
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const secondFile = path.join(root, 'public/articles/second/index.html');
  const secondBefore = fs.readFileSync(secondFile);

  const article = path.join(root, 'seeds/example.md');
  const original = fs.readFileSync(article, 'utf8');
  let done = updates();
  fs.writeFileSync(article, `${original}\nفقرة أضيفت أثناء المعاينة.\n`);
  await until('the edited page to reload', () => edited.evaluate(() => document.body.innerText.includes('فقرة أضيفت أثناء المعاينة.')));
  await until('the update to end', () => updates() > done);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(fs.readFileSync(secondFile), secondBefore, 'the edit changed the other page: this check would prove nothing');
  assert.equal(await other.evaluate(() => window.archiveMark), true, 'a page the edit did not change reloaded');

  // A broken edit: its message shows over both pages.
  fs.writeFileSync(article, '+++\ntitle = = "x"\n+++\n\nنسخة معطوبة.\n');
  for (const page of [edited, other]) {
    await until('the error message', () => page.evaluate(() => document.getElementById('archive-build-error') !== null));
  }
  await other.evaluate(() => { window.archiveMark = true; });
  // Fixed: the edited page reloads; the other takes the message away without reloading.
  done = updates();
  fs.writeFileSync(article, `${original}\nفقرة صححت.\n`);
  await until('the edited page to reload', () => edited.evaluate(() => document.body.innerText.includes('فقرة صححت.')));
  await until('the message to go from the other page', () => other.evaluate(() => document.getElementById('archive-build-error') === null));
  assert.equal(await other.evaluate(() => window.archiveMark), true, 'the other page reloaded to take the message away');
  assert.ok(updates() > done);
});
