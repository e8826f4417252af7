// Share links in real Chromium: the Share button makes a v2 link ("#p2=", the binary project deflated by
// CompressionStream('deflate-raw')) short enough for a chat message; opening it in a new page gives the
// same project; v1 links ("#p=", deflated JSON) as the studio made them before still open; a damaged v2
// link names the field and the byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, BASE, startBrowser, stopBrowser, openStudio, clickWidget } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

test('the Share button makes a v2 link of at most 1,500 characters that opens the same project', async () => {
  // Wide enough for the whole top bar: at 1280 px its last buttons (Share, ?) are past the window's edge.
  const { page, problems } = await openStudio(BASE, { viewport: { width: 1600, height: 800 } });
  await clickWidget(page, 'solo:2'); // an edit, so the link carries more than the demo as it opens
  const original = await page.evaluate(() => window.mixdown.project());
  await clickWidget(page, 'share');
  await page.waitForFunction(() => location.hash.startsWith('#p2='), null, { timeout: 10000 });
  const url = await page.evaluate(() => location.href);
  assert.match(url, /#p2=[A-Za-z0-9_-]+$/);
  const v1 = await page.evaluate(() => window.mixdown.shareUrlV1());
  console.log(`share link: the demo's v2 link from the Share button is ${url.length} characters (${BASE}); its v1 link ${v1.length}`);
  assert.ok(url.length <= 1500, `${url.length} characters`);
  assert.ok(url.length < v1.length / 2.5, `v2 ${url.length} against v1 ${v1.length}`);
  assert.equal(url, await page.evaluate(() => window.mixdown.shareUrl()), 'the same song gives the same link');
  await page.close();
  const { page: second, problems: secondProblems } = await openStudio(url);
  assert.deepEqual(await second.evaluate(() => window.mixdown.project()), original);
  assert.equal(await second.evaluate(() => window.mixdown.error()), '');
  assert.deepEqual([...problems, ...secondProblems], []);
  await second.close();
});

test('v1 links open unchanged: one the studio made before v2, and one made now the old way', async () => {
  // Made by the Share button before v2 (tests/native-host/first-light-v1-link.txt): the demo with
  // track 2 soloed.
  const saved = readFileSync(join(ROOT, 'tests', 'native-host', 'first-light-v1-link.txt'), 'utf8').trim();
  const link = BASE + saved.slice(saved.indexOf('#'));
  const { page, problems } = await openStudio(link);
  const opened = await page.evaluate(() => window.mixdown.project());
  assert.equal(await page.evaluate(() => window.mixdown.error()), '');
  assert.equal(opened.title, 'First Light');
  assert.equal(opened.tracks[2].strip.solo, true);
  const v1 = await page.evaluate(() => window.mixdown.shareUrlV1());
  assert.match(v1, /#p=[A-Za-z0-9_-]+$/);
  await page.close();
  const { page: again } = await openStudio(v1);
  assert.deepEqual(await again.evaluate(() => window.mixdown.project()), opened);
  assert.deepEqual(problems, []);
  await again.close();
});

test('a damaged v2 link names the field and the byte, and the studio opens the demo', async () => {
  const { page } = await openStudio();
  // The demo's payload cut in half, deflated again: the compression is intact, the project is not.
  const url = await page.evaluate(async () => {
    const link = await window.mixdown.shareUrl();
    const b64 = link.slice(link.indexOf('#p2=') + 4).replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
    const packed = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const pipe = async (bytes, t) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(t)).arrayBuffer());
    const payload = await pipe(packed, new DecompressionStream('deflate-raw'));
    const cut = await pipe(payload.subarray(0, payload.length >> 1), new CompressionStream('deflate-raw'));
    let s = ''; for (const b of cut) s += String.fromCharCode(b);
    return `${location.origin}/#p2=${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  });
  await page.close();
  for (const hash of [url.slice(url.indexOf('#')), '#p2=AAAAAAAA', '#p2=', '#p2=%%%']) {
    const { page: second } = await openStudio(BASE + hash);
    const error = await second.evaluate(() => window.mixdown.error());
    assert.match(error, /This share link could not be opened/, hash);
    if (hash === url.slice(url.indexOf('#'))) assert.match(error, /tracks.*at byte \d+ of the decoded payload/);
    assert.equal((await second.evaluate(() => window.mixdown.project())).title, 'First Light');
    await second.close();
  }
});
