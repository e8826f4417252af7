// Audio recording in Chromium. With the browser's fake capture device (a beep a second; flags in
// browser.mjs): arming an audio track opens the input (meter, no echo cancellation, noise suppression or
// gain control), a 3 s take becomes a clip of audio that is not silent, placed at the transport frame the
// take began on less the compensated latency, and kept across a reload (the browser's render equals the
// native render of the saved bundle); a page closed mid-take leaves its chunks in IndexedDB and the next
// start makes the clip of all but its last second. Through a software loopback (the engine's output
// as the input): the calibration measures a known extra delay to the millisecond, and a take of the
// metronome, placed with the calibrated offset, has its clicks on the song's beats within 10 ms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, waitForAsync, env, BASE, MIXDOWN } from './browser.mjs';
import { readFloatWav, peakDifferenceDb, peakDb } from './wav.mjs';

before(startBrowser);
after(stopBrowser);

const BPM = 120;  // a beat is half a second
const song = { format: 'mixdown-project', version: 1, title: 'Takes', tempo: BPM, timeSignature: { numerator: 4, denominator: 4 },
  loop: { enabled: false, start: 0, end: 64 }, assets: [], tracks: [{ id: 'vox', name: 'Vox', kind: 'audio', clips: [] }] };
const newContext = () => env.browser.newContext({ viewport: { width: 1280, height: 760 } });

async function openSong(context) {
  const opened = await openStudio(BASE, context ? { context } : {});
  await opened.page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(song));
  await settled(opened.page);
  return opened;
}

const inputState = (page) => page.evaluate(() => window.mixdown.audioInput.state());
const progress = (page) => page.evaluate(() => window.mixdown.audioInput.progress());
const clipsOf = async (page) => (await page.evaluate(() => window.mixdown.project())).tracks[0].clips;
const sampleRate = (page) => page.evaluate(() => window.mixdown.status().sampleRate);

// Arms the audio track (R on its header) and waits until its input is open.
async function armInput(page) {
  await clickWidget(page, 'arm:0');
  await page.waitForFunction(() => window.mixdown.audioInput.state().open, null, { timeout: 15000 });
}

// Starts recording at `beat` and waits until the take holds `seconds` of audio (by the frames received,
// not the clock).
async function recordFor(page, beat, seconds) {
  await page.evaluate((b) => window.mixdown.seek(b), beat);
  await clickWidget(page, 'record');
  await page.waitForFunction(() => window.mixdown.audioInput.progress() && window.mixdown.audioInput.progress().firstPosition !== null, null, { timeout: 15000 });
  const rate = await sampleRate(page);
  await page.waitForFunction(([f]) => window.mixdown.audioInput.progress().frames >= f, [seconds * rate], { timeout: 30000 });
}

async function stopTake(page) {
  const before = await page.evaluate(() => window.mixdown.audioInput.lastTake());
  await clickWidget(page, 'record');
  await page.waitForFunction((b) => JSON.stringify(window.mixdown.audioInput.lastTake()) !== b, JSON.stringify(before), { timeout: 30000 });
  await page.evaluate(() => window.mixdown.stop());
  return page.evaluate(() => window.mixdown.audioInput.lastTake());
}

test('a 3 s take from the capture device becomes a clip where it began, not silent, kept across a reload', async () => {
  const context = await newContext();
  const { page, problems } = await openSong(context);
  await armInput(page);
  assert.ok((await page.evaluate(() => getComputedStyle(document.getElementById('audio-input')).display)) !== 'none', 'the input panel shows');
  // The meter moves with the device's beep.
  await page.waitForFunction(() => window.mixdown.audioInput.state().peakDb > -40, null, { timeout: 15000 });
  const state = await inputState(page);
  console.log(`input: ${state.label}, ${state.channels} channels, reported latency ${state.latencyMs.toFixed(2)} ms, compensation ${state.compensationFrames} frames`);
  assert.equal(state.wanted, true);
  // Echo cancellation, noise suppression and automatic gain are off on the track the browser opened.
  const constraints = await page.evaluate(() => window.mixdown.audioInput.settings());
  assert.deepEqual([constraints.echoCancellation, constraints.noiseSuppression, constraints.autoGainControl], [false, false, false]);

  await recordFor(page, 4, 3);
  // The arrangement draws the take on its track as it records, growing to the playhead.
  const drawn = async () => (await page.evaluate(() => window.mixdown.widgetRects()))['recording-take:vox'];
  const early = await drawn();
  assert.ok(early, 'the take is drawn on the armed track');
  await page.waitForFunction((w) => (window.mixdown.widgetRects()['recording-take:vox'] || { w: 0 }).w > w + 10, early.w, { timeout: 15000 });
  const p = await progress(page);
  const take = await stopTake(page);
  const rate = await sampleRate(page);
  const clips = await clipsOf(page);
  await settled(page);
  assert.equal(await drawn(), undefined, 'the recording region goes when the take ends');
  console.log(`take: first frame at transport ${take.firstPosition}, compensation ${take.compensation}, placed at frame ${take.startFrame} ` +
    `(beat ${take.clip.start}), ${take.frames} frames (${(take.frames / rate).toFixed(3)} s); ${p.stored} frames stored while recording`);
  assert.equal(take.error, '');
  assert.equal(clips.length, 1, 'one clip on the armed track');
  const clip = clips[0];
  assert.ok(take.frames >= 3 * rate, `a 3 s take (${take.frames} frames)`);
  assert.ok(Math.abs(clip.length - take.frames / rate * (BPM / 60)) < 1e-6, `the clip is the take's length (${clip.length} beats)`);
  // Where it began: the transport frame of its first recorded frame (beat 4 or a quantum after) less
  // the compensation (input + output latency + offset). Within 10 ms = 480 frames at 48 kHz.
  assert.ok(take.firstPosition >= 4 * rate / 2 && take.firstPosition < 4 * rate / 2 + 128 * 4, `the take began at beat 4 (frame ${take.firstPosition})`);
  const expected = (take.firstPosition - take.compensation) / rate * (BPM / 60);
  assert.ok(Math.abs(clip.start - expected) * rate / 2 < 0.01 * rate, `clip at beat ${clip.start}, the take began at beat ${expected}`);
  assert.ok(p.stored > 2 * rate, 'its chunks were stored while it recorded');

  // Not silent: the song renders the beeps (offline, in the browser), and natively from the saved bundle
  // (the recorded WAV in it) the same.
  const saved = await page.evaluate(async () => {
    const r = await window.mixdown.saveBundle({ download: false });
    let s = ''; for (let i = 0; i < r.bytes.length; i += 0x8000) s += String.fromCharCode(...r.bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const rendered = async (name) => {
    // At the take's own rate (the context's): resampled, the page's decoder and libsoxr differ (README).
    const got = await page.evaluate(async (sampleRate) => {
      const r = await window.mixdown.renderOffline({ seconds: 6, sampleRate });
      const enc = (f) => { const u = new Uint8Array(f.buffer); let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000)); return btoa(s); };
      return { l: enc(r.channels[0]), r: enc(r.channels[1]), sampleRate: r.sampleRate };
    }, rate);
    const dec = (x) => { const b = Buffer.from(x, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
    writeFileSync(join(env.tmp, `${name}.mixdown`), Buffer.from(saved, 'base64'));
    execFileSync(MIXDOWN, ['render', join(env.tmp, `${name}.mixdown`), '-o', join(env.tmp, `${name}.wav`), '--seconds', '6', '--sample-rate', String(got.sampleRate)]);
    return { browser: [dec(got.l), dec(got.r)], native: readFloatWav(join(env.tmp, `${name}.wav`)).channels };
  };
  const r = await rendered('take');
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`recorded take rendered: peak ${peakDb(r.browser).toFixed(1)} dBFS; browser vs native (saved bundle) ${diff} dBFS`);
  assert.ok(peakDb(r.browser) > -40, 'the take is not silent');
  assert.ok(diff <= -120, `browser and native differ by ${diff} dBFS`);

  // Kept: after a reload the clip plays its audio (no missing audio) and renders as before.
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('mixdown.autosave.v1')).tracks[0].clips.length === n, clips.length, { timeout: 10000 });
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'no missing audio after the reload');
  assert.equal((await clipsOf(page)).length, 1);
  const again = await rendered('take-reloaded');
  assert.ok(peakDifferenceDb(again.browser, r.browser) <= -120, 'the reloaded song renders the take as before');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page closed mid-take: the next start makes the clip of all but its last second', async () => {
  const context = await newContext();
  const { page } = await openSong(context);
  await armInput(page);
  await recordFor(page, 0, 3);
  const rate = await sampleRate(page);
  // The chunks of the first 3 s are in IndexedDB, then the tab is gone (no pagehide work finishes it).
  await page.waitForFunction((f) => window.mixdown.audioInput.progress().stored >= f, 3 * rate, { timeout: 30000 });
  const before = await progress(page);
  await page.close({ runBeforeUnload: false });
  const { page: next, problems } = await openStudio(BASE, { context });
  await waitForAsync(next, () => window.mixdown.audioInput.recovered().length > 0, null, { timeout: 15000, what: 'the recovered take' });
  const [got] = await next.evaluate(() => window.mixdown.audioInput.recovered());
  const clips = await clipsOf(next);
  console.log(`closed after ${before.frames} frames received, ${before.stored} stored; recovered ${got.frames} frames at frame ${got.startFrame} (${got.cut} cut before the song's start)`);
  assert.equal(got.error, '');
  assert.ok(got.frames + got.cut >= before.stored, 'every stored frame is in the clip');
  assert.ok(got.frames + got.cut >= before.frames - rate, 'all but the last second of what was recorded');
  assert.equal(clips.length, 1, 'the clip is on the track it was recorded on');
  assert.ok(Math.abs(clips[0].length - got.frames / rate * 2) < 1e-6);
  assert.deepEqual(await next.evaluate(() => window.mixdown.missingAssets()), []);
  // Placed once: the take's records are gone, another start recovers nothing.
  await next.reload();
  await next.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  assert.equal((await next.evaluate(() => window.mixdown.audioInput.recovered())).length, 0);
  assert.equal((await clipsOf(next)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

// The first sample at half the peak within `radius` frames of `at` (-1 when it is quiet there).
function onsetNear(x, at, radius) {
  let peak = 0;
  const from = Math.max(0, at - radius), to = Math.min(x.length, at + radius);
  for (let i = from; i < to; ++i) peak = Math.max(peak, Math.abs(x[i]));
  if (peak < 0.01) return -1;
  for (let i = from; i < to; ++i) if (Math.abs(x[i]) >= peak / 2) return i;
  return -1;
}

test('the loopback calibration measures the round trip, and a calibrated take of the metronome lands on the beats', async () => {
  const { page, problems } = await openSong();
  await armInput(page);
  const rate = await sampleRate(page);
  // The output as the input, then 40 ms more of it: the calibration sees the 40 ms.
  await page.evaluate(() => window.mixdown.audioInput.loopback(0));
  await page.waitForFunction(() => window.mixdown.audioInput.state().open, null, { timeout: 15000 });
  const a = await page.evaluate(() => window.mixdown.audioInput.calibrate({ apply: false }));
  await page.evaluate(() => window.mixdown.audioInput.loopback(40));
  await page.waitForFunction(() => window.mixdown.audioInput.state().open, null, { timeout: 15000 });
  const b = await page.evaluate(() => window.mixdown.audioInput.calibrate());
  console.log(`loopback round trip ${JSON.stringify(a)}; with 40 ms more ${JSON.stringify(b)}`);
  assert.equal(a.error, undefined);
  assert.equal(b.error, undefined);
  assert.equal(b.clicks, 6);
  assert.ok(Math.abs(b.roundTripMs - a.roundTripMs - 40) < 1, `the extra 40 ms measured as ${(b.roundTripMs - a.roundTripMs).toFixed(2)} ms`);
  assert.ok(b.spreadMs < 1, 'every click came back at the same delay');
  const state = await inputState(page);
  assert.ok(Math.abs(state.offsetMs - b.offsetMs) <= 0.05, 'the offset is set');
  assert.ok(Math.abs(state.compensationFrames - b.roundTripMs / 1000 * rate) <= 0.06 * rate / 1000 + 1, 'the compensation is the round trip');
  // The panel says so.
  assert.match(await page.evaluate(() => document.querySelector('#audio-input [data-message]').textContent), /Round trip \d+\.\d ms/);

  // A take of the metronome through the loopback: its clicks land on the beats.
  await clickWidget(page, 'metronome');
  await recordFor(page, 2, 3);
  const take = await stopTake(page);
  await clickWidget(page, 'metronome');
  const render = await page.evaluate(async (sampleRate) => {
    const r = await window.mixdown.renderOffline({ seconds: 5, sampleRate });
    return Array.from(r.channels[0]);
  }, rate);
  const beats = [];
  for (let k = 3; k * rate / 2 < (take.startFrame + take.frames) - rate / 4; ++k) beats.push(k);
  const off = beats.map((k) => onsetNear(render, Math.round(k * rate / 2), Math.round(rate / 8)) - Math.round(k * rate / 2));
  console.log(`calibrated take at frame ${take.startFrame}: metronome clicks from the beats (frames) ${off.join(' ')}`);
  assert.ok(beats.length >= 4);
  for (const [i, d] of off.entries()) assert.ok(Math.abs(d) <= 0.01 * rate, `beat ${beats[i]}'s click is ${d} frames from it`);
  assert.deepEqual(problems, []);
  await page.close();
});
