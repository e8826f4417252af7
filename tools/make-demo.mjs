#!/usr/bin/env node
// Writes web/demos/first-light.json, the demo song the studio opens on: 16 bars at 112 BPM in
// A minor (i - VI - III - VII), kick, snare/hats, bass, pad and a lead that enters at bar 9.
// The mix: an EQ and a compressor on every track, saturation on the snare and bass, a reverb return and a tempo-synced delay return fed by
// sends, the bass ducking under the kick through its compressor's sidechain, the pad fading in while its
// low cut opens (automation) and the lead's delay send swelling through an automated return level.
// Regenerate with: node tools/make-demo.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const bars = 16, beatsPerBar = 4;
const chords = [ // root (MIDI) and chord tones for pad, one chord per bar
  { root: 33, pad: [57, 60, 64] },   // Am
  { root: 29, pad: [57, 60, 65] },   // F
  { root: 36, pad: [55, 60, 64] },   // C
  { root: 31, pad: [55, 59, 62] },   // G
];
const note = (pitch, start, length, velocity = 0.8) => ({ pitch, velocity, start, length });

const kick = [], snare = [], bass = [], pad = [], lead = [];
for (let bar = 0; bar < bars; ++bar) {
  const t = bar * beatsPerBar;
  const c = chords[bar % 4];
  for (let b = 0; b < 4; ++b) kick.push(note(36, t + b, 0.5, b % 2 ? 0.85 : 1.0));
  if (bar >= 2) {
    for (let e = 0; e < 8; ++e) snare.push(note(72, t + e * 0.5, 0.1, e % 2 ? 0.25 : 0.35)); // hats
    snare.push(note(60, t + 1, 0.25, 1.0), note(60, t + 3, 0.25, 1.0));                      // backbeat
  }
  // Bass: root on the beat, octave pickups on the off-beats.
  const pattern = [[0, 0.75, 0], [1, 0.5, 12], [1.5, 0.5, 0], [2, 0.75, 0], [3, 0.5, 12], [3.5, 0.5, 7]];
  for (const [pos, len, iv] of pattern) bass.push(note(c.root + iv, t + pos, len, iv ? 0.7 : 0.95));
  for (const p of c.pad) pad.push(note(p, t, 4, 0.6));
}
// Lead melody from bar 9 (beat 32): A minor pentatonic, two four-bar phrases.
const phrase = [
  [69, 0, 1], [72, 1, 0.5], [74, 1.5, 0.5], [76, 2, 1.5], [74, 3.5, 0.5],
  [72, 4, 1], [69, 5, 1], [67, 6, 2],
  [72, 8, 1], [74, 9, 0.5], [76, 9.5, 0.5], [79, 10, 1.5], [76, 11.5, 0.5],
  [74, 12, 1], [72, 13, 0.5], [74, 13.5, 0.5], [76, 14, 2],
];
for (const rep of [0, 1]) for (const [p, s, l] of phrase) lead.push(note(p, 32 + rep * 16 + s, l * 0.95, 0.8));

const clip = (name, notes, start = 0, length = bars * beatsPerBar) => ({ name, start, length, offset: 0, notes });
const synth = (params) => ({ type: 'mixdown.polysynth', params });
const strip = (gainDb, pan = 0) => ({ gainDb, pan, mute: false, solo: false });
const device = (type, params, extra = {}) => ({ type, params, ...extra });
// EQ bands: [type, frequency, gain, Q]; types as in `mixdown devices` (1 peak, 2 low shelf, 3 high shelf,
// 4/5/6 low cut 12/24/48, 7/8/9 high cut 12/24/48).
const eq = (...bands) => device('mixdown.eq', Object.fromEntries(bands.flatMap(([type, freq, gain, q], i) =>
  [[`type${i + 1}`, type], [`freq${i + 1}`, freq], [`gain${i + 1}`, gain], [`q${i + 1}`, q]])));
const comp = (threshold, ratio, attack, release, makeup = 0, extra = {}) =>
  device('mixdown.compressor', { threshold, ratio, knee: 6, attack, release, makeup }, extra);
const point = (beat, value, shape = 'linear', tension = 0) => ({ beat, value, shape, ...(tension ? { tension } : {}) });

const project = {
  format: 'mixdown-project', version: 1,
  title: 'First Light',
  tempo: 112,
  timeSignature: { numerator: 4, denominator: 4 },
  loop: { enabled: false, start: 0, end: 64 },
  assets: [],
  tracks: [
    { id: 'kick', name: 'Kick', kind: 'instrument', clips: [clip('Kick', kick)], strip: strip(-3),
      inserts: [eq([4, 30, 0, 0.707], [1, 65, 3, 1.2], [1, 380, -4, 1.5]), comp(-12, 3, 8, 90, 1)],
      instrument: synth({ wave: 0, attack: 0.5, decay: 260, sustain: 0, release: 80, cutoff: 2000, resonance: 0,
                          filterEnv: 0, pitchEnv: 30, pitchDecay: 45, velocity: 0.5, volume: 0 }) },
    { id: 'snare', name: 'Snare & Hats', kind: 'instrument', clips: [clip('Groove', snare, 8, 56)], strip: strip(-5, 0.15),
      // Saturation rounds off the noise hits' first peaks (they stood 26 dB over the snare's loudness).
      inserts: [eq([5, 160, 0, 0.707], [1, 5000, 2, 0.9]), comp(-10, 3, 4, 120, 1),
                device('mixdown.saturation', { drive: 9, curve: 0, tone: 20000, mix: 100, output: -6 })],
      sends: [{ target: 'reverb', levelDb: -14 }],
      instrument: synth({ wave: 4, attack: 0.5, decay: 110, sustain: 0, release: 60, cutoff: 5500, resonance: 0.15,
                          filterEnv: 1.5, filterAttack: 0.5, filterDecay: 80, filterSustain: 0, velocity: 1.0, volume: 0 }) },
    { id: 'bass', name: 'Bass', kind: 'instrument', clips: [clip('Bassline', bass)], strip: strip(-9, 0),
      // Ducks under the kick: the compressor listens to the kick track (sidechain high-pass off).
      // Saturation first: harmonics that carry the line on small speakers, and its resonant peaks rounded.
      inserts: [device('mixdown.saturation', { drive: 10, curve: 2, tone: 6000, mix: 100, output: -8 }),
                eq([4, 35, 0, 0.707], [1, 250, -3, 1.2], [1, 900, 2, 1.0]),
                comp(-20, 4, 1, 110, 0, { sidechain: 'kick' })],
      instrument: synth({ wave: 2, attack: 2, decay: 250, sustain: 0.6, release: 90, cutoff: 220, resonance: 0.35,
                          filterEnv: 2.5, filterAttack: 1, filterDecay: 180, filterSustain: 0.2, velocity: 0.6, volume: -2 }) },
    { id: 'pad', name: 'Pad', kind: 'instrument', clips: [clip('Chords', pad)], strip: strip(-16, -0.25),
      inserts: [eq([4, 110, 0, 0.707], [3, 7000, -3, 0.707]), comp(-16, 2, 30, 250, 1)],
      sends: [{ target: 'reverb', levelDb: -8 }],
      // Fades in over the first two bars (curved) while its low cut opens from 900 Hz to 110 Hz over four.
      automation: [
        { target: 'gain', points: [point(0, -40, 'curved', -0.6), point(8, -16)] },
        { target: 'inserts[0].freq1', points: [point(0, 900, 'curved', -0.4), point(16, 110)] },
      ],
      instrument: synth({ wave: 2, attack: 350, decay: 1200, sustain: 0.7, release: 900, cutoff: 900, resonance: 0.1,
                          filterEnv: 1.2, filterAttack: 600, filterDecay: 1500, filterSustain: 0.4, detune: 4, velocity: 0.3, volume: -4 }) },
    { id: 'lead', name: 'Lead', kind: 'instrument', clips: [clip('Melody', lead.map(n => ({ ...n, start: n.start - 32 })), 32, 32)],
      strip: strip(-9, 0.2),
      inserts: [eq([4, 180, 0, 0.707], [1, 3000, 2, 1.0]), comp(-10, 2.5, 10, 150, 1)],
      sends: [{ target: 'delay', levelDb: -9 }, { target: 'reverb', levelDb: -14 }],
      instrument: synth({ wave: 3, attack: 8, decay: 400, sustain: 0.6, release: 220, cutoff: 1800, resonance: 0.25,
                          filterEnv: 1.5, filterDecay: 300, filterSustain: 0.3, velocity: 0.6, volume: -4 }) },
    // Returns: fully wet effects, cleaned by an EQ and held by a gentle compressor.
    { id: 'reverb', name: 'Reverb', kind: 'bus', clips: [], strip: strip(-4),
      inserts: [device('mixdown.reverb', { preDelay: 25, size: 1.2, decay: 2.4, damping: 45, width: 100, mix: 100 }),
                eq([4, 250, 0, 0.707], [3, 8000, -4, 0.707]), comp(-24, 2, 20, 300)] },
    { id: 'delay', name: 'Delay', kind: 'bus', clips: [], strip: strip(-6, 0),
      inserts: [device('mixdown.delay', { sync: 1, note: 6, feedback: 38, pingPong: 1, lowCut: 300, highCut: 5000, mix: 100 }),
                eq([4, 300, 0, 0.707], [1, 2500, -2, 1.0]), comp(-24, 2, 20, 300)],
      // The echoes come up for the second phrase of the melody (bar 13) and hold to the end.
      automation: [{ target: 'gain', points: [point(44, -14), point(48, -4)] }] },
  ],
  master: { gainDb: -2 }, // the sum peaks near +0.5 dBFS at unity
};
// The snare clip starts at beat 8: its notes are relative to the clip.
project.tracks[1].clips[0].notes = snare.map(n => ({ ...n, start: n.start - 8 }));

for (const t of project.tracks)  // a key feeds the compressor's external input
  for (const d of t.inserts || []) if (d.sidechain) d.params.sidechain = 1;

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'demos', 'first-light.json');
writeFileSync(out, JSON.stringify(project, null, 1) + '\n');
console.log(`wrote ${out}: ${project.tracks.length} tracks, ${bars * beatsPerBar} beats at ${project.tempo} BPM`);
