// Producing in the studio with the mouse and keyboard, as a person would: from an empty song to notes,
// beats and arranged clips; the project's JSON is what the gestures mean, every gesture is one undo
// step, and the browser renders the result exactly as the native renderer does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { peakDifferenceDb, peakDb } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, renderBoth, doubleClickAt, dragFromTo, rightClickAt } from './browser.mjs';

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
  await clickWidget(page, 'new');
  if ((await rects(page))['confirm-new-yes']) await clickWidget(page, 'confirm-new-yes');
  let p = await project(page);
  assert.equal(p.tracks.length, 0, 'New makes an empty song');
  // Tempo 96 BPM: typed into the tempo field (a double click makes a drag field editable).
  const tempo = (await rects(page)).tempo;
  await doubleClickAt(page, tempo.x + tempo.w / 2, tempo.y + tempo.h / 2);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('96');
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
  const r = await renderBoth(page, 6, 'producing');
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`produced song: browser vs native ${diff} dBFS, peak ${peakDb(r.native).toFixed(1)} dBFS`);
  assert.ok(peakDb(r.native) > -40, 'the song sounds');
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
  assert.deepEqual(problems, []);
  await page.close();
});
