// Mixing in real Chromium: an effect is added to a track's rack with the mouse, a parameter is dragged in
// its editor, and the browser renders the result exactly as the native engine renders the same project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { peakDifferenceDb } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, clickWidget, dragWidget, renderBoth } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

test('an effect added and edited with the mouse renders the same in the browser and natively', async () => {
  const { page, problems } = await openStudio();
  const seconds = 6;
  const dry = await renderBoth(page, seconds, 'dry');
  await clickWidget(page, 'add-insert:2');
  await clickWidget(page, 'add-insert-item:mixdown.eq');
  let project = await page.evaluate(() => window.mixdown.project());
  assert.deepEqual(project.tracks[2].inserts.map((d) => d.type), ['mixdown.eq'], 'an EQ on the bass track');
  // Band 1 of the EQ to a low cut: open its type menu and pick "Low cut 24"; then drag its frequency up.
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  assert.ok(rects['insert-param:freq1'], 'the editor shows the EQ parameters');
  await clickWidget(page, 'insert-param:type1');
  await clickWidget(page, 'choice:type1:5');  // "Low cut 24"
  await dragWidget(page, 'insert-param:freq1', 0.2, 0.45);
  project = await page.evaluate(() => window.mixdown.project());
  const eq = project.tracks[2].inserts[0].params;
  console.log(`EQ band 1 after the mouse: type ${eq.type1}, frequency ${eq.freq1 && eq.freq1.toFixed(1)} Hz`);
  assert.ok(eq.freq1 > 100, `frequency dragged up (${eq.freq1})`);
  const wet = await renderBoth(page, seconds, 'wet');
  const diff = peakDifferenceDb(wet.browser, wet.native);
  const change = peakDifferenceDb(wet.native, dry.native);
  console.log(`with the EQ: browser vs native ${diff} dBFS; the edit changed the mix by ${change.toFixed(1)} dBFS (peak difference)`);
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
  assert.ok(change > -40, 'the edit is audible in the render');
  assert.deepEqual(problems, []);
  await page.close();
});
