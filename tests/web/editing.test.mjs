// Editing while playing, in real Chromium: edits reach the worklet as small messages and change what
// they change, nothing else. (1) In an OfflineAudioContext running the worklet, a late note of the demo is
// edited at 3 s through the edit message the studio would send; the render equals the native render of the
// edited song from the start, sample for sample. (2) The 128-track stress song plays in the real
// AudioContext while 20 one-note edits arrive through window.mixdown.loadProject (the studio turns each
// into a one-note message): they cause no dropouts beyond what the same time of playing without edits shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peakDb, peakDifferenceDb, readFloatWav } from './wav.mjs';
import { startBrowser, stopBrowser, openStudio, env, ROOT, MIXDOWN, statusesOver } from './browser.mjs';
import { stressSong } from '../../tools/bench/stress.mjs';

before(startBrowser);
after(stopBrowser);

test('a late note edited at 3 s in the browser renders exactly as the edited song natively', async () => {
  const { page, problems } = await openStudio();
  const demo = JSON.parse(readFileSync(join(ROOT, 'web', 'demos', 'first-light.json'), 'utf8'));
  const edited = structuredClone(demo);
  const lead = edited.tracks.find((t) => t.id === 'lead');
  const lateBeat = (8 * demo.tempo) / 60;
  const late = lead.clips[0].notes.find((n) => lead.clips[0].start + n.start - lead.clips[0].offset > lateBeat);
  late.pitch += 5;
  late.velocity = 1;
  const seconds = 20;  // the lead comes in at bar 9 (17.1 s)
  const got = await page.evaluate(async ([before, after, sec]) => {
    const M = (await import('./engine.mjs')).default();
    const message = M.encodeDiff(before, after);  // what the studio sends for this edit
    const rate = 48000;
    const ctx = new OfflineAudioContext(2, sec * rate, rate);
    await ctx.audioWorklet.addModule('engine-processor.js');
    const node = new AudioWorkletNode(ctx, 'mixdown-engine', {
      numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2], processorOptions: { project: before, play: true },
    });
    node.connect(ctx.destination);
    // At 3 s the rendering stops; the edit goes in, and a reply to a later message proves it was applied
    // before the rendering goes on (the port delivers in order).
    ctx.suspend(3).then(async () => {
      const replied = new Promise((resolve) => {
        node.port.onmessage = (e) => { if (e.data.type === 'projectJson') resolve(); };
      });
      node.port.postMessage({ type: 'edits', edits: message });
      node.port.postMessage({ type: 'projectJson', id: 1 });
      await replied;
      ctx.resume();
    });
    const buffer = await ctx.startRendering();
    const enc = (f) => { const u = new Uint8Array(f.buffer); let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000)); return btoa(s); };
    return { bytes: message.length, l: enc(buffer.getChannelData(0)), r: enc(buffer.getChannelData(1)) };
  }, [JSON.stringify(demo), JSON.stringify(edited), seconds]);
  const dec = (x) => { const b = Buffer.from(x, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
  const browser = [dec(got.l), dec(got.r)];
  writeFileSync(join(env.tmp, 'edited.json'), JSON.stringify(edited));
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'edited.json'), '-o', join(env.tmp, 'edited.wav'), '--seconds', String(seconds), '--sample-rate', '48000']);
  const native = readFloatWav(join(env.tmp, 'edited.wav')).channels;
  writeFileSync(join(env.tmp, 'demo.json'), JSON.stringify(demo));
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'demo.json'), '-o', join(env.tmp, 'demo.wav'), '--seconds', String(seconds), '--sample-rate', '48000']);
  const unedited = readFloatWav(join(env.tmp, 'demo.wav')).channels;
  const diff = peakDifferenceDb(browser, native);
  const change = peakDifferenceDb(native, unedited);
  console.log(`edit message ${got.bytes} bytes; browser (edited at 3 s) vs native (edited song): ${diff} dBFS; the edit changed the mix by ${change.toFixed(1)} dBFS`);
  assert.ok(peakDb(browser) > -30, 'the browser render sounds');
  assert.ok(change > -60, 'the edit is audible');
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('20 one-note edits while the 128-track song plays cause no dropouts', async () => {
  const { page, problems } = await openStudio();
  const song = stressSong(128);
  await page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(song));
  await page.evaluate(() => window.mixdown.play());
  await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 48000, null, { timeout: 30000 });
  const underruns = () => page.evaluate(() => window.mixdown.underruns());
  // A one-note edit as the studio sends it to the engine (a Notes edit message), made through
  // window.mixdown.applyEdits: the pitch of the first note of one clip of one track.
  const pitches = new Map();
  const noteEdit = (k) => {
    const t = (k * 5) % 128;
    const track = song.tracks[t], index = k % track.clips.length, n = track.clips[index].notes[0];
    const key = `${t}/${index}`;
    const pitch = (pitches.get(key) ?? n.pitch) + 1 + (k % 3);
    pitches.set(key, pitch);
    return { edits: [{ edit: 'notes', track: track.id, index, at: 0, remove: 1, value: { notes: [[pitch, n.velocity, n.start, n.length]] } }] };
  };
  // Windows of 1 s without edits and 1 s with five edits alternate (so a machine whose load drifts
  // weighs both alike), four of each: 20 edits. A machine busy with other work drops quanta whatever the
  // edits do, so the edits' windows may drop as many as the quiet ones plus two standard deviations of
  // that count (none at all when the quiet windows dropped none), and up to three attempts are made;
  // edits that cost dropouts fail all three.
  let quiet = 0, busy = 0, sent = 0, attempts = 0, passed = false;
  const quiet0Probe = await underruns();
  for (attempts = 1; attempts <= 3 && !passed; ++attempts) {
    quiet = 0; busy = 0;
    for (let round = 0; round < 4; ++round) {
      const q0 = await underruns();
      await statusesOver(page, 1);  // a second of the song (counted in audio, not the clock)
      const b0 = await underruns();
      quiet += b0 - q0;
      for (let k = 0; k < 5; ++k) {
        await page.evaluate((edit) => window.mixdown.applyEdits(edit, 'Move note'), noteEdit(sent));
        sent += 1;
        await statusesOver(page, 0.2);
      }
      busy += (await underruns()) - b0;
    }
    const allowed = quiet + Math.ceil(2 * Math.sqrt(quiet));
    passed = busy <= allowed;
    console.log(`attempt ${attempts}: ${quiet} dropouts in 4 s of playing, ${busy} in 4 s with 20 one-note edits (allowed ${allowed})`);
  }
  attempts -= 1;
  const quiet0 = quiet0Probe;
  const load = await page.evaluate(() => window.mixdown.load());
  const engineProject = await page.evaluate(() => window.mixdown.engineProject());
  const studioProject = await page.evaluate(() => window.mixdown.project());
  console.log(`128 tracks: ${sent} one-note edits in ${attempts} attempt(s)` +
    ` (engine ${load.meanMs.toFixed(3)} ms of each ${load.quantumMs.toFixed(3)} ms quantum; playbackStats ${quiet0 >= 0 ? 'available' : 'missing'})`);
  assert.deepEqual(engineProject, studioProject, 'the engine plays exactly the studio\'s project after the edits');
  assert.ok(quiet0 >= 0, 'Chromium reports AudioContext.playbackStats');
  assert.ok(passed, `the edits added dropouts: ${busy} with edits, ${quiet} without`);
  assert.deepEqual(problems, []);
  await page.close();
});
