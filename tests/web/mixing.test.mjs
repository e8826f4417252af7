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

test('buses, sends and outputs are routed with the mouse, and a routing cycle is refused with its reason', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'add-bus');
  await clickWidget(page, 'add-bus');
  await clickWidget(page, 'add-send:2');
  await clickWidget(page, 'send-item:2:bus1');
  await clickWidget(page, 'output:5');
  await clickWidget(page, 'output-item:5:bus2');
  let project = await page.evaluate(() => window.mixdown.project());
  assert.deepEqual(project.tracks.slice(5).map((t) => [t.id, t.kind, t.output || 'master']), [['bus1', 'bus', 'bus2'], ['bus2', 'bus', 'master']]);
  assert.deepEqual(project.tracks[2].sends, [{ target: 'bus1', levelDb: -12, preFader: false }]);
  // bus2 sending back into bus1 would feed bus1 with itself.
  await clickWidget(page, 'add-send:6');
  await clickWidget(page, 'send-item:6:bus1');
  const error = await page.evaluate(() => window.mixdown.error());
  assert.match(error, /routing cycle: "bus1" -> "bus2" -> "bus1"/);
  project = await page.evaluate(() => window.mixdown.project());
  assert.equal(project.tracks[6].sends, undefined, 'the refused send is not in the project');
  // The routed song renders the same in the browser and natively.
  const r = await renderBoth(page, 4, 'routed');
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`routed song: browser vs native ${diff} dBFS`);
  assert.ok(diff <= -120, `difference ${diff} dBFS`);
  assert.deepEqual(problems, []);
  await page.close();
});
