// Live playing and MIDI recording in Chromium: the computer keyboard plays the selected (or armed) track
// through the worklet (the live notes it played observed through window.mixdown.live.events, and the
// speakers' output tapped), Z/X shift octaves by 12 and C/V the velocity, key repeat never retriggers, a
// text field keeps its keys; MIDI messages injected at the handler Web MIDI feeds play, record at the
// beats they were played (the audio clock, corrected by the output latency), the sustain pedal holds
// notes to its release in the recorded clip, a recorded take is one undo step, and Capture makes a clip
// of what was played while not recording. Prints the live path's latency.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, doubleClickAt } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

const RATE_BPM = 120;
const synth = (id, name) => ({
  id, name, kind: 'instrument', clips: [],
  instrument: { type: 'mixdown.polysynth', params: { wave: 0, attack: 1, sustain: 1, release: 20 } },
});
const song = { format: 'mixdown-project', version: 1, title: 'Live', tempo: RATE_BPM, timeSignature: { numerator: 4, denominator: 4 },
  loop: { enabled: false, start: 0, end: 64 }, assets: [], tracks: [synth('keys', 'Keys'), synth('lead', 'Lead')] };

async function openSong() {
  const opened = await openStudio();
  await opened.page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(song));
  await settled(opened.page);
  // Selected (a click on the header right of its name, above its buttons): the keyboard plays it.
  const header = (await opened.page.evaluate(() => window.mixdown.widgetRects()))['track-header:0'];
  await opened.page.mouse.move(header.x + 150, header.y + 20);  // the pointer comes to the header first, as a hand's does
  await settled(opened.page);
  await opened.page.mouse.click(header.x + 150, header.y + 20);
  await settled(opened.page);
  return opened;
}

const events = (page) => page.evaluate(() => window.mixdown.live.events());
async function eventsAfter(page, count, n = 1) {
  await page.waitForFunction(([c, k]) => window.mixdown.live.events().length >= c + k, [count, n], { timeout: 10000 });
  return (await events(page)).slice(count);
}

// The peak (dBFS) of the next `seconds` of the live output.
async function tapPeakDb(page, seconds) {
  return page.evaluate(async (sec) => {
    const t = await window.mixdown.tapOutput(sec);
    let peak = 0;
    for (const c of t.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    return 20 * Math.log10(peak);
  }, seconds);
}

// Waits until the transport reaches `beat` (at 120 BPM) by the audio clock (window.mixdown.live.
// transportNow: the last status moved on by AudioContext.currentTime) and injects the MIDI message;
// resolves to the beat the transport was at when it was injected.
function midiAtBeat(page, beat, bytes) {
  return page.evaluate(([b, data]) => new Promise((resolve) => {
    const poll = () => {
      const s = window.mixdown.status();
      const at = window.mixdown.live.transportNow() / s.sampleRate * 2;
      if (!s.playing || at < b) { setTimeout(poll, 1); return; }
      window.mixdown.live.midiMessage(data);
      resolve(at);
    };
    poll();
  }), [beat, bytes]);
}

test('the computer keyboard plays the selected track: A is C4, Z/X shift octaves, C/V velocity, no retrigger on repeat', async () => {
  const { page, problems } = await openSong();
  // Off at first: A is not a note (the studio's shortcuts have the letters).
  let n = (await events(page)).length;
  await page.keyboard.press('a');
  await settled(page);
  assert.equal((await events(page)).length, n, 'no live note while the keyboard piano is off');
  await page.keyboard.press('Backquote');
  assert.equal((await page.evaluate(() => window.mixdown.live.keys())).on, true, '` turns the piano on');

  await page.keyboard.down('a');
  let got = await eventsAfter(page, n);
  assert.deepEqual([got[0].track, got[0].pitch, got[0].ok], ['keys', 60, true], 'A plays C4 on the selected track');
  assert.ok(Math.abs(got[0].velocity - 100 / 127) < 1e-9, 'at velocity 100');
  const held = await tapPeakDb(page, 0.2);
  console.log(`live C4 from the keyboard: ${held.toFixed(1)} dBFS at the speakers`);
  assert.ok(held > -30, 'the note sounds at the output');
  // A held key repeats (keydown with repeat: true): no second note-on.
  await page.keyboard.down('a');
  await page.keyboard.down('a');
  await settled(page);
  await page.keyboard.up('a');
  got = await eventsAfter(page, n, 2);
  assert.equal(got.length, 2, 'one note-on and one note-off, whatever the repeats');
  assert.deepEqual([got[1].pitch, got[1].velocity], [60, 0]);

  // Z: an octave down (A plays C3 = 48); X X: two up (C5 = 72).
  n = (await events(page)).length;
  await page.keyboard.press('z');
  await page.keyboard.press('a');
  await page.keyboard.press('x');
  await page.keyboard.press('x');
  await page.keyboard.press('k');  // K: C an octave above A
  got = await eventsAfter(page, n, 4);
  assert.deepEqual(got.map((e) => e.pitch), [48, 48, 84, 84], 'Z: -12; X X: +24; K is A + 12');
  // A key held across an octave change releases the note it started.
  n = (await events(page)).length;
  await page.keyboard.down('w');  // C#5 = 73
  await page.keyboard.press('x');
  await page.keyboard.up('w');
  got = await eventsAfter(page, n, 2);
  assert.deepEqual(got.map((e) => [e.pitch, e.velocity > 0]), [[73, true], [73, false]]);
  // V: velocity up a step of 20 (100 -> 120), C C: two down (80).
  n = (await events(page)).length;
  await page.keyboard.press('v');
  await page.keyboard.press('s');
  await page.keyboard.press('c');
  await page.keyboard.press('c');
  await page.keyboard.press('s');
  got = (await eventsAfter(page, n, 4)).filter((e) => e.velocity > 0);
  assert.deepEqual(got.map((e) => Math.round(e.velocity * 127)), [120, 80]);
  assert.equal((await page.evaluate(() => window.mixdown.live.keys())).octave, 6);

  // A text field (renaming a track) keeps its keys: typing there plays nothing.
  const header = (await page.evaluate(() => window.mixdown.widgetRects()))['track-header:1'];
  n = (await events(page)).length;
  await doubleClickAt(page, header.x + 150, header.y + 20);
  await page.keyboard.type('asdf');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.equal((await events(page)).length, n, 'no note while a text field has the keyboard');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[1].name, 'asdf', 'the typed name (the old one selected, so replaced)');
  // Space still plays and stops with the piano on; Ctrl+Z still undoes (the rename).
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.mixdown.status().playing, null, { timeout: 10000 });
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.mixdown.status().playing, null, { timeout: 10000 });
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[1].name, 'Lead');
  assert.deepEqual(problems, []);
  await page.close();
});

test('MIDI input plays, records at the beats played (latency-corrected), holds notes with the sustain pedal, one undo step', async () => {
  const { page, problems } = await openSong();
  // The armed track takes live notes even while another is selected.
  await clickWidget(page, 'arm:1');
  let n = (await events(page)).length;
  assert.equal(await page.evaluate(() => window.mixdown.live.midiMessage([0x90, 64, 100])), true);
  let got = await eventsAfter(page, n);
  assert.deepEqual([got[0].track, got[0].pitch, Math.round(got[0].velocity * 127)], ['lead', 64, 100], 'note-on to the armed track');
  await page.evaluate(() => window.mixdown.live.midiMessage([0x90, 64, 0]));  // velocity 0: a note-off
  got = await eventsAfter(page, n, 2);
  assert.equal(got[1].velocity, 0);
  // Only channel 2 listened to: a channel 1 note is ignored.
  await page.evaluate(() => window.mixdown.live.setMidiInput('all', 2));
  assert.equal(await page.evaluate(() => window.mixdown.live.midiMessage([0x90, 60, 100])), false);
  await page.evaluate(() => window.mixdown.live.setMidiInput('all', 0));

  // Record (the button): no count-in set, so the song starts at once.
  await clickWidget(page, 'record');
  await page.waitForFunction(() => window.mixdown.live.recording() && !window.mixdown.live.recording().waiting, null, { timeout: 10000 });
  const on1 = await midiAtBeat(page, 2, [0x90, 60, 90]);
  const off1 = await midiAtBeat(page, 3, [0x80, 60, 0]);
  const on2 = await midiAtBeat(page, 4, [0x91, 62, 110]);   // channel 2: all channels are listened to
  await midiAtBeat(page, 4.25, [0xb0, 64, 127]);            // pedal down
  const off2 = await midiAtBeat(page, 4.5, [0x81, 62, 0]);   // key up: the pedal holds it
  const pedalUp = await midiAtBeat(page, 6, [0xb0, 64, 0]);
  await midiAtBeat(page, 7, [0xe0, 0, 0x60]);                // a bend on the way: not a note
  await midiAtBeat(page, 7.5, [0xe0, 0, 0x40]);
  await midiAtBeat(page, 7.6, [0xb0, 1, 0]);
  const clipsBefore = (await page.evaluate(() => window.mixdown.project())).tracks[1].clips.length;
  const stopAt = await page.evaluate(() => window.mixdown.live.transportNow() / 24000);
  await page.keyboard.press('r');  // R: stop recording (the song plays on)
  await page.waitForFunction(() => window.mixdown.project().tracks[1].clips.length > 0, null, { timeout: 10000 });
  const latency = await page.evaluate(() => window.mixdown.live.latency());
  const correctionBeats = latency.correctionFrames / (await page.evaluate(() => window.mixdown.status().sampleRate)) * 2;
  const clip = (await page.evaluate(() => window.mixdown.project())).tracks[1].clips[0];
  console.log(`recorded clip: start ${clip.start}, length ${clip.length}; notes ${JSON.stringify(clip.notes)}; injected at beats ` +
    `${[on1, off1, on2, off2, pedalUp].map((b) => b.toFixed(3)).join(', ')}; output-latency correction ${correctionBeats.toFixed(4)} beats`);
  assert.equal(clipsBefore, 0);
  assert.equal(clip.start, 0, 'the clip starts at the bar the take began in');
  // It ends at the end of the bar the take ended in (R was pressed at stopAt; the take ends at the
  // position the page last heard of, up to a status period and a frame of the studio later).
  const lastEnd = Math.max(...clip.notes.map((x) => x.start + x.length));
  assert.equal(clip.length % 4, 0, 'whole bars');
  assert.ok(clip.length >= Math.ceil(lastEnd / 4) * 4 && clip.length - stopAt >= -0.5 && clip.length - stopAt <= 4.5,
    `the clip (${clip.length} beats) ends at the end of the bar the take ended in (R at beat ${stopAt.toFixed(3)})`);
  assert.equal(clip.notes.length, 2);
  // Each note where it was played: the status's beat at the injection (at most 1/30 s = 0.067 beat old,
  // plus the message's way to the worklet) less the output latency. Tolerance 0.1 beat = 50 ms.
  const [a, b] = clip.notes;
  const near = (x, y) => Math.abs(x - y) < 0.1;
  assert.ok(near(a.start, on1 - correctionBeats), `first note at ${a.start}, played at ${on1}`);
  assert.ok(near(a.start + a.length, off1 - correctionBeats), `ends at ${a.start + a.length}, released at ${off1}`);
  assert.equal(a.pitch, 60);
  assert.ok(Math.abs(a.velocity - 90 / 127) < 1e-9);
  assert.ok(near(b.start, on2 - correctionBeats), `second note at ${b.start}, played at ${on2}`);
  assert.ok(near(b.start + b.length, pedalUp - correctionBeats), `the sustained note ends at the pedal's release (${pedalUp}), not the key's (${off2}): ${b.start + b.length}`);
  // The recorded starts are the worklet's own frames less the correction, to the frame.
  const played = (await events(page)).filter((e) => e.velocity > 0 && e.playing);
  const rate = await page.evaluate(() => window.mixdown.status().sampleRate);
  const frames = played.map((e) => (e.position - latency.correctionFrames) / rate * 2);
  assert.ok(Math.abs(frames[0] - a.start) < 1e-6 && Math.abs(frames[1] - b.start) < 1e-6, 'timed by the audio clock');
  // One undo step takes the recording away.
  await page.evaluate(() => window.mixdown.stop());
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[1].clips.length, 0, 'Ctrl+Z: the take is gone');
  // The live path: the message's way to the worklet, the wait there for the quantum that plays the note,
  // and what the audio context adds after it.
  console.log(`live path latency over ${latency.notes} notes: sent to the quantum that played it ${latency.pathMs.toFixed(2)} ms median, ${latency.maxPathMs.toFixed(2)} ms worst ` +
    `(audio clock); in the worklet, arrival to that quantum ${latency.waitMs.toFixed(2)} ms median, ${latency.maxWaitMs.toFixed(2)} ms worst (a quantum is ${latency.quantumMs.toFixed(2)} ms); ` +
    `then baseLatency ${latency.baseLatencyMs.toFixed(2)} ms + outputLatency ${latency.outputLatencyMs.toFixed(2)} ms; round trip back to the page ${latency.roundTripMs.toFixed(1)} ms median, ${latency.maxRoundTripMs.toFixed(1)} ms worst`);
  // The note plays in the first quantum the worklet renders after it arrives (the echo is sent from that
  // process() call). In wall time that wait is at most one audio callback: Chromium renders the quanta of
  // a callback back to back, one callback per baseLatency (10 ms here), and the worklet's clock steps by 1 ms.
  assert.ok(latency.waitMs <= latency.baseLatencyMs + latency.quantumMs + 1, 'a live note waits no more than one audio callback for its quantum');
  // By the audio clock (which moves a quantum at a time), a note sent plays in the next quantum rendered.
  assert.ok(latency.pathMs <= latency.quantumMs + 1e-6, `sent to played: ${latency.pathMs} ms by the audio clock`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Capture makes a clip of what was played while not recording, at its bars (playing) or from the playhead (stopped)', async () => {
  const { page, problems } = await openSong();
  // Stopped: three notes, timed by the audio clock; the clip starts at the playhead's bar (beat 0).
  let n = (await events(page)).length;
  for (const [pitch, k] of [[60, 0], [64, 1], [67, 2]]) {
    await page.evaluate((p) => window.mixdown.live.midiMessage([0x90, p, 100]), pitch);
    await eventsAfter(page, n, 2 * k + 1);
    await page.evaluate((p) => window.mixdown.live.midiMessage([0x80, p, 0]), pitch);
    await eventsAfter(page, n, 2 * k + 2);
  }
  await page.waitForFunction(() => window.mixdown.live.captureRing().length === 3, null, { timeout: 10000 });
  await page.keyboard.press('Shift+R');
  await page.waitForFunction(() => window.mixdown.project().tracks[0].clips.length === 1, null, { timeout: 10000 });
  let clip = (await page.evaluate(() => window.mixdown.project())).tracks[0].clips[0];
  console.log(`captured while stopped: start ${clip.start}, length ${clip.length}, notes at ${clip.notes.map((x) => x.start.toFixed(3)).join(', ')}`);
  assert.equal(clip.start, 0);
  assert.equal(clip.notes.length, 3);
  assert.equal(clip.notes[0].start, 0, 'the first note starts the bar');
  assert.deepEqual(clip.notes.map((x) => x.pitch), [60, 64, 67]);
  assert.ok(clip.notes[1].start > clip.notes[0].start && clip.notes[2].start > clip.notes[1].start, 'in the order and spacing played');
  assert.equal(clip.length % 4, 0, 'whole bars');
  assert.equal(clip.name, 'Capture');

  // Playing: a note in the bar after that clip (one that starts at beat `bar`) becomes a one-bar clip
  // there, the note at its beat (a note played over the first clip would be overdubbed onto it).
  const bar = clip.start + clip.length;
  await page.evaluate(() => window.mixdown.play());
  const on = await midiAtBeat(page, bar + 1, [0x90, 72, 100]);
  await midiAtBeat(page, bar + 2, [0x80, 72, 0]);
  await page.waitForFunction(() => window.mixdown.live.captureRing().some((x) => x.on.playing), null, { timeout: 10000 })
    .catch(async (e) => { console.log(JSON.stringify(await page.evaluate(() => [window.mixdown.live.captureRing(), window.mixdown.live.events().slice(-4)]))); throw e; });
  await page.evaluate(() => window.mixdown.stop());
  await clickWidget(page, 'capture');
  await page.waitForFunction(() => window.mixdown.project().tracks[0].clips.length === 2, null, { timeout: 10000 })
    .catch(async (e) => { console.log(JSON.stringify(await page.evaluate(() => [window.mixdown.error(), window.mixdown.live.captureRing(), window.mixdown.project().tracks[0].clips.length]))); throw e; });
  const latency = await page.evaluate(() => window.mixdown.live.latency());
  clip = (await page.evaluate(() => window.mixdown.project())).tracks[0].clips[1];
  console.log(`captured while playing: start ${clip.start}, length ${clip.length}, note at ${clip.notes[0].start} in the clip, ${clip.notes[0].length} long (played at beat ${on.toFixed(3)})`);
  assert.equal(clip.start, bar);
  const noteEnd = clip.notes[0].start + clip.notes[0].length;
  assert.equal(clip.length, Math.ceil(noteEnd / 4) * 4, `whole bars around the note (it ends ${noteEnd} beats into the clip)`);
  const rate = await page.evaluate(() => window.mixdown.status().sampleRate);
  assert.ok(Math.abs(clip.start + clip.notes[0].start - (on - latency.correctionFrames / rate * 2)) < 0.1, 'at the beat it was played');
  // One undo step each.
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[0].clips.length, 1);
  assert.deepEqual(problems, []);
  await page.close();
});
