// DAWproject in the studio: a .dawproject dropped on the page (made here by `mixdown export` from the demo
// plus an audio track) opens as a new song with its tracks, notes and audio, as one undo step; a damaged
// one is refused naming the file, and the song stays; "Export DAWproject" downloads a zip that
// `mixdown import` reads back with the same tracks, notes and audio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dropFiles, MIXDOWN, ROOT, env } from './browser.mjs';
import { wavFloat } from './wav.mjs';

before(startBrowser);
after(stopBrowser);

const project = (page) => page.evaluate(() => window.mixdown.project());
const notesOf = (song) => song.tracks.flatMap((t) => t.clips.flatMap((c) => (c.notes || []).map((n) => [t.name, n.pitch, n.velocity, c.start + n.start, n.length])));

// The demo with an audio track playing a 2 s tone from an offset, as a .dawproject made by the command line.
function makeDawproject() {
  const rate = 48000;
  const tone = new Float32Array(2 * rate).map((_, i) => 0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
  writeFileSync(join(env.tmp, 'tone.wav'), wavFloat(Array.from(tone), rate));
  const song = JSON.parse(readFileSync(join(ROOT, 'web', 'demos', 'first-light.json'), 'utf8'));
  song.title = 'Dawproject drop';
  song.assets = [{ id: 'tone', name: 'tone.wav', sha256: '', sampleRate: rate, channels: 1, frames: 2 * rate, path: 'tone.wav' }];
  song.tracks.push({ id: 'tone', name: 'Tone', kind: 'audio', clips: [{ name: 'tone', start: 4, length: 3, offset: 0.5, asset: 'tone', gainDb: 0 }],
    strip: { gainDb: -6, pan: 0.25, mute: false, solo: false }, inserts: [], sends: [] });
  writeFileSync(join(env.tmp, 'drop.json'), JSON.stringify(song));
  execFileSync(MIXDOWN, ['export', join(env.tmp, 'drop.json'), '-o', join(env.tmp, 'drop.dawproject')], { stdio: 'pipe' });
  return { song, bytes: readFileSync(join(env.tmp, 'drop.dawproject')) };
}

test('a dropped DAWproject opens as a new song with its tracks, notes and audio; one undo step; a damaged one is refused', async () => {
  const { page, problems } = await openStudio();
  const demo = await project(page);
  const { song, bytes } = makeDawproject();
  await dropFiles(page, [{ bytes, name: 'drop.dawproject' }]);
  await page.waitForFunction(() => window.mixdown.project().title === 'Dawproject drop', null, { timeout: 60000 });
  const opened = await project(page);
  assert.deepEqual(opened.tracks.map((t) => t.name), song.tracks.map((t) => t.name));
  assert.deepEqual(notesOf(opened), notesOf(song), 'every note, velocity and position');
  const tone = opened.tracks.find((t) => t.name === 'Tone');
  assert.equal(tone.kind, 'audio');
  assert.equal(tone.clips[0].start, 4);
  assert.ok(Math.abs(tone.clips[0].offset - 0.5) < 1e-9, `offset ${tone.clips[0].offset}`);
  assert.ok(Math.abs(tone.strip.pan - 0.25) < 1e-12);
  const asset = opened.assets.find((a) => a.id === tone.clips[0].asset);
  assert.equal(asset.frames, 96000, 'the asset described from the decoded file');
  assert.equal(asset.sampleRate, 48000);
  // The audio reached the engine: nothing is missing.
  await page.waitForFunction(() => window.mixdown.missingAssets().length === 0, null, { timeout: 30000 });
  // A damaged file: refused naming the file; the song stays.
  await dropFiles(page, [{ bytes: Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(60)]), name: 'cut.dawproject' }]);
  await page.waitForFunction(() => window.mixdown.error() !== '', null, { timeout: 30000 });
  assert.match(await page.evaluate(() => window.mixdown.error()), /^cut\.dawproject: /);
  assert.deepEqual(await project(page), opened, 'the song is unchanged');
  // Undo: the demo back.
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), demo, 'Undo brings the song that was open back');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Export DAWproject downloads a zip that mixdown import reads back with the same tracks, notes and audio', async () => {
  const { page, problems } = await openStudio();
  const { bytes } = makeDawproject();
  await dropFiles(page, [{ bytes, name: 'drop.dawproject' }]);
  await page.waitForFunction(() => window.mixdown.project().title === 'Dawproject drop', null, { timeout: 60000 });
  await page.waitForFunction(() => window.mixdown.missingAssets().length === 0, null, { timeout: 30000 });
  const song = await project(page);
  const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'export-dawproject')]);
  assert.equal(download.suggestedFilename(), 'Dawproject_drop.dawproject');
  const file = join(env.tmp, 'export.dawproject');
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK');
  execFileSync(MIXDOWN, ['import', file, '-o', join(env.tmp, 'back.json')], { stdio: 'pipe' });
  const back = JSON.parse(readFileSync(join(env.tmp, 'back.json'), 'utf8'));
  assert.deepEqual(back.tracks.map((t) => t.name), song.tracks.map((t) => t.name));
  assert.deepEqual(notesOf(back), notesOf(song));
  const tone = back.tracks.find((t) => t.name === 'Tone');
  const asset = back.assets.find((a) => a.id === tone.clips[0].asset);
  assert.equal(asset.frames, 96000);
  assert.ok(existsSync(join(env.tmp, asset.path)), `the audio written beside the project: ${asset.path}`);
  assert.deepEqual(problems, []);
  await page.close();
});
