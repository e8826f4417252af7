// Standard MIDI Files in the studio: a .mid dropped on the page opens as a new song (a track per MIDI
// track and channel, channel 10 on the drum machine) and Undo brings the previous song back; a broken file
// is refused naming the file and the byte, and the song stays; "Export MIDI" downloads a file that the
// command line reads back with the same notes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dropFiles, MIXDOWN, ROOT, env } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const JAZZ = join(ROOT, '..', 'shared', 'testdata', 'midi-jazz-soft');
const project = (page) => page.evaluate(() => window.mixdown.project());
const dropMidi = (page, name) => dropFiles(page, [{ bytes: readFileSync(join(JAZZ, name)), name }]);
const notesOf = (track) => track.clips.flatMap((c) => c.notes.map((n) => [n.pitch, Math.round(n.velocity * 127), c.start + n.start, n.length]));

test('a dropped MIDI file opens as a new song, one undo step; a broken one is refused with its byte', async () => {
  const { page, problems } = await openStudio();
  const demo = await project(page);
  await dropMidi(page, 'test-multichannel-chords-1.mid');
  await page.waitForFunction(() => window.mixdown.project().title === 'Multi-channel chords Test 1', null, { timeout: 30000 });
  const song = await project(page);
  assert.equal(song.tracks.length, 3, 'a track per MIDI track and channel');
  assert.equal(song.tempo, 120);
  for (const t of song.tracks) {
    assert.equal(t.instrument.type, 'mixdown.polysynth');
    assert.equal(notesOf(t).length, 8, `${t.name}: a note for each of the eight chords`);
  }
  // Eight chords: the three tracks' notes start together, a beat apart.
  const starts = song.tracks.map((t) => notesOf(t).map((n) => n[2]));
  assert.deepEqual(starts[1], starts[0]);
  assert.deepEqual(starts[2], starts[0]);
  assert.deepEqual(starts[0].slice(1).map((s, i) => s - starts[0][i]), [1, 1, 1, 1, 1, 1, 1]);
  // Channel 10 plays the drum machine.
  await dropMidi(page, 'test-all-gm-percussion.mid');
  await page.waitForFunction(() => window.mixdown.project().title === 'All GM Percussion', null, { timeout: 30000 });
  const drums = await project(page);
  assert.equal(drums.tracks.length, 1);
  assert.equal(drums.tracks[0].instrument.type, 'mixdown.drums');
  assert.ok(notesOf(drums.tracks[0]).some((n) => n[0] === 36), 'the bass drum (GM note 36) is there');
  // A broken file: refused with the file and the byte; the song stays.
  await dropMidi(page, 'test-corrupt-file-missing-byte.mid');
  await page.waitForFunction(() => window.mixdown.error() !== '', null, { timeout: 30000 });
  assert.match(await page.evaluate(() => window.mixdown.error()), /^test-corrupt-file-missing-byte\.mid: byte 14 \(0xe\): the "MTrk" chunk says/);
  assert.deepEqual(await project(page), drums, 'the song is unchanged');
  // Undo twice: the chords, then the demo.
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal((await project(page)).title, 'Multi-channel chords Test 1');
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), demo, 'Undo brings the song that was open back');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Export MIDI downloads the song as a file the command line reads with the same notes', async () => {
  const { page, problems } = await openStudio();
  await dropMidi(page, 'test-multichannel-chords-2.mid');
  await page.waitForFunction(() => window.mixdown.project().title === 'Multi-channel chords Test 2', null, { timeout: 30000 });
  const song = await project(page);
  const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'export-midi')]);
  assert.equal(download.suggestedFilename(), 'Multi-channel_chords_Test_2.mid');
  const file = join(env.tmp, 'export.mid');
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 4).toString(), 'MThd');
  execFileSync(MIXDOWN, ['import', file, '-o', join(env.tmp, 'export.json')]);
  const back = JSON.parse(readFileSync(join(env.tmp, 'export.json'), 'utf8'));
  assert.equal(back.tracks.length, song.tracks.length);
  back.tracks.forEach((t, i) => {
    assert.equal(t.name, song.tracks[i].name);
    assert.deepEqual(notesOf(t), notesOf(song.tracks[i]), `${t.name}: the same notes`);
  });
  assert.deepEqual(problems, []);
  await page.close();
});
