// Shared set-up of the browser suites: a static server on build/web, Debian's Chromium through
// playwright-core, and the helpers that open the studio and click its widgets like a person.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--autoplay-policy=no-user-gesture-required', '--disable-quic'],
  });
}

export async function stopBrowser() {
  await env.browser?.close();
  server?.kill();
  rmSync(env.tmp, { recursive: true, force: true });
}

export async function openStudio(url = BASE, options = {}) {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 760 }, ...options });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await page.waitForTimeout(300); // a few frames so every widget has been drawn
  return { page, problems };
}

export async function clickWidget(page, name) {
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  const r = rects[name];
  assert.ok(r, `widget ${name} is drawn (have: ${Object.keys(rects).join(', ')})`);
  // ImGui 1.86 samples the mouse once per frame (no input queue): a press and release inside one slow
  // frame (SwiftShader drawing a 2x canvas under load) would be lost, so hold the button for two frames.
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  await page.mouse.up();
  await nextFrames(page, 2);
}

export async function nextFrames(page, count) {
  await page.evaluate((n) => new Promise((resolve) => {
    const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), count);
}
