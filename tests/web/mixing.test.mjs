// Mixing in real Chromium: an effect is added to a track's rack with the mouse, a parameter is dragged in
// its editor, and the browser renders the result exactly as the native engine renders the same project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { peakDifferenceDb } from './wav.mjs';
import { dragKnob, startBrowser, stopBrowser, openStudio, clickWidget, dragWidget, renderBoth, doubleClickAt, rightClickAt, dragFromTo, statusesOver, highest } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

// Renders the studio's project in the browser and natively and asserts they agree within -120 dBFS. Given
// an earlier render (`dry`), also asserts the edit since then changed the mix by more than `audibleAbove`
// dBFS (peak difference). Logs the figures under `label`; returns the render.
async function rendersAsNatively(page, seconds, name, label, { dry, audibleAbove, audible } = {}) {
  const r = await renderBoth(page, seconds, name);
  const diff = peakDifferenceDb(r.browser, r.native);
  const change = dry ? peakDifferenceDb(r.native, dry.native) : null;
  console.log(`${label}: browser vs native ${diff} dBFS` + (dry ? `; it changed the mix by ${change.toFixed(1)} dBFS (peak difference)` : ''));
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
  if (dry) assert.ok(change > audibleAbove, audible);
  return r;
}

test('an effect added and edited with the mouse renders the same in the browser and natively', async () => {
  const { page, problems } = await openStudio();
  const seconds = 6;
  const dry = await renderBoth(page, seconds, 'dry');
  const k = dry.project.tracks[2].inserts.length;  // the demo's own inserts come first
  await clickWidget(page, 'add-insert:2');
  await clickWidget(page, 'add-insert-item:mixdown.eq');
  let project = await page.evaluate(() => window.mixdown.project());
  assert.equal(project.tracks[2].inserts.length, k + 1);
  assert.equal(project.tracks[2].inserts[k].type, 'mixdown.eq', 'an EQ added at the end of the bass rack');
  // Band 1 of the EQ to a low cut: open its type menu and pick "Low cut 24"; then drag its frequency up.
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  assert.ok(rects['insert-param:freq1'], 'the editor shows the EQ parameters');
  await clickWidget(page, 'insert-param:type1');
  await clickWidget(page, 'choice:type1:5');  // "Low cut 24"
  await dragWidget(page, 'insert-param:freq1', 0.2, 0.45);
  project = await page.evaluate(() => window.mixdown.project());
  const eq = project.tracks[2].inserts[k].params;
  console.log(`EQ band 1 after the mouse: type ${eq.type1}, frequency ${eq.freq1 && eq.freq1.toFixed(1)} Hz`);
  assert.ok(eq.freq1 > 100, `frequency dragged up (${eq.freq1})`);
  await rendersAsNatively(page, seconds, 'wet', 'with the EQ', { dry, audibleAbove: -40, audible: 'the edit is audible in the render' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('buses, sends and outputs are routed with the mouse, and a routing cycle is refused with its reason', async () => {
  const { page, problems } = await openStudio();
  const n = (await page.evaluate(() => window.mixdown.project())).tracks.length;  // new buses go after the demo's tracks
  await clickWidget(page, 'add-bus');
  await clickWidget(page, 'add-bus');
  await clickWidget(page, 'add-send:2');
  await clickWidget(page, 'send-item:2:bus1');
  await clickWidget(page, `output:${n}`);
  await clickWidget(page, `output-item:${n}:bus2`);
  let project = await page.evaluate(() => window.mixdown.project());
  assert.deepEqual(project.tracks.slice(n).map((t) => [t.id, t.kind, t.output || 'master']), [['bus1', 'bus', 'bus2'], ['bus2', 'bus', 'master']]);
  assert.deepEqual(project.tracks[2].sends, [{ target: 'bus1', levelDb: -12, preFader: false }]);
  // bus2 sending back into bus1 would feed bus1 with itself.
  await clickWidget(page, `add-send:${n + 1}`);
  await clickWidget(page, `send-item:${n + 1}:bus1`);
  const error = await page.evaluate(() => window.mixdown.error());
  assert.match(error, /routing cycle: "bus1" -> "bus2" -> "bus1"/);
  project = await page.evaluate(() => window.mixdown.project());
  assert.equal(project.tracks[n + 1].sends, undefined, 'the refused send is not in the project');
  // The routed song renders the same in the browser and natively.
  await rendersAsNatively(page, 4, 'routed', 'routed song');
  assert.deepEqual(problems, []);
  await page.close();
});

test('gain automation points are added, moved and deleted with the mouse, and render as natively', async () => {
  const { page, problems } = await openStudio();
  const seconds = 8;
  const dry = await renderBoth(page, seconds, 'no-automation');
  await clickWidget(page, 'automation:2');  // show the bass track's gain lane
  const lane = (await page.evaluate(() => window.mixdown.widgetRects()))['lane:2'];
  assert.ok(lane, 'the lane is drawn over the bass row');
  const ppb = 24;  // the studio's default zoom, pixels per beat
  const at = (beat, frac) => [lane.x + beat * ppb, lane.y + lane.h * frac];
  const points = () => page.evaluate(() => (window.mixdown.project().tracks[2].automation || [])[0]?.points || []);
  // Three points: beat 2 high, beat 8 low, beat 12 high (y: top is +6 dB, bottom -60 dB).
  await doubleClickAt(page, ...at(2, 0.15));
  await doubleClickAt(page, ...at(8, 0.6));
  await doubleClickAt(page, ...at(12, 0.2));
  let p = await points();
  console.log('after three double clicks:', p.map((q) => `${q.beat}:${q.value.toFixed(1)} dB`).join(', '));
  assert.deepEqual(p.map((q) => q.beat), [2, 8, 12]);
  assert.ok(p[0].value > p[1].value + 20 && p[2].value > p[1].value + 20, 'the middle point is low');
  // Drag the middle point to beat 6 and lower.
  await dragFromTo(page, at(8, 0.6), at(6, 0.85));
  p = await points();
  assert.deepEqual(p.map((q) => q.beat), [2, 6, 12]);
  assert.ok(p[1].value < -40, `dragged down (${p[1].value} dB)`);
  // Right-click deletes the last point; one undo brings it back, a redo deletes it again.
  await rightClickAt(page, ...at(12, 0.2));
  assert.deepEqual((await points()).map((q) => q.beat), [2, 6]);
  await clickWidget(page, 'undo');
  assert.deepEqual((await points()).map((q) => q.beat), [2, 6, 12]);
  await clickWidget(page, 'redo');
  p = await points();
  assert.deepEqual(p.map((q) => q.beat), [2, 6]);
  // The automation reaches the engine: the render follows it, in the browser exactly as natively.
  const wet = await rendersAsNatively(page, seconds, 'automation', 'gain automation', { dry, audibleAbove: -20, audible: 'the automation is audible' });
  assert.equal(wet.project.tracks[2].automation[0].target, 'gain');
  // A lane for a device parameter: a utility on the bass, its gain automated through the A menu.
  const u = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts.length;
  await clickWidget(page, 'add-insert:2');
  await clickWidget(page, 'add-insert-item:mixdown.utility');
  await clickWidget(page, 'automation:2');  // shown: opens the lane menu, one submenu per device
  await clickWidget(page, `automation-device:2:${u}`);
  await clickWidget(page, `automation-item:2:inserts[${u}].gain`);
  await doubleClickAt(page, ...at(4, 0.1));
  await doubleClickAt(page, ...at(10, 0.9));
  let project = await page.evaluate(() => window.mixdown.project());
  const util = project.tracks[2].automation.find((l) => l.target === `inserts[${u}].gain`);
  assert.ok(util, `a lane for the utility's gain (${JSON.stringify(project.tracks[2].automation)})`);
  assert.deepEqual(util.points.map((q) => q.beat), [4, 10]);
  assert.ok(util.points[0].value > 15 && util.points[1].value < -45, `values from the lane's own range (${util.points.map((q) => q.value)})`);
  await rendersAsNatively(page, seconds, 'param-automation', 'utility gain automation');
  // Removing the utility takes its lane with it; the gain lane stays. Hiding keeps the automation.
  await clickWidget(page, `insert:2:${u}`);
  await clickWidget(page, 'insert-remove');
  project = await page.evaluate(() => window.mixdown.project());
  assert.deepEqual(project.tracks[2].automation.map((l) => l.target), ['gain']);
  await clickWidget(page, 'automation:2');
  await clickWidget(page, 'automation-hide:2');
  assert.equal((await points()).length, 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an EQ band dragged on the response curve changes the audio exactly as the same edit natively', async () => {
  const { page, problems } = await openStudio();
  const seconds = 6;
  const k = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts.length;
  await clickWidget(page, 'add-insert:2');
  await clickWidget(page, 'add-insert-item:mixdown.eq');
  const dry = await renderBoth(page, seconds, 'eq-flat');
  const graph = (await page.evaluate(() => window.mixdown.widgetRects()))['eq-graph'];
  assert.ok(graph, 'the EQ editor draws its response');
  // x: 20 Hz .. 20 kHz on a log axis; y: +24 dB at the top, -24 at the bottom.
  const xOfHz = (hz) => graph.x + graph.w * Math.log(hz / 20) / Math.log(1000);
  const yOfDb = (db) => graph.y + graph.h * (0.5 - db / 48);
  await doubleClickAt(page, xOfHz(300), yOfDb(0));  // a new peak band at 300 Hz
  let eq = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts[k].params;
  assert.equal(eq.type1, 1, 'band 1 became a peak');
  const band = (await page.evaluate(() => window.mixdown.widgetRects()))['eq-band:1'];
  assert.ok(band, 'band 1 has a handle on the curve');
  // Drag it to 120 Hz, +12 dB.
  await dragFromTo(page, [band.x + band.w / 2, band.y + band.h / 2], [xOfHz(120), yOfDb(12)]);
  eq = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts[k].params;
  console.log(`band 1 after the drag: ${eq.freq1.toFixed(1)} Hz, ${eq.gain1.toFixed(2)} dB`);
  assert.ok(Math.abs(Math.log2(eq.freq1 / 120)) < 0.05, `frequency follows the mouse (${eq.freq1} Hz)`);
  assert.ok(Math.abs(eq.gain1 - 12) < 0.5, `gain follows the mouse (${eq.gain1} dB)`);
  await rendersAsNatively(page, seconds, 'eq-dragged', 'dragged EQ band', { dry, audibleAbove: -30, audible: 'the drag is audible' });
  // One undo takes the drag back (the band stays where it was added).
  await clickWidget(page, 'undo');
  eq = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts[k].params;
  assert.ok(Math.abs(Math.log2(eq.freq1 / 300)) < 0.05 && Math.abs(eq.gain1) < 0.5, `undo restores 300 Hz, 0 dB (${eq.freq1}, ${eq.gain1})`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a compressor shows its gain reduction while the song plays', async () => {
  const { page, problems } = await openStudio();
  const k = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts.length;
  await clickWidget(page, 'add-insert:2');
  await clickWidget(page, 'add-insert-item:mixdown.compressor');
  await dragKnob(page, 'insert-param:threshold', -150);  // threshold down by 3/4 of its range
  const threshold = (await page.evaluate(() => window.mixdown.project())).tracks[2].inserts[k].params.threshold;
  assert.ok(threshold < -45, `threshold dragged down (${threshold})`);
  await clickWidget(page, 'play');
  const deepest = highest(await statusesOver(page, 4), 'reductions', 2 * 16 + k);
  await clickWidget(page, 'play');  // stop
  console.log(`compressor on the bass at ${threshold.toFixed(1)} dB: gain reduction up to ${deepest.toFixed(1)} dB`);
  assert.ok(deepest > 6, `the compressor reports its gain reduction (${deepest} dB)`);
  assert.deepEqual(problems, []);
  await page.close();
});
