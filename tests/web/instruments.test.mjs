// The instrument editor, with the mouse and keyboard as a person would: open a track's instrument from the
// mixer, pick a category and a factory preset (one undo step; the project then holds exactly the preset's
// parameters), turn a drum voice in the drum machine's grid, save a preset of one's own and find it again
// after a reload (the browser keeps it), and drop a preset file to import it; load a sampler by dropping
// audio files on it, edit its zones on the zone map and its loop on the waveform, and hear it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dragWidget, dragFromTo, dropFiles, MIXDOWN } from './browser.mjs';
import { wavFloat } from './wav.mjs';

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

// A mono float WAV of `seconds` of a sine at `hz`, with a smpl chunk looping frames start..end (inclusive,
// as the chunk counts) when `loop` is given.
function sineWav(hz, seconds, loop = null) {
  const rate = 48000;
  const data = wavFloat(Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate)), rate);
  if (!loop) return data;
  const smpl = Buffer.alloc(8 + 60);
  smpl.write('smpl', 0);
  smpl.writeUInt32LE(60, 4);
  smpl.writeUInt32LE(Math.round(1e9 / rate), 8 + 8);  // sample period (ns)
  smpl.writeUInt32LE(60, 8 + 12);                      // unity note
  smpl.writeUInt32LE(1, 8 + 28);                       // one loop: forward, start, end
  smpl.writeUInt32LE(0, 8 + 36 + 4);
  smpl.writeUInt32LE(loop[0], 8 + 36 + 8);
  smpl.writeUInt32LE(loop[1], 8 + 36 + 12);
  const out = Buffer.concat([data, smpl]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

test('audio dropped on a sampler becomes its zones, edited on the zone map and the waveform, and it sounds', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'add-track');
  await clickWidget(page, 'add-track-item:mixdown.sampler');
  const sampler = (await project(page)).tracks.findIndex((t) => t.instrument && t.instrument.type === 'mixdown.sampler');
  assert.ok(sampler >= 0, 'a sampler track was added');
  await clickWidget(page, `instrument:${sampler}`);
  let r = await rects(page);
  assert.ok(r['sampler-keymap'], 'the sampler editor shows its zone map');
  const centre = (w) => [w.x + w.w / 2, w.y + w.h / 2];
  const zonesNow = async () => (await project(page)).tracks[sampler].instrument.zones || [];
  const waitZones = (n, assets) => page.waitForFunction(([t, count, a]) => {
    const p = window.mixdown.project();
    return (p.tracks[t].instrument.zones || []).length === count && p.assets.length === a;
  }, [sampler, n, assets], { timeout: 20000 });
  const assetsBefore = (await project(page)).assets.length;

  // One file, with a loop in its smpl chunk: one zone across the keyboard, root C4, looped as the file says.
  await dropFiles(page, [{ bytes: sineWav(440, 1.0, [4800, 43199]), name: 'tone.wav' }], centre(r['sampler-keymap']));
  await waitZones(1, assetsBefore + 1);
  await settled(page);
  let [z] = await zonesNow();
  assert.deepEqual([z.rootKey, z.lowKey, z.highKey, z.oneShot], [60, 0, 127, false], 'chromatic around C4, gated');
  assert.deepEqual(z.loop, { mode: 'forward', start: 4800, end: 43200, crossfade: 0 }, 'the smpl chunk\'s loop (its end inclusive)');
  // Drag the loop end marker left by a tenth of the waveform (0.1 s of the 1 s file), as one undo step.
  r = await rects(page);
  const wave = r['sampler-waveform'], loopEnd = r['sampler-marker:loopEnd'];
  assert.ok(wave && loopEnd, 'the waveform shows the loop end marker');
  const [lx, ly] = centre(loopEnd);
  await dragFromTo(page, [lx, ly], [lx - wave.w * 0.1, ly]);
  [z] = await zonesNow();
  assert.ok(Math.abs(z.loop.end - 38400) <= 48000 / wave.w * 2, `the loop ends 0.1 s earlier (${z.loop.end})`);
  assert.equal(z.loop.start, 4800);
  await page.screenshot({ path: `${process.env.SCREENSHOTS || '/tmp'}/sampler-editor-one.png` });
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal((await zonesNow())[0].loop.end, 43200, 'one undo step gives the loop end back');

  // Three files at once: pads from C1 up, one key each, one-shot.
  const pads = [220, 330, 440].map((hz, i) => ({ bytes: sineWav(hz, 2.0), name: `pad${i + 1}.wav` }));
  await dropFiles(page, pads, centre((await rects(page))['sampler-keymap']));
  await waitZones(3, assetsBefore + 4);
  await settled(page);
  let zones = await zonesNow();
  assert.deepEqual(zones.map((q) => [q.rootKey, q.lowKey, q.highKey, q.oneShot]), [[36, 36, 36, true], [37, 37, 37, true], [38, 38, 38, true]]);
  const names = (await project(page)).assets.slice(-3).map((a) => a.name);
  assert.deepEqual(names, ['pad1.wav', 'pad2.wav', 'pad3.wav'], 'each file became an asset, in order');

  // Select the second pad, then drag its high edge three keys up.
  await clickWidget(page, 'sampler-zone:1');
  r = await rects(page);
  const kw = r['sampler-zone:0'].w;  // one key (the map shows the keys around the pads)
  const [hx, hy] = centre(r['sampler-zone-high']);
  await dragFromTo(page, [hx, hy], [hx + 3 * kw, hy]);
  zones = await zonesNow();
  assert.deepEqual([zones[1].lowKey, zones[1].highKey, zones[1].rootKey], [37, 40, 37], 'the high key moved to E2 (40)');
  assert.deepEqual([zones[0].highKey, zones[2].highKey], [36, 38], 'the other pads stayed');
  // Its root key: the orange line, dragged one key down.
  r = await rects(page);
  const [rx, ry] = centre(r['sampler-zone-root']);
  await dragFromTo(page, [rx, ry], [rx - kw, ry]);
  assert.equal((await zonesNow())[1].rootKey, 36, 'the root key moved to C2 (36)');
  await page.screenshot({ path: `${process.env.SCREENSHOTS || '/tmp'}/sampler-editor-pads.png` });

  // It sounds: a key of the editor's keyboard held (a live note), and a clip rendered offline.
  const kb = (await rects(page))['sampler-keyboard'];
  const pad3 = (await rects(page))['sampler-zone:2'];
  await page.mouse.move(pad3.x + pad3.w / 2, kb.y + kb.h * 0.8);  // its key, under its zone
  await page.mouse.down();
  await settled(page);
  const live = await page.evaluate(async () => {
    const t = await window.mixdown.tapOutput(0.5);
    let peak = 0;
    for (const c of t.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    return 20 * Math.log10(peak);
  });
  await page.mouse.up();
  assert.ok(live > -30, `the held pad sounds in the live output (${live.toFixed(1)} dBFS)`);
  const song = await project(page);
  song.tracks[sampler].strip.solo = true;  // the demo's own tracks play from the start too
  song.tracks[sampler].clips = [{ start: 0, length: 4, offset: 0, notes: [36, 37, 38].map((pitch, k) => ({ pitch, velocity: 0.8, start: k, length: 0.5 })) }];
  await page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(song));
  const rendered = await page.evaluate(async () => {
    const out = await window.mixdown.renderOffline({ seconds: 3 });
    const peakOf = (from, to) => { let p = 0; for (const c of out.channels) for (let i = from; i < to; ++i) p = Math.max(p, Math.abs(c[i])); return 20 * Math.log10(p); };
    const beat = out.sampleRate * 60 / window.mixdown.project().tempo;
    return [0, 1, 2].map((k) => peakOf(Math.round(k * beat + 0.1 * beat), Math.round(k * beat + 0.4 * beat)));
  });
  for (const [k, db] of rendered.entries()) assert.ok(db > -30, `pad ${k + 1} sounds in an offline render (${db.toFixed(1)} dBFS)`);
  assert.deepEqual(problems, []);
  await page.close();
});
