#!/usr/bin/env node
// Writes web/demos/first-light.json, the demo song the studio opens on: 16 bars at 112 BPM in
// A minor (i - VI - III - VII), kick, snare/hats, bass, pad and a lead that enters at bar 9.
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

const project = {
  format: 'mixdown-project', version: 1,
  title: 'First Light',
  tempo: 112,
  timeSignature: { numerator: 4, denominator: 4 },
  loop: { enabled: false, start: 0, end: 64 },
  assets: [],
  tracks: [
    { id: 'kick', name: 'Kick', kind: 'instrument', clips: [clip('Kick', kick)], strip: strip(-3),
      instrument: synth({ wave: 0, attack: 0.5, decay: 260, sustain: 0, release: 80, cutoff: 2000, resonance: 0,
                          filterEnv: 0, pitchEnv: 30, pitchDecay: 45, velocity: 0.5, volume: 0 }) },
    { id: 'snare', name: 'Snare & Hats', kind: 'instrument', clips: [clip('Groove', snare, 8, 56)], strip: strip(-5, 0.15),
      instrument: synth({ wave: 4, attack: 0.5, decay: 110, sustain: 0, release: 60, cutoff: 5500, resonance: 0.15,
                          filterEnv: 1.5, filterAttack: 0.5, filterDecay: 80, filterSustain: 0, velocity: 1.0, volume: 0 }) },
    { id: 'bass', name: 'Bass', kind: 'instrument', clips: [clip('Bassline', bass)], strip: strip(-9, 0),
      instrument: synth({ wave: 2, attack: 2, decay: 250, sustain: 0.6, release: 90, cutoff: 220, resonance: 0.35,
                          filterEnv: 2.5, filterAttack: 1, filterDecay: 180, filterSustain: 0.2, velocity: 0.6, volume: -2 }) },
    { id: 'pad', name: 'Pad', kind: 'instrument', clips: [clip('Chords', pad)], strip: strip(-16, -0.25),
      instrument: synth({ wave: 2, attack: 350, decay: 1200, sustain: 0.7, release: 900, cutoff: 900, resonance: 0.1,
                          filterEnv: 1.2, filterAttack: 600, filterDecay: 1500, filterSustain: 0.4, detune: 4, velocity: 0.3, volume: -4 }) },
    { id: 'lead', name: 'Lead', kind: 'instrument', clips: [clip('Melody', lead.map(n => ({ ...n, start: n.start - 32 })), 32, 32)],
      strip: strip(-9, 0.2),
      instrument: synth({ wave: 3, attack: 8, decay: 400, sustain: 0.6, release: 220, cutoff: 1800, resonance: 0.25,
                          filterEnv: 1.5, filterDecay: 300, filterSustain: 0.3, velocity: 0.6, volume: -4 }) },
  ],
  master: { gainDb: -2 }, // the sum peaks near +0.5 dBFS at unity
};
// The snare clip starts at beat 8: its notes are relative to the clip.
project.tracks[1].clips[0].notes = snare.map(n => ({ ...n, start: n.start - 8 }));

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'demos', 'first-light.json');
writeFileSync(out, JSON.stringify(project, null, 1) + '\n');
console.log(`wrote ${out}: ${project.tracks.length} tracks, ${bars * beatsPerBar} beats at ${project.tempo} BPM`);
