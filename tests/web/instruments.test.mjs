// The instrument editor, with the mouse and keyboard as a person would: open a track's instrument from the
// mixer, pick a category and a factory preset (one undo step; the project then holds exactly the preset's
// parameters), turn a drum voice in the drum machine's grid, save a preset of one's own and find it again
// after a reload (the browser keeps it), and drop a preset file to import it; load a sampler by dropping
// audio files on it, edit its zones on the zone map and its loop on the waveform, and hear it; drop sample
// kits (a Hydrogen drum kit's folder or .h2drumkit, SFZ instruments as files, a folder or a zip) and get the zones
// `mixdown import-kit` reads natively, a render equal to the native one, and clear refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dragWidget, dragFromTo, dropFiles, dropPaths, renderBoth, env, ROOT, MIXDOWN } from './browser.mjs';
import { wavFloat, peakDifferenceDb } from './wav.mjs';

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
  // Escape closes the editor.
  assert.ok((await rects(page))['instrument-editor'], 'the editor is open');
  await page.keyboard.press('Escape');
  await settled(page);
  assert.equal((await rects(page))['instrument-editor'], undefined, 'Escape closes it');
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

// ---- sample kits dropped with their samples ---------------------------------------------------------
const TESTDATA = join(ROOT, '..', 'shared', 'testdata');
const HYDROGEN = join(TESTDATA, 'drumkit-audiophob-cc0');
const SFZ = join(TESTDATA, 'sfz-sfizz');

// A sampler's zones with each asset id replaced by the asset's name (ids differ: the page names assets by
// their sha-256, `mixdown import-kit` counts them).
function zonesNamed(song, track) {
  const names = new Map(song.assets.map((a) => [a.id, a.name]));
  return song.tracks[track].instrument.zones.map((z) => ({ ...z, asset: names.get(z.asset) }));
}

// The zones `mixdown import-kit` gives for the kit file at `path`.
let nativeRuns = 0;
function nativeZones(path) {
  const out = join(env.tmp, `import-kit-${++nativeRuns}.json`);
  execFileSync(MIXDOWN, ['import-kit', path, '-o', out], { stdio: 'pipe' });
  const song = JSON.parse(readFileSync(out, 'utf8'));
  return zonesNamed(song, song.tracks.length - 1);
}

// Every field of every zone equal; numbers within 1e-12 relative (both sides compute them with the same
// code, but the page's log10 is musl's and the native one glibc's).
function assertSameZones(got, want, what) {
  assert.equal(got.length, want.length, `${what}: as many zones as natively`);
  got.forEach((z, i) => {
    for (const key of new Set([...Object.keys(z), ...Object.keys(want[i])])) {
      const [a, b] = [z[key], want[i][key]];
      if (typeof a === 'number' && typeof b === 'number') assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: zone ${i} ${key} ${a} vs ${b}`);
      else assert.deepEqual(a, b, `${what}: zone ${i} ${key}`);
    }
  });
}

// Waits for the page's next finished kit drop and returns what it did.
async function nextKitDrop(page, before) {
  // Decoding a kit's samples takes seconds on a busy machine: the wait is on the condition, with room.
  await page.waitForFunction((n) => window.mixdown.kitDrops().length > n, before, { timeout: 180000 });
  const r = (await page.evaluate(() => window.mixdown.kitDrops()))[before];
  await settled(page);
  return r;
}
const kitDropsSoFar = (page) => page.evaluate(() => window.mixdown.kitDrops().length);
const shownError = (page) => page.evaluate(() => window.mixdown.error());

test('a Hydrogen kit\'s folder dropped on the studio becomes a sampler track as `mixdown import-kit` reads it, sounds, and renders as natively', async () => {
  const { page, problems } = await openStudio();
  const before = await project(page);
  // Dropped on the top bar (not on a sampler): a new sampler track named after the kit, after the last track.
  await dropPaths(page, [HYDROGEN], [640, 40]);
  const r = await nextKitDrop(page, 0);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  let song = await project(page);
  const t = song.tracks.length - 1;
  assert.equal(song.tracks.length, before.tracks.length + 1, 'one track added');
  assert.equal(song.tracks[t].name, 'Audiophob');
  assert.equal(song.tracks[t].instrument.type, 'mixdown.sampler');
  const native = nativeZones(join(HYDROGEN, 'drumkit.xml'));
  assert.equal(native.length, 14);
  const got = zonesNamed(song, t);
  assert.deepEqual(got.map((z) => z.rootKey), native.map((z) => z.rootKey), 'root keys as natively (36 up)');
  assert.deepEqual(got.map((z) => z.asset), native.map((z) => z.asset), 'sample names as natively');
  assertSameZones(got, native, 'drumkit.xml');
  // Each sample an asset described as natively (the snare that is an AIFF named .wav too), its path the
  // one in the drop.
  const kitAssets = song.assets.slice(before.assets.length);
  const nativeAssets = new Map(JSON.parse(readFileSync(join(env.tmp, `import-kit-${nativeRuns}.json`), 'utf8')).assets.map((a) => [a.name, a]));
  assert.equal(kitAssets.length, 14, 'each sample an asset');
  for (const a of kitAssets) {
    const n = nativeAssets.get(a.name);
    assert.deepEqual([a.sha256, a.sampleRate, a.channels, a.frames], [n.sha256, n.sampleRate, n.channels, n.frames], `${a.name} described as natively`);
    assert.equal(a.path, `drumkit-audiophob-cc0/${a.name}`);
  }
  assert.match(r.notice, /Loaded Audiophob \(drumkit-audiophob-cc0\/drumkit\.xml\): 14 zones, 14 samples/);
  const editor = (await rects(page))['sampler-keymap'];
  assert.ok(editor, 'the new sampler\'s editor is open on its zones');
  await page.screenshot({ path: `${process.env.SCREENSHOTS || '/tmp'}/sampler-kit-drop.png` });

  // One undo step takes the whole kit away (track and assets); redo brings it back.
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), before, 'undo gives the song as it was before the drop');
  await page.keyboard.press('Control+Shift+z');
  await settled(page);
  assert.deepEqual(zonesNamed(await project(page), t), got, 'redo gives the kit back');

  // Each pad sounds: the kit alone, its 14 root keys one per beat (240 BPM), rendered in the page and
  // natively from the project the page saves, with the samples where it says (beside the project).
  song = await project(page);
  song.tempo = 240;
  song.tracks = [song.tracks[t]];
  song.tracks[0].clips = [{ start: 0, length: 16, offset: 0, notes: native.map((z, k) => ({ pitch: z.rootKey, velocity: 0.8, start: k, length: 0.5 })) }];
  await page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(song));
  symlinkSync(HYDROGEN, join(env.tmp, 'drumkit-audiophob-cc0'));
  // A sample at another rate than the render's is resampled when it is loaded: in the page by Chromium's
  // decoder, natively by libsoxr. The two resamplers differ (measured: -35 dBFS peak on the 22.05 kHz
  // 8-bit snare at 44.1 kHz; -23.4 to -79.5 dBFS per pad at 48 kHz, largest on the shortest hat): the same
  // sound, not the same samples. Only this bound is asserted for them.
  const RESAMPLED_DB = -20;
  for (const rate of [44100, 48000]) {
    const both = await renderBoth(page, 4.5, `kit-${rate}`, { sampleRate: rate });
    const beat = rate * 60 / 240;
    for (let k = 0; k < 14; ++k) {
      let peak = 0;
      for (const c of both.browser) for (let i = Math.round(k * beat); i < Math.round((k + 0.8) * beat); ++i) peak = Math.max(peak, Math.abs(c[i]));
      assert.ok(20 * Math.log10(peak) > -30, `pad ${k + 1} (${native[k].asset}) at ${rate} Hz: ${(20 * Math.log10(peak)).toFixed(1)} dBFS`);
    }
    // Per pad: a sample at the render's rate is not resampled on either side (the same engine on the same
    // samples); one at another rate is resampled by the browser's decoder in the page, by libsoxr natively.
    const diffs = native.map((z, k) => {
      const from = Math.round(k * beat), to = Math.round((k + 1) * beat);
      return peakDifferenceDb(both.browser.map((c) => c.subarray(from, to)), both.native.map((c) => c.subarray(from, to)));
    });
    const whole = peakDifferenceDb(both.browser, both.native);
    console.log(`kit drop, browser vs native render at ${rate} Hz: whole ${whole.toFixed(1)} dBFS; per pad ${diffs.map((d) => d.toFixed(1)).join(' ')}`);
    for (const [k, z] of native.entries()) {
      const sampleRate = nativeAssets.get(z.asset).sampleRate;
      if (sampleRate === rate) assert.equal(diffs[k], -Infinity, `pad ${k + 1} (${z.asset}, ${sampleRate} Hz) renders bit-identically at ${rate} Hz`);
      else assert.ok(diffs[k] <= RESAMPLED_DB, `pad ${k + 1} (${z.asset}, ${sampleRate} Hz, resampled) within ${RESAMPLED_DB} dB at ${rate} Hz (${diffs[k]})`);
    }
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('SFZ instruments dropped on a sampler (loose files, a folder, a zip) replace its zones as `mixdown import-kit` reads them', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'add-track');
  await clickWidget(page, 'add-track-item:mixdown.sampler');
  const sampler = (await project(page)).tracks.findIndex((t) => t.instrument && t.instrument.type === 'mixdown.sampler');
  await clickWidget(page, `instrument:${sampler}`);
  const centre = (w) => [w.x + w.w / 2, w.y + w.h / 2];
  const keymap = centre((await rects(page))['sampler-keymap']);
  const tracks = (await project(page)).tracks.length;

  // A file, a folder and a file: letter case ignored as natively ("REGIonS\Dummy.wav" is Regions/dummy.wav).
  const empty = await project(page);
  await dropPaths(page, [join(SFZ, 'case_insensitive.sfz'), join(SFZ, 'Regions'), join(SFZ, 'dummy1.wav')], keymap);
  let r = await nextKitDrop(page, 0);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  let song = await project(page);
  assert.equal(song.tracks.length, tracks, 'no track added: the sampler it was dropped on took the kit');
  assertSameZones(zonesNamed(song, sampler), nativeZones(join(SFZ, 'case_insensitive.sfz')), 'case_insensitive.sfz');
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), empty, 'one undo step gives the sampler its zones (none) back');

  // Loose files: the smpl chunk's loop (read in the page) as libsndfile reads it natively.
  const loose = ['looped_regions.sfz', 'looped_flute.wav'].map((name) => ({ bytes: readFileSync(join(SFZ, name)), name }));
  await dropFiles(page, loose, keymap);
  r = await nextKitDrop(page, 1);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  song = await project(page);
  const looped = zonesNamed(song, sampler);
  assertSameZones(looped, nativeZones(join(SFZ, 'looped_regions.sfz')), 'looped_regions.sfz');
  assert.deepEqual(looped.map((z) => z.loop && z.loop.mode), ['forward', undefined, 'forward'], 'the file\'s own loop, none, the region\'s');

  // A zip of an instrument's folder with an #include in a subfolder; the sampler's zones are replaced.
  const inc = join(SFZ, 'Includes');
  const zip = zipSync({
    'Includes/root_subdir.sfz': readFileSync(join(inc, 'root_subdir.sfz')),
    'Includes/subdir/included_subdir.sfz': readFileSync(join(inc, 'subdir', 'included_subdir.sfz')),
    'Includes/dummy_subdir.wav': readFileSync(join(inc, 'dummy_subdir.wav')),
  });
  await dropFiles(page, [{ bytes: Buffer.from(zip), name: 'root_subdir.zip' }], keymap);
  r = await nextKitDrop(page, 2);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  assert.equal(r.kit, 'Includes/root_subdir.sfz');
  assertSameZones(zonesNamed(await project(page), sampler), nativeZones(join(inc, 'root_subdir.sfz')), 'root_subdir.sfz from a zip');

  // Warnings (opcodes not read) are counted and the first one named.
  await dropPaths(page, [join(SFZ, 'off_by.sfz'), join(SFZ, 'mono_sample.wav')], keymap);
  r = await nextKitDrop(page, 3);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  assert.ok(r.warnings.length >= 1);
  assert.match(r.notice, /Loaded off_by \(off_by\.sfz\): 4 zones, 1 samples; 1 warning, the first: off_by\.sfz:1: opcode "off_mode" is not read/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a kit with a missing sample or a broken file is refused naming the file, the line or element and the sample, and nothing changes', async () => {
  const { page, problems } = await openStudio();
  const before = await project(page);
  // The Hydrogen kit without its snare (a copy, outside the repository, of the kit's files but one; the
  // browser does not follow symbolic links in a dropped folder).
  const partial = join(env.tmp, 'Audiophob');
  mkdirSync(partial);
  const missing = '25671__walter-odington__garage-city-snare-snappy.wav';
  for (const f of readdirSync(HYDROGEN)) if (f !== missing) copyFileSync(join(HYDROGEN, f), join(partial, f));
  await dropPaths(page, [partial], [640, 40]);
  let r = await nextKitDrop(page, 0);
  const xml = readFileSync(join(HYDROGEN, 'drumkit.xml'), 'utf8').split('\n');
  const line = xml.findIndex((l) => l.includes(missing)) + 1;
  const instrument = xml.slice(0, line).filter((l) => l.includes('<instrument>')).length;  // its position in the kit
  const expected = `Audiophob/drumkit.xml:${line}: <instrument> ${instrument} (Snare Rock) <layer> 1 <filename>: sample "${missing}" not found (no file Audiophob/${missing})`;
  assert.equal(r.error, expected, 'the kit file, its line and element, and the missing sample');
  assert.equal(await shownError(page), `${expected} (nothing was loaded)`);
  assert.deepEqual(await project(page), before, 'nothing of the kit is left in the song');
  // A broken SFZ dropped alone: its own line and what is wrong.
  await dropFiles(page, [{ bytes: readFileSync(join(SFZ, 'Regions', 'regions_bad.sfz')), name: 'regions_bad.sfz' }], [640, 40]);
  r = await nextKitDrop(page, 1);
  assert.match(r.error, /^regions_bad\.sfz:1: sample "dummy\.wav" not found/);
  assert.deepEqual(await project(page), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Hydrogen\'s own .h2drumkit file (the kit\'s folder as a .tar.gz) loads as its folder does', async () => {
  const { page, problems } = await openStudio();
  const file = join(env.tmp, 'Audiophob.h2drumkit');
  execFileSync('tar', ['-czf', file, '-C', TESTDATA, 'drumkit-audiophob-cc0']);
  await dropFiles(page, [{ bytes: readFileSync(file), name: 'Audiophob.h2drumkit' }], [640, 40]);
  const r = await nextKitDrop(page, 0);
  assert.equal(r.error, undefined, `loaded (${r.error})`);
  assert.equal(r.kit, 'drumkit-audiophob-cc0/drumkit.xml');
  const song = await project(page);
  assertSameZones(zonesNamed(song, song.tracks.length - 1), nativeZones(join(HYDROGEN, 'drumkit.xml')), 'Audiophob.h2drumkit');
  assert.deepEqual(problems, []);
  await page.close();
});
