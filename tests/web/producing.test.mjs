// Producing in the studio with the mouse and keyboard, as a person would: from an empty song to notes,
// beats and arranged clips; the project's JSON is what the gestures mean, every gesture is one undo
// step, and the browser renders the result exactly as the native renderer does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { peakDifferenceDb, peakDb, wavFloat } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, renderBoth, doubleClickAt, dragFromTo, rightClickAt, dropFile, statusesOver } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const project = (page) => page.evaluate(() => window.mixdown.project());
const rects = (page) => page.evaluate(() => window.mixdown.widgetRects());

// The centre of a piano-roll cell: beat (content beats) and pitch, from the roll's geometry.
async function rollPoint(page, beat, pitch) {
  const r = await rects(page);
  const grid = r['roll-grid'], g = r['roll-geometry'];  // g: x = beat at the grid's left, y = pitch at its top, w = px/beat, h = px/row
  return [grid.x + (beat - g.x) * g.w, grid.y + (g.y - pitch) * g.h + g.h / 2];
}

// The first 6 s of the song rendered in the browser (renderOffline) and natively: they must sound and be
// the same audio bit for bit (the tests allow -120 dBFS).
async function rendersAsNatively(page, what) {
  const r = await renderBoth(page, 6, what.replace(/\W+/g, '-'));
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`${what}: browser vs native ${diff} dBFS, peak ${peakDb(r.native).toFixed(1)} dBFS`);
  assert.ok(peakDb(r.native) > -40, `the ${what} sounds`);
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
}

// Types a tempo into the top bar's field (a double click makes the drag field editable); Enter is the
// caller's.
async function typeInTempo(page, text) {
  const tempo = (await rects(page)).tempo;
  await doubleClickAt(page, tempo.x + tempo.w / 2, tempo.y + tempo.h / 2);
  await page.keyboard.press('Control+a');
  await page.keyboard.type(text);
}

// New, confirmed when the studio asks (the song open has unsaved changes).
async function newSong(page) {
  await clickWidget(page, 'new');
  if ((await rects(page))['confirm-new-yes']) await clickWidget(page, 'confirm-new-yes');
}

// The peak (dBFS) of the next `seconds` of the live output (what the speakers get, metronome included).
async function tapPeakDb(page, seconds) {
  return page.evaluate(async (sec) => {
    const t = await window.mixdown.tapOutput(sec);
    let peak = 0;
    for (const c of t.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    return 20 * Math.log10(peak);
  }, seconds);
}

// Undo then redo of the last gesture: the project goes back to what it was before and forward again.
async function undoRedoOnce(page, before, label) {
  const afterIt = await project(page);
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), before, `one undo takes back "${label}"`);
  await page.keyboard.press('Control+Shift+z');
  await settled(page);
  assert.deepEqual(await project(page), afterIt, `one redo brings back "${label}"`);
}

test('from an empty song: a track, notes drawn, moved, resized and deleted in the piano roll, clips split and duplicated, each one undo step, rendered as natively', async () => {
  const { page, problems } = await openStudio();
  await newSong(page);
  let p = await project(page);
  assert.equal(p.tracks.length, 0, 'New makes an empty song');
  // Tempo 96 BPM: typed into the tempo field (a double click makes a drag field editable).
  await typeInTempo(page, '96');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.equal((await project(page)).tempo, 96, 'tempo typed in');
  // An instrument track from the registry's list.
  let before = await project(page);
  await clickWidget(page, 'add-track');
  await clickWidget(page, 'add-track-item:mixdown.polysynth');
  p = await project(page);
  assert.equal(p.tracks.length, 1);
  assert.equal(p.tracks[0].instrument.type, 'mixdown.polysynth');
  await undoRedoOnce(page, before, 'Add instrument track');
  // Double-click the empty lane at bar 1: a one-bar clip, opened in the piano roll.
  const lanes = (await rects(page)).lanes;
  before = await project(page);
  await doubleClickAt(page, lanes.x + 10, lanes.y + 24);
  p = await project(page);
  assert.equal(p.tracks[0].clips.length, 1, 'a clip was made');
  assert.deepEqual([p.tracks[0].clips[0].start, p.tracks[0].clips[0].length], [0, 4]);
  await undoRedoOnce(page, before, 'Create clip');
  assert.ok((await rects(page))['roll-grid'], 'the piano roll is open');
  // Draw four notes (C4 E4 G4 C5 on beats 0..3) with single clicks: the snap grid is a beat.
  const pitches = [60, 64, 67, 72];
  for (let k = 0; k < 4; ++k) {
    before = await project(page);
    const [x, y] = await rollPoint(page, k + 0.5, pitches[k]);
    await page.mouse.click(x, y);
    await settled(page);
    if (k === 0) await undoRedoOnce(page, before, 'Add note');
  }
  p = await project(page);
  let notes = p.tracks[0].clips[0].notes;
  assert.deepEqual(notes.map((n) => [n.pitch, n.start]), pitches.map((q, k) => [q, k]), 'four notes on the beats');
  // Move the second note (E4 on beat 1) up two semitones and one beat later: one drag.
  before = await project(page);
  let [x0, y0] = await rollPoint(page, 1.1, 64);
  let [x1, y1] = await rollPoint(page, 2.1, 66);
  await dragFromTo(page, [x0, y0], [x1, y1]);
  notes = (await project(page)).tracks[0].clips[0].notes;
  assert.deepEqual([notes[1].pitch, notes[1].start], [66, 2], 'the note moved to F#4 on beat 2');
  await undoRedoOnce(page, before, 'Move notes');
  // Resize the first note from its right edge to two beats (the note is 0.25 beats long at first).
  before = await project(page);
  const first = (await rects(page))['note:0'];
  [x1] = await rollPoint(page, 2.0, 60);
  await dragFromTo(page, [first.x + first.w - 2, first.y + first.h / 2], [x1, first.y + first.h / 2]);
  notes = (await project(page)).tracks[0].clips[0].notes;
  assert.equal(notes[0].length, 2, 'the first note is two beats long');
  await undoRedoOnce(page, before, 'Resize notes');
  // Delete the last note with a right click.
  before = await project(page);
  const last = (await rects(page))['note:3'];
  await rightClickAt(page, last.x + last.w / 2, last.y + last.h / 2);
  notes = (await project(page)).tracks[0].clips[0].notes;
  assert.deepEqual(notes.map((n) => n.pitch), [60, 66, 67], 'the C5 was deleted');
  await undoRedoOnce(page, before, 'Delete note');
  // Audition: holding a key of the roll's keyboard sounds it on the track's instrument (a live note, not an
  // edit: the project and the undo history stay as they are); letting go ends it.
  before = await project(page);
  const keys = (await rects(page))['roll-keys'];
  const [, a4] = await rollPoint(page, 0, 69);
  await page.mouse.move(keys.x + keys.w / 2, a4);
  await page.mouse.down();
  await settled(page);
  const held = await tapPeakDb(page, 0.3);
  await page.mouse.up();
  await settled(page);
  await page.waitForFunction(() => window.mixdown.status().peaks[0] === 0, null, { timeout: 10000 });  // released and silent again
  const released = await tapPeakDb(page, 0.2);
  console.log(`audition: key held ${held.toFixed(1)} dBFS, after release ${released} dBFS`);
  assert.ok(held > -40, `the held key sounds (${held} dBFS)`);
  assert.equal(released, -Infinity, 'silent after the key is let go');
  assert.deepEqual(await project(page), before, 'auditioning changes nothing in the song');
  // Back in the arrangement: duplicate the clip (Ctrl+D), then split the copy at beat 6 (Ctrl+E at the pointer).
  const clip = (await rects(page))['clip:0:0'];
  await page.mouse.click(clip.x + clip.w / 2, clip.y + clip.h / 2);
  await settled(page);
  before = await project(page);
  await page.keyboard.press('Control+d');
  await settled(page);
  p = await project(page);
  assert.deepEqual(p.tracks[0].clips.map((c) => [c.start, c.length]), [[0, 4], [4, 4]], 'the copy lands right after the clip');
  await undoRedoOnce(page, before, 'Duplicate clip');
  const ppb = 24;  // the arrangement's default zoom, beat 0 at the lanes' left edge
  before = await project(page);
  await page.mouse.move(lanes.x + 6 * ppb, lanes.y + 24);
  await page.keyboard.press('Control+e');
  await settled(page);
  p = await project(page);
  assert.deepEqual(p.tracks[0].clips.map((c) => [c.start, c.length, c.offset]), [[0, 4, 0], [4, 2, 0], [6, 2, 2]], 'the copy split at beat 6');
  await undoRedoOnce(page, before, 'Split clip');
  // Every note sounds where it did: the render of the browser equals the native one.
  await rendersAsNatively(page, 'produced song');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 16-step drum beat, 3/4 and a tempo step, each gesture one undo step; the song renders as natively', async () => {
  const { page, problems } = await openStudio();
  await newSong(page);
  await clickWidget(page, 'add-track');
  await clickWidget(page, 'add-track-item:mixdown.drums');
  const lanes = (await rects(page)).lanes;
  await doubleClickAt(page, lanes.x + 10, lanes.y + 24);
  let p = await project(page);
  assert.equal(p.tracks[0].instrument.type, 'mixdown.drums');
  assert.ok((await rects(page))['step:36:0'], 'a drum clip opens in the step sequencer');
  // Kick on 1, 5, 9, 13 and snare on 5 and 13 (a click each), closed hats on every second step painted
  // in one drag along the row: one undo step per gesture.
  const cell = async (pitch, k) => { const r = (await rects(page))[`step:${pitch}:${k}`]; return [r.x + r.w / 2, r.y + r.h / 2]; };
  const expected = [];
  for (const [pitch, steps] of [[36, [0, 4, 8, 12]], [38, [4, 12]]]) {
    for (const k of steps) {
      const before = await project(page);
      const [x, y] = await cell(pitch, k);
      await page.mouse.click(x, y);
      await settled(page);
      await undoRedoOnce(page, before, `Add step ${pitch}:${k}`);
      expected.push([pitch, k * 0.25]);
    }
  }
  let before = await project(page);
  const [hx0, hy] = await cell(42, 0), [hx1] = await cell(42, 15);
  await page.mouse.move(hx0, hy);
  await page.mouse.down();
  for (let k = 1; k <= 15; ++k) await page.mouse.move(hx0 + ((hx1 - hx0) * k) / 15, hy);
  await page.mouse.up();
  await settled(page);
  await undoRedoOnce(page, before, 'Paint hats');
  for (let k = 0; k < 16; ++k) expected.push([42, k * 0.25]);
  const sortNotes = (list) => [...list].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  p = await project(page);
  assert.deepEqual(sortNotes(p.tracks[0].clips[0].notes.map((n) => [n.pitch, n.start])), sortNotes(expected), 'the beat as programmed');
  assert.ok(p.tracks[0].clips[0].notes.every((n) => n.length === 0.25 && n.velocity === 0.75), 'every step a sixteenth at the step velocity');
  // 3/4: typed into the signature's numerator.
  before = await project(page);
  const num = (await rects(page))['signature-numerator'];
  await page.mouse.click(num.x + num.w / 2, num.y + num.h / 2);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.deepEqual((await project(page)).timeSignature, { numerator: 3, denominator: 4 });
  await undoRedoOnce(page, before, 'Time signature');
  // The bar of beat twice more after itself (Ctrl+D on the clip, selected in the arrangement).
  const clip = (await rects(page))['clip:0:0'];
  await page.mouse.click(clip.x + clip.w / 2, clip.y + clip.h / 2);
  await settled(page);
  for (let k = 0; k < 2; ++k) {
    await page.keyboard.press('Control+d');
    await settled(page);
  }
  assert.deepEqual((await project(page)).tracks[0].clips.map((c) => c.start), [0, 4, 8]);
  // A tempo step at bar 3 (beat 6 in 3/4): the lane shown ("Tempo" in the corner: a view switch, no undo
  // step), then a double-click in it at 135 BPM on its scale.
  before = await project(page);
  await clickWidget(page, 'tempo-toggle');
  assert.deepEqual(await project(page), before, 'showing the lane changes nothing in the song');
  const lane = (await rects(page))['tempo-lane'], g = (await rects(page))['tempo-geometry'];  // g: beat at x, BPM at the top, px/beat, px/BPM
  const tx = lane.x + (6 - g.x) * g.w, ty = lane.y + 4 + (g.y - 135) * g.h;
  await doubleClickAt(page, tx + 3, ty);  // 3 px right of the bar line: the grid puts it on the beat
  p = await project(page);
  assert.deepEqual(p.tempoChanges, [{ beat: 6, bpm: 135, shape: 'step' }], 'a step to 135 BPM at bar 3');
  await undoRedoOnce(page, before, 'Add tempo point');
  // The tempo point moved up 10 BPM by dragging it (the drag is one step too).
  before = await project(page);
  const pt = (await rects(page))['tempo-point:0'], g2 = (await rects(page))['tempo-geometry'];  // the scale grew with the new point
  const [px0, py0] = [Math.round(pt.x + pt.w / 2), Math.round(pt.y + pt.h / 2)];  // mouse events carry whole CSS pixels
  await dragFromTo(page, [px0, py0], [px0, py0 - 16]);
  p = await project(page);
  const dragged = Math.round(135 + 16 / g2.h);
  assert.deepEqual(p.tempoChanges, [{ beat: 6, bpm: dragged, shape: 'step' }], `dragged up 16 px: ${dragged} BPM`);
  await undoRedoOnce(page, before, 'Move tempo point');
  // Selected (a click on it), the point becomes a ramp with the header's Ramp switch: one step.
  before = await project(page);
  const ptNow = (await rects(page))['tempo-point:0'];
  await page.mouse.click(Math.round(ptNow.x + ptNow.w / 2), Math.round(ptNow.y + ptNow.h / 2));
  await settled(page);
  await clickWidget(page, 'tempo-ramp');
  assert.deepEqual((await project(page)).tempoChanges, [{ beat: 6, bpm: dragged, shape: 'linear' }], 'a ramp now');
  await undoRedoOnce(page, before, 'Tempo ramp');
  // Deleted by a right-click, and (undone, selected again) by the Delete key: each one step.
  before = await project(page);
  await rightClickAt(page, Math.round(ptNow.x + ptNow.w / 2), Math.round(ptNow.y + ptNow.h / 2));
  assert.deepEqual((await project(page)).tempoChanges ?? [], [], 'right-click deletes the point');
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), before, 'one undo brings it back');
  await page.mouse.click(Math.round(ptNow.x + ptNow.w / 2), Math.round(ptNow.y + ptNow.h / 2));
  await settled(page);
  await page.keyboard.press('Delete');
  await settled(page);
  assert.deepEqual((await project(page)).tempoChanges ?? [], [], 'Delete removes the selected point');
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), before, 'one undo brings it back');
  // The beat through the tempo step: the browser's render equals the native one.
  await rendersAsNatively(page, 'drum song with a tempo step');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the wheel scrolls down when turned down; Ctrl+wheel zooms around the beat under the pointer', async () => {
  const { page, problems } = await openStudio();
  const lanes = (await rects(page)).lanes;
  const header = async () => (await rects(page))['track-header:1'].y;
  const top = await header();
  await page.mouse.move(lanes.x + lanes.w / 2, lanes.y + lanes.h / 2);
  await page.mouse.wheel(0, 100);  // turned down (towards the person)
  await settled(page);
  const scrolled = await header();
  console.log(`wheel down: track 2's header from y ${top} to ${scrolled}`);
  assert.ok(scrolled < top, 'the tracks moved up: the view scrolled down');
  for (const [px, turns] of [[0.3, -1], [0.7, -2], [0.5, 3]]) {
    const x = Math.round(lanes.x + lanes.w * px);  // mouse events carry whole CSS pixels
    const g0 = (await rects(page))['arrangement-geometry'];  // x: beat at the lanes' left, w: px/beat
    const beat = g0.x + (x - lanes.x) / g0.w;
    await page.mouse.move(x, lanes.y + lanes.h / 2);
    // Ctrl is held across frames, as a hand holds it (ImGui may take a key's press and release in one
    // frame: the wheel between them would then see no Ctrl).
    await page.keyboard.down('Control');
    await settled(page);
    for (let k = 0; k < Math.abs(turns); ++k) await page.mouse.wheel(0, Math.sign(turns) * 100);
    await settled(page);
    await page.keyboard.up('Control');
    await settled(page);
    const g1 = (await rects(page))['arrangement-geometry'];
    const after = g1.x + (x - lanes.x) / g1.w;
    console.log(`zoom ${turns > 0 ? 'out' : 'in'} x${Math.abs(turns)}: ${g0.w.toFixed(2)} -> ${g1.w.toFixed(2)} px/beat, beat under the pointer ${beat.toFixed(4)} -> ${after.toFixed(4)}`);
    assert.notEqual(g1.w, g0.w, 'the zoom changed');
    assert.ok(turns < 0 ? g1.w > g0.w : g1.w < g0.w, 'turned up zooms in, down zooms out');
    assert.ok(Math.abs(after - beat) < 1e-3 || (after > beat && g1.x === 0), `the beat under the pointer stays there (${beat} -> ${after})`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

// Onsets: a non-zero sample after at least 200 zeros.
function onsets(x) {
  const out = [];
  let zeros = 200;
  for (let i = 0; i < x.length; ++i) {
    if (x[i] === 0) { ++zeros; continue; }
    if (zeros >= 200) out.push(i);
    zeros = 0;
  }
  return out;
}

test('the metronome clicks on the beat samples of the live output and never in renderOffline', async () => {
  const { page, problems } = await openStudio();
  await newSong(page);
  await clickWidget(page, 'metronome');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 0, null, { timeout: 15000 });
  const tap = await page.evaluate(async () => {
    const t = await window.mixdown.tapOutput(2.2);
    return { position: t.position, sampleRate: t.sampleRate, left: Array.from(t.channels[0]), right: Array.from(t.channels[1]) };
  });
  await page.keyboard.press('Space');
  // 120 BPM: beat k is on timeline frame k * sampleRate / 2 (Timeline::frameAtOrAfterBeat); the tap's
  // frame i is timeline frame position + i.
  const beatFrames = tap.sampleRate / 2;
  const expected = [];
  for (let k = Math.ceil(tap.position / beatFrames); k * beatFrames < tap.position + tap.left.length; ++k) expected.push(Math.ceil(k * beatFrames) - tap.position);
  // (A click that began before the tap is still sounding in its first 25 ms: onsets are read after them.)
  const later = (list) => list.filter((i) => i >= 1300);
  expected.splice(0, expected.length, ...later(expected));
  const found = later(onsets(tap.left));
  console.log(`live output from frame ${tap.position} at ${tap.sampleRate} Hz: clicks at ${found.join(' ')}; beats at ${expected.join(' ')}`);
  assert.ok(expected.length >= 4);
  assert.deepEqual(found, expected, 'every click starts on its beat sample');
  assert.deepEqual(later(onsets(tap.right)), expected);
  // The same song rendered offline (as Export master renders it) has no click: exact silence.
  const offline = await page.evaluate(async () => {
    const r = await window.mixdown.renderOffline({ seconds: 2 });
    let peak = 0;
    for (const c of r.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    return peak;
  });
  assert.equal(offline, 0, 'renderOffline has no metronome');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dropped audio file lands on the track and beat under the pointer, on the grid', async () => {
  const { page, problems } = await openStudio();
  const samples = Array.from({ length: 24000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / 48000) * Math.exp(-i / 6000));
  const bytes = wavFloat(samples, 48000);
  const tracks = (await project(page)).tracks.length;
  const lanes = (await rects(page)).lanes;
  await page.mouse.move(lanes.x + lanes.w / 2, lanes.y + lanes.h / 2);
  await page.mouse.wheel(0, 2000);  // down to the end, where an empty row shows below the last track
  await settled(page);
  const g = (await rects(page))['arrangement-geometry'];
  const xOf = (beat) => lanes.x + (beat - g.x) * g.w;
  // Below the last track, at beat 8.3: a new audio track at the end, the clip on beat 8 (the grid is a beat).
  const below = Math.min(lanes.y + lanes.h - 4, lanes.y + tracks * g.h - g.y + 10);
  const before = await project(page);
  await dropFile(page, bytes, 'pluck.wav', [xOf(8.3), below]);
  await page.waitForFunction((n) => window.mixdown.project().tracks.length === n + 1, tracks, { timeout: 10000 });
  await settled(page);
  let p = await project(page);
  const added = p.tracks[tracks];
  assert.equal(added.kind, 'audio');
  assert.deepEqual(added.clips.map((c) => [c.start, c.asset]), [[8, p.assets[p.assets.length - 1].id]], 'on beat 8 of a new track');
  await undoRedoOnce(page, before, 'Add audio');
  // Dropped again on that track's row at beat 13.6: a second clip there, on beat 14, no new track.
  const row = (await rects(page))[`track-header:${tracks}`];
  await dropFile(page, bytes, 'pluck.wav', [xOf(13.6), row.y + row.h / 2]);
  await page.waitForFunction((n) => window.mixdown.project().tracks[n].clips.length === 2, tracks, { timeout: 10000 });
  p = await project(page);
  assert.equal(p.tracks.length, tracks + 1);
  assert.deepEqual(p.tracks[tracks].clips.map((c) => c.start), [8, 14]);
  // On an instrument track (the bass, row 3): a new audio track right under it.
  await page.mouse.move(lanes.x + lanes.w / 2, lanes.y + lanes.h / 2);
  await page.mouse.wheel(0, -2000);
  await settled(page);
  const bass = (await rects(page))['track-header:2'];
  await dropFile(page, bytes, 'pluck.wav', [xOf(4.1), bass.y + bass.h / 2]);
  await page.waitForFunction((n) => window.mixdown.project().tracks.length === n + 2, tracks, { timeout: 10000 });
  p = await project(page);
  assert.equal(p.tracks[3].kind, 'audio');
  assert.deepEqual(p.tracks[3].clips.map((c) => c.start), [4]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a tempo change keeps the playhead on its bar and beat, stopped and playing', async () => {
  const { page, problems } = await openStudio();
  await newSong(page);
  const beatNow = () => page.evaluate(() => { const s = window.mixdown.status(); return s.position / s.sampleRate * 2; });  // at 120 BPM
  // Stopped: the ruler clicked at bar 3 (beat 8), then the tempo typed to 60: still beat 8 (now 8 s in).
  const ruler = (await rects(page)).ruler, g = (await rects(page))['arrangement-geometry'];
  await page.mouse.click(Math.round(ruler.x + (8 - g.x) * g.w), ruler.y + ruler.h / 2);
  await page.waitForFunction(() => window.mixdown.status().position > 0, null, { timeout: 10000 });
  const beat = await beatNow();
  await typeInTempo(page, '60');
  await page.keyboard.press('Enter');
  await settled(page);
  await page.waitForFunction((b) => Math.abs(window.mixdown.status().position / window.mixdown.status().sampleRate - b) < 1e-3, beat, { timeout: 10000 });
  const s1 = await page.evaluate(() => window.mixdown.status());
  console.log(`stopped: beat ${beat.toFixed(4)} at 120 BPM -> ${(s1.position / s1.sampleRate).toFixed(4)} at 60 BPM`);
  // Playing: the tempo typed back to 120 while the song runs; the beat goes on from where it was.
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position / window.mixdown.status().sampleRate > 8.5, null, { timeout: 15000 });
  await typeInTempo(page, '120');
  // Every status from before Enter until the engine has the new tempo: where the position in seconds drops
  // (the same beat comes twice as early at 120 BPM), the beats before and after must agree.
  await page.evaluate(() => {
    window.seenSeconds = [];
    window.stopSeeing = window.mixdown.watchStatus((s) => window.seenSeconds.push(s.position / s.sampleRate));
  });
  await page.keyboard.press('Enter');
  await settled(page);
  await page.evaluate(() => window.mixdown.engineProject());  // the engine has the new tempo
  await statusesOver(page, 0.1);  // and has sent a status from after it
  const seen = await page.evaluate(() => { window.stopSeeing(); return window.seenSeconds; });
  // One jump (statuses come every 1/30 s of audio: the seconds go up by that between them otherwise): no
  // tempo played while the digits were typed ("1" of "120" is 20 BPM).
  const jumps = seen.flatMap((t, i) => (i > 0 && (t < seen[i - 1] || t - seen[i - 1] > 0.1) ? [i] : []));
  assert.equal(jumps.length, 1, `one tempo change, when Enter is pressed (seconds: ${seen.map((t) => t.toFixed(3)).join(' ')})`);
  const k = jumps[0];
  assert.ok(seen[k] < seen[k - 1], 'the position in seconds drops when the tempo doubles');
  const beatBefore = seen[k - 1], beatAfter = 2 * seen[k];  // a beat is a second at 60 BPM, half one at 120
  console.log(`playing: beat ${beatBefore.toFixed(3)} in the last status at 60 BPM, beat ${beatAfter.toFixed(3)} in the first at 120 BPM (kept in seconds it would be ${(2 * beatBefore).toFixed(3)})`);
  // Kept in beats: on from where it was by at most one status period's beats (about 0.07 at 120 BPM), not
  // twice as far (as the same seconds at the new tempo would be).
  assert.ok(beatAfter >= beatBefore && beatAfter - beatBefore < 0.2, `beat ${beatBefore} -> ${beatAfter}`);
  await page.keyboard.press('Space');
  assert.deepEqual(problems, []);
  await page.close();
});
