// The instrument editor, with the mouse and keyboard as a person would: open a track's instrument from the
// mixer, pick a category and a factory preset (one undo step; the project then holds exactly the preset's
// parameters), turn a drum voice in the drum machine's grid, save a preset of one's own and find it again
// after a reload (the browser keeps it), and drop a preset file to import it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dragWidget, MIXDOWN } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const project = (page) => page.evaluate(() => window.mixdown.project());
const rects = (page) => page.evaluate(() => window.mixdown.widgetRects());
const factory = JSON.parse(execFileSync(MIXDOWN, ['presets', '--json'], { encoding: 'utf8' }));

test('presets load from the instrument editor as one undo step, and the user\'s own survive a reload', async () => {
  const { page, problems } = await openStudio();
  const before = await project(page);
  const synth = before.tracks.findIndex((t) => t.instrument && t.instrument.type === 'mixdown.polysynth');
  assert.ok(synth >= 0, 'the demo has a poly synth track');
  await clickWidget(page, `instrument:${synth}`);
  assert.ok((await rects(page))['instrument-editor'], 'the editor opened');
  // Category, then a preset.
  await clickWidget(page, 'preset-category');
  await clickWidget(page, 'preset-category:Bass');
  const names = Object.keys(await rects(page)).filter((k) => k.startsWith('preset:')).map((k) => k.slice(7));
  const basses = factory.filter((p) => p.category === 'Bass').map((p) => p.name).sort();
  assert.deepEqual(names.sort(), basses, 'the list shows the bass presets');
  await clickWidget(page, 'preset:Acid Bass');
  const loaded = await project(page);
  assert.deepEqual(loaded.tracks[synth].instrument.params, factory.find((p) => p.name === 'Acid Bass').device.params);
  await page.screenshot({ path: `${process.env.SCREENSHOTS || '/tmp'}/instrument-editor-synth.png` });
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual((await project(page)).tracks[synth].instrument.params, before.tracks[synth].instrument.params, 'undo gives the sound back');
  await page.keyboard.press('Control+Shift+z');
  await settled(page);
  assert.deepEqual((await project(page)).tracks[synth], loaded.tracks[synth], 'redo loads it again');
  // A parameter moved by hand, then saved as the user's own preset.
  const cutoff = (await rects(page))['instrument-param:cutoff'];
  assert.ok(cutoff, 'the filter section shows the cutoff');
  await dragWidget(page, 'instrument-param:cutoff', 0.3, 0.6);
  const moved = (await project(page)).tracks[synth].instrument.params.cutoff;
  assert.notEqual(moved, loaded.tracks[synth].instrument.params.cutoff, 'the cutoff moved');
  await clickWidget(page, 'preset-save');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Night Bass');
  await page.keyboard.press('Enter');
  await settled(page);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('mixdown.userPresets')));
  assert.equal(kept.length, 1);
  assert.equal(kept[0].name, 'Night Bass');
  assert.equal(kept[0].device.params.cutoff, moved);
  // After a reload the preset is in the list of its instrument.
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
  await clickWidget(page, `instrument:${synth}`);
  assert.ok((await rects(page))['preset:Night Bass'], 'the saved preset is listed after a reload');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the drum machine edits as a grid of voices, and a dropped preset file is imported', async () => {
  const { page, problems } = await openStudio();
  // A new drum track (the "+ Track" menu's instrument from the registry).
  await clickWidget(page, 'add-track');
  await clickWidget(page, 'add-track-item:mixdown.drums');
  const p = await project(page);
  const drums = p.tracks.findIndex((t) => t.instrument && t.instrument.type === 'mixdown.drums');
  assert.ok(drums >= 0, 'a drum track was added');
  await clickWidget(page, `instrument:${drums}`);
  const r = await rects(page);
  for (const id of ['kick.tune', 'snare.snappy', 'closedHat.decay', 'cowbell.pan', 'hat.color', 'volume'])
    assert.ok(r[`instrument-param:${id}`], `the grid shows ${id}`);
  await dragWidget(page, 'instrument-param:kick.decay', 0.5, 0.8);
  const decay = (await project(page)).tracks[drums].instrument.params['kick.decay'];
  assert.ok(decay > 450, `the kick's decay grew (${decay} ms)`);
  // Drop a preset file on the page: it joins the list of the drum machine's presets.
  const doc = { format: 'mixdown-preset', version: 1, name: 'Dropped Kit', category: 'Drum kit',
    device: { type: 'mixdown.drums', params: { 'kick.tune': -2 } } };
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-kit.mixdown-preset.json', { type: 'application/json' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, clientX: 300, clientY: 300, bubbles: true, cancelable: true }));
  }, JSON.stringify(doc));
  await page.waitForFunction(() => (JSON.parse(localStorage.getItem('mixdown.userPresets') || '[]')).some((d) => d.name === 'Dropped Kit'));
  await settled(page);
  await clickWidget(page, 'preset:Dropped Kit');
  assert.deepEqual((await project(page)).tracks[drums].instrument.params, { 'kick.tune': -2 });
  await page.screenshot({ path: `${process.env.SCREENSHOTS || '/tmp'}/instrument-editor-drums.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
