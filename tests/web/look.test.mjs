// The studio's look and feel (wasm/studio/DESIGN.md): text contrast to WCAG AA, a layout that holds at
// 1024x640 and at a device pixel ratio of 2 (every named widget inside the canvas, none over another),
// faders that move with the hand wherever they are grabbed, and knobs that follow the drag rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, stopBrowser, openStudio, settled, clickWidget } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const project = (page) => page.evaluate(() => window.mixdown.project());
const rectsOf = (page) => page.evaluate(() => window.mixdown.widgetRects());

// WCAG 2.1 relative luminance and contrast ratio of two "#rrggbb" colours.
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('every text colour passes WCAG AA (4.5:1) on every surface it is drawn on', async () => {
  const { page, problems } = await openStudio();
  const pairs = await page.evaluate(() => window.mixdown.themeColourPairs());
  assert.ok(pairs.length >= 15, `the design lists its pairs (${pairs.length})`);
  let lowest = Infinity, lowestName = '';
  for (const p of pairs) {
    const ratio = contrast(p.text, p.background);
    if (ratio < lowest) { lowest = ratio; lowestName = p.name; }
    assert.ok(ratio >= 4.5, `${p.name}: ${p.text} on ${p.background} is ${ratio.toFixed(2)}:1`);
  }
  console.log(`lowest text contrast: ${lowest.toFixed(2)}:1 (${lowestName})`);
  assert.deepEqual(problems, []);
  await page.close();
});

// Rectangles that hold others by design (a track's header holds its buttons, the lanes hold clips, a
// geometry entry is numbers, not a rectangle): the overlap rule is for the controls themselves.
const CONTAINERS = /^(lanes|playhead|arrangement-geometry|roll-geometry|roll-grid|roll-keys|velocity-lane|track-header:\d+|clip:.*|note:.*|error)$/;

function layoutProblems(rects, width, height) {
  const found = [];
  const names = Object.keys(rects).filter((n) => !CONTAINERS.test(n));
  for (const n of names) {
    const r = rects[n];
    if (r.x < -0.5 || r.y < -0.5 || r.x + r.w > width + 0.5 || r.y + r.h > height + 0.5)
      found.push(`${n} leaves the ${width}x${height} canvas: ${JSON.stringify(r)}`);
  }
  for (let i = 0; i < names.length; ++i) {
    for (let j = i + 1; j < names.length; ++j) {
      const a = rects[names[i]], b = rects[names[j]];
      const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) found.push(`${names[i]} overlaps ${names[j]} by ${w.toFixed(0)}x${h.toFixed(0)} px`);
    }
  }
  return found;
}

for (const [width, height, deviceScaleFactor] of [[1024, 640, 1], [1024, 640, 2], [1280, 800, 2]]) {
  test(`at ${width}x${height} and a pixel ratio of ${deviceScaleFactor}, every named widget is inside the canvas and none overlaps another`, async () => {
    const { page, problems } = await openStudio(undefined, { viewport: { width, height }, deviceScaleFactor });
    await page.waitForFunction(([w, s]) => document.getElementById('canvas').width === Math.round(w * s), [width, deviceScaleFactor], { timeout: 10000 });
    await settled(page);
    for (const view of ['tab:mixer', 'tab:mastering', 'tab:mixer']) {
      await clickWidget(page, view);
      const rects = await rectsOf(page);
      assert.ok(Object.keys(rects).length > 40, 'the studio names its widgets');
      // A widget scrolled or pushed out of its view is not in the rectangles: the top bar's must all be there.
      for (const name of ['play', 'rewind', 'position', 'tempo', 'loop', 'metronome', 'snap', 'cpu', 'undo', 'redo', 'file', 'share', 'shortcuts', 'split', 'tab:mixer'])
        assert.ok(rects[name], `${name} is on screen at ${width}x${height}@${deviceScaleFactor}x`);
      assert.deepEqual(layoutProblems(rects, width, height), [], `the ${view.slice(4)} view at ${width}x${height}@${deviceScaleFactor}x`);
    }
    // An editor open over the mixer: its own widgets stay inside the canvas too.
    await clickWidget(page, 'insert:2:0');
    const rects = await rectsOf(page);
    const inEditor = Object.keys(rects).filter((n) => n.startsWith('insert-param:'));
    assert.ok(inEditor.length > 3, 'the device editor shows its parameters');
    for (const n of inEditor) {
      const r = rects[n];
      assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height, `${n} inside the canvas: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('a fader dragged by 20 px moves by the same amount wherever it was grabbed, and never jumps to the click', async () => {
  const { page, problems } = await openStudio();
  const f = (await rectsOf(page))['fader:2'];
  const level = async () => (await project(page)).tracks[2].strip.gainDb;
  const dragUp = async (x, y, dy, modifiers = []) => {
    await page.mouse.move(x, y);
    for (const m of modifiers) await page.keyboard.down(m);
    await page.mouse.down();
    await page.mouse.move(x, y - dy, { steps: 5 });
    await page.mouse.up();
    for (const m of modifiers) await page.keyboard.up(m);
    await settled(page);
  };
  const start = await level();
  // A press far from the cap (near the bottom of the track) must not move the fader at all. It is made
  // 30 px above the drags' grab point below: two presses within ImGui's 6 px and 0.3 s are a double
  // click, which resets the fader to 0 dB (on a quick machine the drag then started from 0 dB).
  await page.mouse.move(f.x + f.w * 0.7, f.y + f.h - 40);
  await page.mouse.down();
  await page.mouse.up();
  await settled(page);
  assert.equal(await level(), start, 'a click on the track leaves the level where it was');
  // 72 dB over the travel (the track's height less the 12 px cap): 20 px is 20 * 72 / (h - 12) dB.
  const expected = 20 * 72 / (f.h - 12);
  await dragUp(f.x + f.w * 0.7, f.y + f.h - 10, -20);  // grabbed near the bottom, dragged 20 px down
  const fromBottom = start - (await level());
  const mid = await level();
  await dragUp(f.x + f.w * 0.7, f.y + 10, 20);  // grabbed near the top, dragged 20 px up (back where it was)
  const fromTop = (await level()) - mid;
  console.log(`fader 20 px: -${fromBottom.toFixed(3)} dB grabbed low, +${fromTop.toFixed(3)} dB grabbed high (expected ${expected.toFixed(3)})`);
  assert.ok(Math.abs(fromBottom - expected) < 0.05, `grabbed low: ${fromBottom} dB`);
  assert.ok(Math.abs(fromTop - expected) < 0.05, `grabbed high: ${fromTop} dB`);
  const beforeFine = await level();
  await dragUp(f.x + f.w * 0.7, f.y + f.h / 2, 20, ['Shift']);
  const fine = (await level()) - beforeFine;
  assert.ok(Math.abs(fine - expected / 10) < 0.02, `Shift: a tenth (${fine} dB)`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('knobs: drag up raises, Shift is fine, double-click resets, the wheel steps, Ctrl+click types a value, each one undo step', async () => {
  const { page, problems } = await openStudio();
  const k = (await rectsOf(page))['pan:3'];
  const pan = async () => (await project(page)).tracks[3].strip.pan;
  const start = await pan();
  const x = k.x + k.w / 2, y = k.y + k.h / 2;
  const drag = async (dy, modifiers = []) => {
    await page.mouse.move(x, y);
    for (const m of modifiers) await page.keyboard.down(m);
    await page.mouse.down();
    await page.mouse.move(x, y - dy, { steps: 5 });
    await page.mouse.up();
    for (const m of modifiers) await page.keyboard.up(m);
    await settled(page);
  };
  // 200 px cover the range (-1..1): 40 px up is +0.4.
  await drag(-40);
  const down = await pan();
  assert.ok(Math.abs(down - Math.max(-1, start - 0.4)) < 0.005, `40 px down: ${start} -> ${down}`);
  await drag(40, ['Shift']);
  const fine = await pan();
  assert.ok(Math.abs(fine - (down + 0.04)) < 0.002, `Shift+40 px up: ${down} -> ${fine}`);
  // The wheel: one notch up is 1/100 of the range.
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, -100);
  await page.waitForFunction(([t, v]) => Math.abs(window.mixdown.project().tracks[t].strip.pan - v) > 1e-6, [3, fine], { timeout: 10000 });
  const wheeled = await pan();
  assert.ok(Math.abs(Math.abs(wheeled - fine) - 0.02) < 0.002, `a wheel notch: ${fine} -> ${wheeled}`);
  // Double-click: back to the centre.
  await page.mouse.dblclick(x, y);
  await settled(page);
  assert.equal(await pan(), 0, 'double-click centres the pan');
  // Ctrl+click, type, Enter.
  await page.keyboard.down('Control');
  await page.mouse.click(x, y);
  await page.keyboard.up('Control');
  await settled(page);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('0.3');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.equal(await pan(), 0.3, 'a typed value');
  // Undo walks back one gesture at a time: typed, reset, wheel, fine drag, drag.
  const undo = async () => { await page.keyboard.press('Control+z'); await settled(page); return pan(); };
  assert.equal(await undo(), 0, 'undo the typed value');
  assert.ok(Math.abs((await undo()) - wheeled) < 1e-9, 'undo the reset');
  assert.ok(Math.abs((await undo()) - fine) < 1e-9, 'undo the wheel');
  assert.ok(Math.abs((await undo()) - down) < 1e-9, 'undo the fine drag');
  assert.ok(Math.abs((await undo()) - start) < 1e-9, 'undo the drag');
  assert.deepEqual(problems, []);
  await page.close();
});
