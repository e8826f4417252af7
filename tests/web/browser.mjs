// Shared set-up of the browser suites: a static server on build/web, Debian's Chromium through
// playwright-core, and the helpers that open the studio and click its widgets like a person.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { readFloatWav } from './wav.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIXDOWN = join(ROOT, 'build', 'native', 'bin', 'mixdown');
const PORT = 18000 + (process.pid % 1000);
export const BASE = `http://127.0.0.1:${PORT}/`;
export const env = { browser: null, tmp: null };
let server;

export async function startBrowser() {
  env.tmp = mkdtempSync(join(tmpdir(), 'mixdown-browser-'));
  server = spawn('node', [join(ROOT, 'tools', 'serve.mjs'), join(ROOT, 'build', 'web'), String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => server.stdout.once('data', resolve));
  env.browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--autoplay-policy=no-user-gesture-required', '--disable-quic',
      // Chromium's fake capture device (a beep every second) and no permission prompt: audio recording tests.
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
}

export async function stopBrowser() {
  await env.browser?.close();
  server?.kill();
  rmSync(env.tmp, { recursive: true, force: true });
}

// Opens the studio in a page of its own (with `options` for its context), or in a new page of
// `options.context` (pages of one context share local storage: a reopened tab).
export async function openStudio(url = BASE, options = {}) {
  const { context, ...pageOptions } = options;
  const page = context ? await context.newPage() : await env.browser.newPage({ viewport: { width: 1280, height: 760 }, ...pageOptions });
  await notePresses(page);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);  // every widget has been drawn once
  return { page, problems };
}

// The song's file commands live in the top bar's File menu: a test that clicks one opens the menu first.
const FILE_MENU_ITEMS = new Set(['new', 'demo', 'open', 'save', 'save-bundle', 'export-midi', 'export-dawproject', 'export-stems']);

export async function clickWidget(page, name) {
  let rects = await page.evaluate(() => window.mixdown.widgetRects());
  if (!rects[name] && FILE_MENU_ITEMS.has(name) && rects.file) {
    await page.mouse.click(rects.file.x + rects.file.w / 2, rects.file.y + rects.file.h / 2);
    await settled(page);
    rects = await page.evaluate(() => window.mixdown.widgetRects());
  }
  const r = rects[name];
  assert.ok(r, `widget ${name} is drawn (have: ${Object.keys(rects).join(', ')})`);
  // A click as quick as a person's: the studio queues every event (ImGui's input queue), so nothing is
  // lost in a slow frame; the test then waits until the click has reached the widgets.
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await settled(page);
}

// Waits until every input event so far has reached the studio's widgets (see window.mixdown.settled).
export async function settled(page) {
  await page.evaluate(() => window.mixdown.settled());
}

// A double click at a point on the page, as the browser sends a person's (two presses 0 ms apart; the
// studio counts clicks by the events' own times, never by frames). It first waits until the page's last
// press is older than the double-click interval (0.5 s), as a person's hand would, so an earlier click at
// the same place cannot pair with its first press.
export async function doubleClickAt(page, x, y) {
  await page.waitForFunction(() => performance.now() - (window.lastPressAt ?? -Infinity) > 550, null, { timeout: 10000 });
  await page.mouse.dblclick(x, y);
  await settled(page);
}

// Every page the helpers open notes the time of its last mouse press (the event's own clock), for
// doubleClickAt.
function notePresses(page) {
  return page.addInitScript(() => window.addEventListener('mousedown', (e) => { window.lastPressAt = e.timeStamp; }, true));
}

// The engine's statuses over the next `seconds` of audio it renders (counted in statuses: the worklet
// sends one per 1/30 s of audio), however slow the machine: what a test measures meters or the playhead
// over, instead of the clock. Each as window.mixdown.status() returns it.
export async function statusesOver(page, seconds) {
  return page.evaluate((count) => new Promise((resolve) => {
    const seen = [];
    const stop = window.mixdown.watchStatus((s) => {
      seen.push(s);
      if (seen.length >= count) { stop(); resolve(seen); }
    });
  }), Math.ceil(seconds * 30));
}

// The highest reading of one meter (`key` 'peaks' or 'reductions', at `index`) in statuses.
export function highest(statuses, key, index) {
  return Math.max(0, ...statuses.map((s) => s[key][index] || 0));
}

// A right click at a point on the page.
export async function rightClickAt(page, x, y) {
  await page.mouse.click(x, y, { button: 'right' });
  await settled(page);
}

// Drags from one point of the page to another in six moves, with no waits between them (each event keeps
// its own position in the studio's input queue).
export async function dragFromTo(page, [x0, y0], [x1, y1]) {
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps: 6 });
  await page.mouse.up();
  await settled(page);
}

// Drags across a widget horizontally from one fraction of its width to another.
export async function dragWidget(page, name, from, to) {
  const r = (await page.evaluate(() => window.mixdown.widgetRects()))[name];
  assert.ok(r, `widget ${name} is drawn`);
  const y = r.y + r.h / 2;
  await dragFromTo(page, [r.x + r.w * from, y], [r.x + r.w * to, y]);
}

// Drags a knob (Controls.h) up by `pixels` (down when negative) from its centre: 200 px cover its range.
export async function dragKnob(page, name, pixels) {
  const r = (await page.evaluate(() => window.mixdown.widgetRects()))[name];
  assert.ok(r, `knob ${name} is drawn`);
  const x = r.x + r.w / 2, y = r.y + r.h / 2;
  await dragFromTo(page, [x, y], [x, y - pixels]);
}

export async function nextFrames(page, count) {
  await page.evaluate((n) => new Promise((resolve) => {
    const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), count);
}

// Renders the studio's current project in the browser (renderOffline: an OfflineAudioContext running the
// worklet) and natively (mixdown render of the same JSON). With `watchProgress`, also returns the progress
// texts the page showed while rendering. Audio as [Float32Array left, right].
// `sampleRate` (default the page's 48000) is the rate of both renders.
export async function renderBoth(page, seconds, name, { watchProgress = false, sampleRate = undefined } = {}) {
  const got = await page.evaluate(async ([sec, watchIt, rate]) => {
    const seen = new Set();
    const watch = watchIt ? setInterval(() => { const el = document.getElementById('progress'); if (el.style.display !== 'none') seen.add(el.textContent); }, 5) : 0;
    const r = await window.mixdown.renderOffline({ seconds: sec, ...(rate ? { sampleRate: rate } : {}) });
    if (watch) clearInterval(watch);
    const enc = (f) => { const u = new Uint8Array(f.buffer); let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000)); return btoa(s); };
    return { sampleRate: r.sampleRate, l: enc(r.channels[0]), r: enc(r.channels[1]), progress: [...seen],
      progressHidden: document.getElementById('progress').style.display === 'none' };
  }, [seconds, watchProgress, sampleRate]);
  const dec = (x) => { const b = Buffer.from(x, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
  const project = await page.evaluate(() => window.mixdown.project());
  writeFileSync(join(env.tmp, `${name}.json`), JSON.stringify(project));
  execFileSync(MIXDOWN, ['render', join(env.tmp, `${name}.json`), '-o', join(env.tmp, `${name}.wav`), '--seconds', String(seconds), '--sample-rate', String(got.sampleRate)]);
  return { browser: [dec(got.l), dec(got.r)], native: readFloatWav(join(env.tmp, `${name}.wav`)).channels, project,
    progress: got.progress, progressHidden: got.progressHidden };
}

// Drops a file on the page as the browser delivers a person's drop: at (x, y) on the canvas, or (without
// a point) on the window, outside the arrangement.
export async function dropFile(page, bytes, name, at = null) {
  await dropFiles(page, [{ bytes, name }], at);
}

// Drops several files at once ([{bytes, name}], in that order), as dropFile drops one.
export async function dropFiles(page, files, at = null) {
  await page.evaluate(async ([list, point]) => {
    const dt = new DataTransfer();
    for (const { b64, name } of list) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'audio/wav' }));
    const target = point ? document.getElementById('canvas') : window;
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, ...(point ? { clientX: point[0], clientY: point[1] } : {}) }));
  }, [files.map((f) => ({ b64: f.bytes.toString('base64'), name: f.name })), at]);
}

// Drops files and folders from the disk (absolute paths) at (x, y) of the page, as the operating system
// delivers a person's drag from a file manager (Chromium's own drag and drop, through the DevTools
// protocol): folders arrive as directory entries (DataTransferItem.webkitGetAsEntry) to be walked.
export async function dropPaths(page, paths, [x, y]) {
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };  // 1: copy
  for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  await cdp.detach();
}

// Waits until an async condition in the page holds: page.waitForFunction takes a returned promise as
// truthy, so asynchronous page state (IndexedDB, caches, the service worker) is polled here instead,
// every `polling` ms until `timeout`.
export async function waitForAsync(page, condition, arg = null, { timeout = 15000, polling = 100, what = 'the condition' } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(condition, arg)) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, polling));
  }
}
