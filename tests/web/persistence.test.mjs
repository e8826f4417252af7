// Audio that stays: dropped audio is kept in the browser (IndexedDB, asset-store.js) and is there after a
// reload, so the song plays and renders as natively; a shared song whose audio is missing says so at the
// top and reconnects a dropped file by its contents whatever its name; stored audio no project uses goes
// at the next start (never while another studio tab is open); a full disk says what to do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peakDifferenceDb, peakDb, wavFloat } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, renderBoth, dropFile, waitForAsync, env, BASE } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const newContext = () => env.browser.newContext({ viewport: { width: 1280, height: 760 } });
// 0.5 s of a decaying 330 Hz tone at 48 kHz, as 32-bit float (decoded exactly by Chromium and libsndfile).
const tone = wavFloat(Array.from({ length: 24000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * i) / 48000) * Math.exp(-i / 8000)), 48000);

const storage = (page) => page.evaluate(() => window.mixdown.storage());
const rects = (page) => page.evaluate(() => window.mixdown.widgetRects());

// Drops `bytes` as `name` on the window (a new audio track at the start) and waits until the project has
// an asset of that name and the browser has stored it.
async function dropAndKeep(page, bytes, name, assetsBefore) {
  await dropFile(page, bytes, name);
  await page.waitForFunction((n) => window.mixdown.project().assets.length > n, assetsBefore, { timeout: 15000 });
  const asset = (await page.evaluate(() => window.mixdown.project())).assets.at(-1);
  await waitForAsync(page, async (sha) => (await window.mixdown.storage()).assets.some((a) => a.sha256 === sha), asset.sha256, { timeout: 15000, polling: 100, what: 'the stored audio' });
  return asset;
}

async function reopen(page) {
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
}

test('dropped audio is there after a reload: no missing audio, and the browser renders it as natively', async () => {
  const context = await newContext();
  const { page, problems } = await openStudio(BASE, { context });
  const asset = await dropAndKeep(page, tone, 'pluck.wav', (await page.evaluate(() => window.mixdown.project())).assets.length);
  const report = await storage(page);
  console.log(`navigator.storage.persist() in headless Chromium: ${report.persisted}; usage ${report.usage} of ${report.quota} bytes`);
  assert.equal(report.assets.length, 1, 'one stored record');
  assert.equal(report.assets[0].size, tone.length, 'the original file bytes');
  // The autosave has the clip (written with the edit), then the page is reloaded.
  await page.waitForFunction((id) => JSON.parse(localStorage.getItem('mixdown.autosave.v1')).tracks.some((t) => t.clips.some((c) => c.asset === id)), asset.id, { timeout: 10000 });
  await reopen(page);
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'no missing audio after the reload');
  assert.equal((await rects(page))['missing-audio-banner'], undefined, 'no missing-audio banner');
  const p = await page.evaluate(() => window.mixdown.project());
  assert.ok(p.tracks.some((t) => t.clips.some((c) => c.asset === asset.id)), 'the clip is back');
  // The song renders as the native renderer renders the saved project with its file.
  writeFileSync(join(env.tmp, asset.path), tone);
  const r = await renderBoth(page, 4, 'kept-audio');
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`reloaded song with kept audio: browser vs native ${diff} dBFS, peak ${peakDb(r.browser).toFixed(1)} dBFS`);
  assert.ok(peakDb(r.native) > -30, 'it sounds');
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
  // Written once: the same file dropped again (another name) adds a clip but no second record.
  await dropFile(page, tone, 'pluck copy.wav');
  await page.waitForFunction((n) => window.mixdown.project().tracks.reduce((a, t) => a + t.clips.length, 0) > n,
    p.tracks.reduce((a, t) => a + t.clips.length, 0), { timeout: 10000 });
  assert.equal((await storage(page)).assets.length, 1, 'deduplicated by sha-256');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a shared song whose audio is missing says so at the top, and a dropped file reconnects it by its contents, whatever its name', async () => {
  const mine = await newContext();
  const { page: author } = await openStudio(BASE, { context: mine });
  const asset = await dropAndKeep(author, tone, 'take 1.wav', (await author.evaluate(() => window.mixdown.project())).assets.length);
  const link = await author.evaluate(() => window.mixdown.shareUrl());
  await mine.close();
  // Someone else's browser: nothing stored.
  const theirs = await newContext();
  const { page, problems } = await openStudio(link, { context: theirs });
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [asset.id]);
  const banner = (await rects(page))['missing-audio-banner'];
  assert.ok(banner, 'the banner is drawn');
  assert.ok(banner.y < 80, `the banner is at the top of the page (y ${banner.y})`);
  await page.screenshot({ path: join(process.env.SHOTS_DIR || env.tmp, 'missing-banner.png') });  // SHOTS_DIR keeps it for a look
  // The same file under another name: matched by sha-256, reconnected, no new clip.
  const clips = (await page.evaluate(() => window.mixdown.project())).tracks.reduce((a, t) => a + t.clips.length, 0);
  await dropFile(page, tone, 'renamed by the sender.wav');
  await page.waitForFunction(() => window.mixdown.missingAssets().length === 0, null, { timeout: 15000 });
  await settled(page);
  assert.equal((await rects(page))['missing-audio-banner'], undefined, 'the banner is gone');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks.reduce((a, t) => a + t.clips.length, 0), clips, 'no clip added');
  // And it stays: after a reload (the session is the shared song now), nothing is missing.
  await waitForAsync(page, async (sha) => (await window.mixdown.storage()).assets.some((a) => a.sha256 === sha), asset.sha256, { timeout: 15000, polling: 100, what: 'the stored audio' });
  await page.goto(BASE);
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), []);
  assert.ok((await page.evaluate(() => window.mixdown.project())).assets.some((a) => a.id === asset.id));
  assert.deepEqual(problems, []);
  await theirs.close();
});

test('stored audio that no project uses is deleted at the next start, not while Undo or another studio tab may need it', async () => {
  const context = await newContext();
  const { page } = await openStudio(BASE, { context });
  const asset = await dropAndKeep(page, tone, 'gone.wav', (await page.evaluate(() => window.mixdown.project())).assets.length);
  await clickWidget(page, 'demo');  // the demo has no audio assets; Undo could bring the drop back
  await page.waitForFunction((id) => !window.mixdown.project().assets.some((a) => a.id === id), asset.id, { timeout: 10000 });
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('mixdown.autosave.v1')).assets.length === 0, null, { timeout: 10000 });
  assert.equal((await storage(page)).assets.length, 1, 'kept while this session can undo');
  // A second tab starts while the first is open: it deletes nothing (the first tab's song may use it).
  const { page: second } = await openStudio(BASE, { context });
  const report = await storage(second);
  assert.equal(report.collected, -1, 'no collection with another tab open');
  assert.equal(report.assets.length, 1);
  await second.close();
  await page.close();
  // Alone, the next start keeps what the song it opens and the last session use: nothing here.
  const { page: third } = await openStudio(BASE, { context });
  const after = await storage(third);
  assert.equal(after.collected, 1, 'one record deleted');
  assert.deepEqual(after.assets, []);
  await context.close();
});

test('a full disk says what to do, the audio still plays, and after a reload the clip shows as missing', async () => {
  const context = await newContext();
  // The browser refuses every write to IndexedDB as a full disk does.
  await context.addInitScript(() => {
    IDBObjectStore.prototype.put = function put() { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  const { page, problems } = await openStudio(BASE, { context });
  const before = (await page.evaluate(() => window.mixdown.project())).assets.length;
  await dropFile(page, tone, 'big.wav');
  await page.waitForFunction(() => /could not be kept/.test(window.mixdown.error()), null, { timeout: 15000 });
  const error = await page.evaluate(() => window.mixdown.error());
  console.log(`the message: ${error}`);
  assert.match(error, /^big\.wav \(0\.1 MB\) plays now but could not be kept for the next visit: the browser's storage for this site is full/);
  assert.match(error, /Free space/);
  assert.equal((await page.evaluate(() => window.mixdown.project())).assets.length, before + 1, 'the clip is added');
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'and plays');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('mixdown.autosave.v1')).assets.length > 0, null, { timeout: 10000 });
  await reopen(page);
  assert.equal((await page.evaluate(() => window.mixdown.missingAssets())).length, 1, 'the audio that was not kept is missing');
  assert.ok((await rects(page))['missing-audio-banner'], 'and the banner says so');
  assert.deepEqual(problems, []);
  await context.close();
});
