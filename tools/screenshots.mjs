// The studio's gallery for review (tools/screenshots): every view and editor at 1280x800 and 1024x640,
// written as PNGs to the folder given (build/screenshots). Uses the browser tests' helpers: Debian's
// Chromium through playwright-core, the studio served from build/web.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser, stopBrowser, openStudio, clickWidget, doubleClickAt, settled } from '../tests/web/browser.mjs';

const out = process.argv[2] || 'build/screenshots';
mkdirSync(out, { recursive: true });
const rects = (page) => page.evaluate(() => window.mixdown.widgetRects());
const written = [];

async function shot(page, size, name) {
  await settled(page);
  const path = join(out, `${size}-${name}.png`);
  await page.screenshot({ path });
  written.push(path);
}

async function closeEditors(page) {
  await page.keyboard.press('Escape');
  await settled(page);
}

await startBrowser();
try {
  for (const [width, height] of [[1280, 800], [1024, 640]]) {
    const size = `${width}x${height}`;
    const { page, problems } = await openStudio(undefined, { viewport: { width, height } });
    await shot(page, size, 'arrangement-mixer');
    await clickWidget(page, 'tab:mastering');
    await shot(page, size, 'mastering');
    await clickWidget(page, 'tab:mixer');
    // Every device editor the demo has, once per type.
    const project = await page.evaluate(() => window.mixdown.project());
    const seen = new Set();
    for (const [t, track] of project.tracks.entries()) {
      for (const [k, device] of track.inserts.entries()) {
        if (seen.has(device.type)) continue;
        seen.add(device.type);
        await clickWidget(page, `insert:${t}:${k}`);
        await shot(page, size, `editor-${device.type.replace('mixdown.', '')}`);
      }
    }
    // The poly synth's editor (the bass), then the piano roll of the pad's chords.
    await clickWidget(page, 'instrument:2');
    await shot(page, size, 'instrument-polysynth');
    await closeEditors(page);  // the editor covers the strips (a click on the name again would hit the editor)
    const chords = (await rects(page))['clip:3:0'];
    await doubleClickAt(page, chords.x + 30, chords.y + chords.h / 2);
    await shot(page, size, 'piano-roll');
    // A drum machine track: its step sequencer and its editor; a sampler track's editor.
    await clickWidget(page, 'add-track');
    await clickWidget(page, 'add-track-item:mixdown.drums');
    const drums = (await page.evaluate(() => window.mixdown.project())).tracks.length - 1;
    const lanes = (await rects(page)).lanes;
    const geometry = (await rects(page))['arrangement-geometry'];
    await doubleClickAt(page, lanes.x + 10, lanes.y + drums * geometry.h - geometry.y + 24);
    await shot(page, size, 'step-sequencer');
    await clickWidget(page, 'tab:mixer');
    // A new track's strip scrolls into view as the mixer is drawn again (a frame or two).
    const strip = (k) => page.waitForFunction((name) => window.mixdown.widgetRects()[name], `instrument:${k}`, { timeout: 10000 }).then(() => true, () => false);
    if (await strip(drums)) {
      await clickWidget(page, `instrument:${drums}`);
      await shot(page, size, 'instrument-drums');
      await closeEditors(page);
    } else console.warn(`${size}: the drum machine's strip is not on screen`);
    await clickWidget(page, 'add-track');
    await clickWidget(page, 'add-track-item:mixdown.sampler');
    const sampler = (await page.evaluate(() => window.mixdown.project())).tracks.length - 1;
    if (await strip(sampler)) {
      await clickWidget(page, `instrument:${sampler}`);
      await shot(page, size, 'instrument-sampler');
    } else console.warn(`${size}: the sampler's strip is not on screen`);
    if (problems.length) console.warn(`${size}: ${problems.join('; ')}`);
    await page.close();
  }
} finally {
  await stopBrowser();
}
for (const p of written) console.log(p);
