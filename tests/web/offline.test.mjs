// Offline and installable: after a first visit the studio opens and plays the last song (its dropped audio
// too) with the network cut; a new build replaces the old on the next load, and a page opened under the
// old build never gets a file of the new one; the manifest makes it installable (Chromium's own check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, appendFileSync, symlinkSync, rmSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { wavFloat } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, settled, dropFile, statusesOver, waitForAsync, env, BASE, ROOT } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const newContext = () => env.browser.newContext({ viewport: { width: 1280, height: 760 } });
const offline = (page) => page.evaluate(() => window.mixdown.offline());

// Waits until a worker other than `old`'s is active and its cache complete (install fetched and checked
// every file); the failure's message says what the registration was doing.
async function workerReady(page, old = null) {
  // The worker is asked (mixdown.offline() sends it messages) only once no other is installing or
  // waiting: Chromium activates a waiting worker that called skipWaiting() only when the active one has no
  // event in flight, and questions every 200 ms kept it busy enough that the new build waited for ever.
  await waitForAsync(page, async (previous) => {
    const g = await navigator.serviceWorker.getRegistration();
    if (!g || g.installing || g.waiting) return false;
    const r = await window.mixdown.offline();
    return r.worker && r.worker !== previous && r.caches.includes(`mixdown-build-${r.worker}`);
  }, old, { timeout: 60000, polling: 500, what: 'the worker' }).catch(async (e) => {
    const state = await page.evaluate(async () => {
      const g = await navigator.serviceWorker.getRegistration();
      return JSON.stringify({ installing: g && g.installing && g.installing.state, waiting: g && g.waiting && g.waiting.state,
        active: g && g.active && g.active.state, controlled: !!navigator.serviceWorker.controller, caches: await caches.keys(),
        offline: await window.mixdown.offline() });
    });
    throw new Error(`${e.message}: ${state}`);
  });
  return (await offline(page)).worker;
}

async function reload(page) {
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
}

test('after a first visit, the studio opens and plays the last song with the network cut', async () => {
  const context = await newContext();
  const { page, problems } = await openStudio(BASE, { context });
  const version = await workerReady(page);
  const tone = wavFloat(Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / 48000)), 48000);
  await dropFile(page, tone, 'offline tone.wav');
  await waitForAsync(page, async () => window.mixdown.project().assets.length === 1 && (await window.mixdown.storage()).assets.length === 1, null, { timeout: 15000, polling: 100, what: 'the stored audio' });
  const song = await page.evaluate(() => window.mixdown.project());
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('mixdown.autosave.v1')).assets.length === n, song.assets.length, { timeout: 10000 });
  // No network at all from here: the browser is offline and every request that reaches it is refused.
  const refused = [];
  await context.route('**', (route) => { refused.push(route.request().url()); return route.abort(); });
  await context.setOffline(true);
  await reload(page);
  const r = await offline(page);
  assert.equal(r.page, version, 'the page came from the cached build');
  const back = await page.evaluate(() => window.mixdown.project());
  assert.deepEqual(back.tracks.map((t) => t.clips.length), song.tracks.map((t) => t.clips.length), 'the last song is back');
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'with its audio');
  await page.evaluate(() => window.mixdown.play());
  const seen = await statusesOver(page, 1.5);
  assert.ok(seen.at(-1).position > seen[0].position, 'the transport runs');
  const loudest = Math.max(...seen.flatMap((s) => s.peaks));
  console.log(`offline: loudest meter ${loudest.toFixed(3)} over 1.5 s of playing; requests refused: ${refused.length}`);
  assert.ok(loudest > 0.05, 'and it sounds');
  assert.deepEqual(refused, [], 'nothing needed the network');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the studio is installable: a valid manifest with icons, served by a worker that handles fetches', async () => {
  // Chromium refuses to install from an incognito profile (every newContext is one): a profile on disk.
  const context = await chromium.launchPersistentContext(join(env.tmp, 'profile'), {
    executablePath: '/usr/bin/chromium', viewport: { width: 1280, height: 760 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const { page } = await openStudio(BASE, { context });
    await workerReady(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], 'the manifest parses');
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.display, 'standalone');
    assert.ok(parsed.icons.some((i) => i.sizes === '512x512'));
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    console.log(`installability errors: ${JSON.stringify(installabilityErrors)}`);
    assert.deepEqual(installabilityErrors, []);
    for (const icon of parsed.icons) {
      const res = await page.evaluate(async (src) => { const r = await fetch(src); return { ok: r.ok, type: r.headers.get('Content-Type'), size: (await r.arrayBuffer()).byteLength }; }, icon.src);
      assert.ok(res.ok && res.size > 100, `${icon.src} is served`);
    }
  } finally {
    await context.close();
  }
});

// The files of a built site and their sha-256, as tools/make-precache.mjs lists them.
function siteFiles(dir) {
  const walk = (at) => readdirSync(at).flatMap((n) => (statSync(join(at, n)).isDirectory() ? walk(join(at, n)) : [join(at, n)]));
  return Object.fromEntries(walk(dir).map((f) => [relative(dir, f).split(sep).join('/'), createHash('sha256').update(readFileSync(f)).digest('hex')]))
}

test('a new build replaces the old on the next load, and a page of the old build never gets a file of the new one', async () => {
  // Two builds of the site: A as built, B with a changed boot.js and demo (then its own sw.js).
  const a = join(env.tmp, 'build-a'), b = join(env.tmp, 'build-b'), site = join(env.tmp, 'site');
  cpSync(join(ROOT, 'build', 'web'), a, { recursive: true });
  cpSync(join(ROOT, 'build', 'web'), b, { recursive: true });
  appendFileSync(join(b, 'boot.js'), '\nwindow.mixdownBuildMark = "B";\n');
  appendFileSync(join(b, 'engine-processor.js'), '\n// build B\n');
  const make = spawn('node', [join(ROOT, 'tools', 'make-precache.mjs'), join(ROOT, 'web', 'sw.js'), b], { stdio: 'inherit' });
  await new Promise((resolve) => make.on('exit', resolve));
  symlinkSync(a, site);
  const port = 19000 + (process.pid % 1000);
  const server = spawn('node', [join(ROOT, 'tools', 'serve.mjs'), site, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => server.stdout.once('data', resolve));
  const url = `http://127.0.0.1:${port}/`;
  const context = await newContext();
  try {
    const { page, problems } = await openStudio(url, { context });
    const va = await workerReady(page);
    await reload(page);
    assert.equal((await offline(page)).page, va, 'the second load is served by build A\'s worker');
    // The server now has build B. The next load is still A's (its worker answers the navigation) while
    // the browser finds the new sw.js and installs B, which takes over at once...
    rmSync(site);
    symlinkSync(b, site);
    await reload(page);
    const vb = await workerReady(page, va);
    // ...but this page, opened under A, keeps getting A's files: what it fetches now is A's, byte for byte.
    assert.equal((await offline(page)).page, va);
    assert.equal(await page.evaluate(() => window.mixdownBuildMark), undefined);
    const filesA = siteFiles(a), filesB = siteFiles(b);
    const sha = (path) => page.evaluate(async (p) => {
      const bytes = await (await fetch(p)).arrayBuffer();
      return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (x) => x.toString(16).padStart(2, '0')).join('');
    }, path);
    for (const path of ['boot.js', 'engine-processor.js']) assert.equal(await sha(path), filesA[path], `${path} of a page of build A is A's`);
    // A worklet started now (an offline render) runs A's processor: the render works.
    await page.evaluate(() => window.mixdown.renderOffline({ seconds: 0.5 }));
    // The next load is B, whole: every file it asks for is B's.
    await reload(page);
    assert.equal((await offline(page)).page, vb);
    assert.equal(await page.evaluate(() => window.mixdownBuildMark), 'B', 'B\'s boot.js ran');
    const listed = JSON.parse(readFileSync(join(b, 'sw.js'), 'utf8').match(/^const PRECACHE = (.*);$/m)[1]).files;
    for (const f of listed) assert.equal(await sha(f.url), filesB[f.url], `${f.url} is B's`);
    const changed = listed.filter((f) => filesA[f.url] !== filesB[f.url]).map((f) => f.url).sort();
    assert.deepEqual(changed, ['boot.js', 'engine-processor.js'], 'the two builds differ in those files');
    // Build A's cache goes once no page is pinned to it.
    await waitForAsync(page, async (v) => (await window.mixdown.offline()).caches.filter((c) => c.startsWith('mixdown-build-')).join() === `mixdown-build-${v}`, vb, { timeout: 30000, polling: 200, what: 'the old cache to go' });
    // A worker deletes only versions installed before its own: a cache numbered after B's (a newer build
    // installing while B's view of the registration lags) stays; one numbered before it goes.
    const left = await page.evaluate(async () => {
      const versions = await caches.open('mixdown-versions');
      const scope = (await navigator.serviceWorker.getRegistration()).scope;
      const numbers = await Promise.all((await versions.keys()).map(async (r) => Number(await (await versions.match(r)).text())));
      const newest = Math.max(...numbers);
      for (const [name, n] of [['mixdown-build-newer', newest + 1], ['mixdown-build-older', 0]]) {
        await (await caches.open(name)).put(scope + 'x', new Response('x'));
        await versions.put(scope + '__version__/' + name, new Response(String(n)));
      }
      return (await window.mixdown.offline()).caches.filter((c) => c.startsWith('mixdown-build-')).sort();
    });
    assert.deepEqual(left, [`mixdown-build-${vb}`, 'mixdown-build-newer'], 'a newer version\'s cache is never deleted by an older worker');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.kill();
  }
});
