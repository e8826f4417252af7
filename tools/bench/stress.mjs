#!/usr/bin/env node
// Stress bench: a big song (128 tracks by default) rendered, in the same run, by
//   1. the native engine (mixdown render, 128-frame blocks),
//   2. the wasm engine under node, driven in 128-frame quanta as the worklet drives it,
//   3. the peer: the same mix built from Chromium's own Web Audio nodes (oscillator voices with gain
//      envelopes, biquad EQ bands, dynamics compressors, stereo panners, a convolver and a delay return)
//      rendered by an OfflineAudioContext in headless Chromium,
//   4. the studio in Chromium playing the song in real time for 60 s (--playback), its underruns counted,
// and prints each one's cost per 128-frame render quantum (us, and % of the 2667 us a quantum lasts at
// 48 kHz) and the ratio peer time / our wasm time for the same seconds (goal: ours at least 3x faster).
//
// The song: per track a poly synth playing 4-bar clips (bass lines, chords, arpeggios, leads; two patterns
// per track in an A A B A order, different per track) over 32 bars, an EQ (3 or 4 bands on, the rest off),
// a compressor, two sends (a reverb return and a delay return) and a master chain (EQ, compressor, limiter).
// It is written to build/bench/stress-N.json, so `mixdown render` and the studio can open it too.
//
// Usage: node tools/bench/stress.mjs [--tracks N] [--seconds S] [--runs R] [--playback S] [--no-browser]
//   --seconds: how much of the song each engine renders (default 8; the whole song is 64 s)
//   --runs: best of R for the native and wasm renders (default 2; the peer renders once)
//   --playback: seconds of real-time playback in the studio (default 60; Chromium's underruns counted)
// Needs tools/setup and tools/build (build/native/bin/mixdown and build/web/engine.mjs). Timings on a
// shared machine are noisy: compare figures from the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngineModule } from '../render-wasm.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIXDOWN = join(ROOT, 'build', 'native', 'bin', 'mixdown');
const SAMPLE_RATE = 48000;
const QUANTUM = 128;                                  // frames per Web Audio render quantum
const BUDGET_US = (QUANTUM / SAMPLE_RATE) * 1e6;      // 2666.7 us of real time per quantum
const TEMPO = 120, BARS = 32, BEATS_PER_BAR = 4, CLIP_BARS = 4;

// [SECTION] options
function options(argv) {
  const o = { tracks: 128, seconds: 8, runs: 2, browser: true, playback: 60 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--tracks') o.tracks = Number(argv[++i]);
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--playback') o.playback = Number(argv[++i]);
    else { console.error(`stress: unknown option ${a}\nusage: node tools/bench/stress.mjs [--tracks N] [--seconds S] [--runs R] [--playback S] [--no-browser]`); process.exit(2); }
  }
  if (!(Number.isInteger(o.tracks) && o.tracks >= 1 && o.tracks <= 1000)) { console.error('stress: --tracks must be 1..1000'); process.exit(2); }
  if (!(o.seconds > 0 && o.seconds <= (BARS * BEATS_PER_BAR * 60) / TEMPO)) { console.error('stress: --seconds must be > 0 and at most the song (64 s)'); process.exit(2); }
  if (!(Number.isInteger(o.runs) && o.runs >= 1)) { console.error('stress: --runs must be >= 1'); process.exit(2); }
  if (!(o.playback > 0 && o.playback <= 62)) { console.error('stress: --playback must be > 0 and at most 62 s (the song from its second second)'); process.exit(2); }
  return o;
}

// [SECTION] the song
// A seeded generator (mulberry32): the same song on every machine.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One chord per bar, A minor: i - VI - III - VII (roots as MIDI notes in the bass octave, chord tones as
// intervals above the root).
const PROGRESSION = [{ root: 45, tones: [0, 3, 7, 10] }, { root: 41, tones: [0, 4, 7, 11] },
  { root: 48, tones: [0, 4, 7, 14] }, { root: 43, tones: [0, 4, 7, 10] }];
const PENTATONIC = [0, 3, 5, 7, 10];  // above A

const note = (pitch, start, length, velocity) => ({ pitch, velocity: Math.round(velocity * 100) / 100, start, length });

// A 4-bar pattern (beats from the clip start) for a role; `rnd` varies rhythm and voicing per track.
function pattern(role, rnd, octave) {
  const notes = [];
  for (let bar = 0; bar < CLIP_BARS; ++bar) {
    const chord = PROGRESSION[bar % PROGRESSION.length], t0 = bar * BEATS_PER_BAR;
    if (role === 'bass') {           // eighths on the root with octave and fifth pickups, some rests
      for (let e = 0; e < 8; ++e) {
        if (rnd() < 0.25) continue;
        const iv = e % 2 && rnd() < 0.5 ? (rnd() < 0.5 ? 12 : 7) : 0;
        notes.push(note(chord.root - 12 + 12 * octave + iv, t0 + e * 0.5, 0.45, e % 2 ? 0.7 : 0.95));
      }
    } else if (role === 'chords') {  // 3 or 4 chord tones, held for a bar or struck on the beats
      const voices = chord.tones.slice(0, rnd() < 0.5 ? 3 : 4).map((iv) => chord.root + 12 + 12 * octave + iv);
      const stabs = rnd() < 0.5 ? [[0, 3.9]] : [[0, 0.9], [1, 0.9], [2, 0.9], [3, 0.9]].filter(() => rnd() < 0.8);
      for (const [at, len] of stabs) for (const p of voices) notes.push(note(p, t0 + at, len, 0.55 + 0.2 * rnd()));
    } else if (role === 'arp') {     // sixteenths through the chord tones
      const up = rnd() < 0.5;
      for (let s = 0; s < 16; ++s) {
        const tones = chord.tones, k = up ? s % tones.length : tones.length - 1 - (s % tones.length);
        notes.push(note(chord.root + 24 + 12 * octave + tones[k], t0 + s * 0.25, 0.2, s % 4 ? 0.55 : 0.8));
      }
    } else {                         // lead: a pentatonic line with rests
      for (let b = 0; b < 8; ++b) {
        if (rnd() < 0.35) continue;
        const degree = PENTATONIC[Math.floor(rnd() * PENTATONIC.length)];
        notes.push(note(57 + 12 + 12 * octave + degree, t0 + b * 0.5, rnd() < 0.5 ? 0.45 : 0.95, 0.6 + 0.3 * rnd()));
      }
    }
  }
  return notes;
}

const SYNTH = {  // a sound per role; every track varies it a little
  bass: { wave: 2, attack: 2, decay: 250, sustain: 0.6, release: 90, cutoff: 400, resonance: 0.3, filterEnv: 2.5, filterDecay: 180, filterSustain: 0.2, volume: -4 },
  chords: { wave: 2, attack: 40, decay: 800, sustain: 0.7, release: 400, cutoff: 1500, resonance: 0.1, filterEnv: 1.2, filterDecay: 900, filterSustain: 0.4, volume: -10 },
  arp: { wave: 3, attack: 1, decay: 150, sustain: 0.3, release: 120, cutoff: 2500, resonance: 0.25, filterEnv: 2, filterDecay: 120, filterSustain: 0.2, volume: -12 },
  lead: { wave: 1, attack: 8, decay: 400, sustain: 0.6, release: 220, cutoff: 3000, resonance: 0.2, filterEnv: 1.5, filterDecay: 300, filterSustain: 0.3, volume: -8 },
};

// EQ bands [type, Hz, dB, Q]; types as in `mixdown devices` (1 peak, 3 high shelf, 4 low cut 12 dB/oct,
// 7 high cut 12 dB/oct). Bands not named stay off.
const eq = (bands) => ({ type: 'mixdown.eq', params: Object.fromEntries(bands.flatMap(([type, freq, gain, q], i) =>
  [[`type${i + 1}`, type], [`freq${i + 1}`, freq], [`gain${i + 1}`, gain], [`q${i + 1}`, q]])) });
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function stressSong(trackCount) {
  const roles = ['bass', 'chords', 'arp', 'lead'];
  const tracks = [];
  for (let i = 0; i < trackCount; ++i) {
    const rnd = random(1000 + i), role = roles[i % roles.length];
    const octave = role === 'bass' ? 0 : Math.floor(rnd() * 2) - (role === 'chords' ? 1 : 0);
    const a = pattern(role, rnd, octave), b = pattern(role, rnd, octave);
    const clips = [];
    for (let k = 0; k < BARS / CLIP_BARS; ++k) {
      const notes = k % 4 === 2 ? b : a;  // A A B A, twice
      clips.push({ name: `${role} ${k % 4 === 2 ? 'B' : 'A'}`, start: k * CLIP_BARS * BEATS_PER_BAR, length: CLIP_BARS * BEATS_PER_BAR, offset: 0, notes });
    }
    const base = SYNTH[role];
    const synth = { ...base, cutoff: round(base.cutoff * (0.7 + 0.6 * rnd()), 0), detune: round(10 * rnd() - 5), velocity: 0.6 };
    const bands = [[4, round(role === 'bass' ? 35 : 80 + 120 * rnd(), 0), 0, 0.707],
      [1, round(200 + 600 * rnd(), 0), round(-4 + 3 * rnd()), 1.2],
      [rnd() < 0.5 ? 1 : 3, round(2000 + 4000 * rnd(), 0), round(-2 + 5 * rnd()), 0.9]];
    if (rnd() < 0.5) bands.push([7, round(9000 + 6000 * rnd(), 0), 0, 0.707]);
    const compressor = { type: 'mixdown.compressor', params: { threshold: round(-22 + 10 * rnd()), ratio: round(2 + 2 * rnd()), knee: 6,
      attack: round(3 + 20 * rnd()), release: round(80 + 150 * rnd(), 0), makeup: 1 } };
    tracks.push({ id: `t${i + 1}`, name: `${role} ${i + 1}`, kind: 'instrument', clips,
      // 128 tracks sum far over full scale at unity: each sits about 10 dB down, spread across the stereo field.
      strip: { gainDb: round(-12 + 4 * rnd()), pan: round(2 * rnd() - 1, 2), mute: false, solo: false },
      instrument: { type: 'mixdown.polysynth', params: synth },
      inserts: [eq(bands), compressor],
      sends: [{ target: 'reverb', levelDb: round(-18 + 8 * rnd()) }, { target: 'delay', levelDb: round(-26 + 10 * rnd()) }] });
  }
  tracks.push({ id: 'reverb', name: 'Reverb', kind: 'bus', clips: [], strip: { gainDb: -4, pan: 0, mute: false, solo: false },
    inserts: [{ type: 'mixdown.reverb', params: { preDelay: 25, size: 1.2, decay: 2.4, damping: 45, width: 100, mix: 100 } }] });
  tracks.push({ id: 'delay', name: 'Delay', kind: 'bus', clips: [], strip: { gainDb: -6, pan: 0, mute: false, solo: false },
    inserts: [{ type: 'mixdown.delay', params: { sync: 1, note: 6, feedback: 38, pingPong: 1, lowCut: 300, highCut: 5000, mix: 100 } }] });
  return {
    format: 'mixdown-project', version: 1, title: `Stress ${trackCount}`, tempo: TEMPO,
    timeSignature: { numerator: 4, denominator: 4 }, loop: { enabled: false, start: 0, end: BARS * BEATS_PER_BAR }, assets: [], tracks,
    master: { gainDb: round(-10 * Math.log10(trackCount / 8)), devices: [
      eq([[4, 30, 0, 0.707], [3, 10000, 1.5, 0.707]]),
      { type: 'mixdown.compressor', params: { threshold: -14, ratio: 2, knee: 6, attack: 20, release: 200, makeup: 0 } },
      { type: 'mixdown.limiter', params: { ceiling: -1 } }] },
  };
}

// [SECTION] native: mixdown render
// The command line pays for process start, project load, plan build and the WAV write too; rendering a
// few quanta as well and subtracting leaves the cost of the quanta themselves.
export function measureNative(projectPath, seconds, runs) {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-stress-'));
  try {
    // CPU time (user + system) of the render, from bash's `times` (children's line, 10 ms grain): unlike the
    // wall clock it does not count the time the process waited for a core another program held.
    const render = (s) => {
      const out = execFileSync('bash', ['-c', '"$0" "$@" && times', MIXDOWN, 'render', projectPath, '-o', join(dir, 'n.wav'),
        '--seconds', String(s), '--block-size', String(QUANTUM), '--format', 'wav32f'], { encoding: 'utf8' });
      const lines = out.trim().split('\n');
      const seconds = (t) => { const m = /^(\d+)m([\d.]+)s$/.exec(t); return Number(m[1]) * 60 + Number(m[2]); };
      const [user, system] = lines[lines.length - 1].trim().split(/\s+/).map(seconds);
      return user + system;
    };
    const short = QUANTUM / SAMPLE_RATE;  // one quantum
    let fixed = Infinity, full = Infinity;
    for (let r = 0; r < runs; ++r) {
      fixed = Math.min(fixed, render(short));
      full = Math.min(full, render(seconds));
    }
    return { fixed, full, perQuantumUs: ((full - fixed) / (seconds * SAMPLE_RATE / QUANTUM - 1)) * 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// [SECTION] wasm: the engine module under node, as the worklet drives it
// Times are this process's CPU time (user + system, us), not the wall clock: on a machine shared with other
// work the wall clock counts the waits for a core; CPU time counts only what the engine itself spent.
const cpuNow = () => { const u = process.cpuUsage(); return u.user + u.system; };
export function measureWasm(Module, projectJson, seconds, runs) {
  const quanta = Math.ceil((seconds * SAMPLE_RATE) / QUANTUM);
  const out = [new Float32Array(QUANTUM), new Float32Array(QUANTUM)];  // the worklet's output arrays
  let best = Infinity, load = Infinity, peak = 0;
  for (let r = 0; r < runs; ++r) {
    const engine = new Module.WasmEngine(SAMPLE_RATE, QUANTUM);
    try {
      const t0 = cpuNow();
      const result = JSON.parse(engine.loadProject(projectJson));
      if (!result.ok) throw new Error(result.errors.join('; '));
      engine.process(0);  // takes the plan
      const t1 = cpuNow();
      engine.play();
      for (let q = 0; q < quanta; ++q) {
        engine.process(QUANTUM);
        for (let c = 0; c < 2; ++c) {
          const ptr = engine.outputPointer(c) >> 2;
          out[c].set(Module.HEAPF32.subarray(ptr, ptr + QUANTUM));
          for (let i = 0; i < QUANTUM; ++i) peak = Math.max(peak, Math.abs(out[c][i]));
        }
      }
      const t2 = cpuNow();
      load = Math.min(load, (t1 - t0) / 1e6);
      best = Math.min(best, (t2 - t1) / 1e6);
    } finally {
      engine.delete();
    }
  }
  return { load, render: best, perQuantumUs: (best / quanta) * 1e6, peakDb: 20 * Math.log10(Math.max(peak, 1e-12)) };
}

// [SECTION] peer: the same mix from Chromium's Web Audio nodes in an OfflineAudioContext
// Runs inside the page: builds the graph from the project document, renders, and returns the times.
// Per note an OscillatorNode -> a low-pass BiquadFilterNode (the synth's filter, with its envelope) -> a
// GainNode ADSR; per track the EQ's bands as BiquadFilterNodes, a DynamicsCompressorNode, the fader (GainNode),
// a StereoPannerNode and two send GainNodes; the reverb return is a ConvolverNode (a decaying noise impulse of the
// reverb's decay time), the delay return a DelayNode whose feedback loop holds the delay's low and high cut;
// the master chain is an EQ, a compressor and a fast high-ratio compressor standing in for the limiter.
async function webAudioRender({ project, seconds, sampleRate }) {
  const frames = Math.round(seconds * sampleRate);
  const ctx = new OfflineAudioContext(2, frames, sampleRate);
  const beat = 60 / project.tempo;
  const db = (x) => Math.pow(10, x / 20);
  const t0 = performance.now();
  const waves = ['sine', 'triangle', 'sawtooth', 'square'];
  const eqTypes = { 1: 'peaking', 2: 'lowshelf', 3: 'highshelf', 4: 'highpass', 7: 'lowpass' };
  const eqChain = (input, params) => {
    let node = input;
    for (let b = 1; b <= 8; ++b) {
      const type = eqTypes[params[`type${b}`]];
      if (!type) continue;
      const f = new BiquadFilterNode(ctx, { type, frequency: params[`freq${b}`], gain: params[`gain${b}`] || 0, Q: params[`q${b}`] || 0.707 });
      node.connect(f);
      node = f;
    }
    return node;
  };
  const compressor = (p) => new DynamicsCompressorNode(ctx, { threshold: p.threshold, ratio: Math.min(20, p.ratio), knee: p.knee ?? 6,
    attack: (p.attack ?? 10) / 1000, release: (p.release ?? 100) / 1000 });
  const masterIn = new GainNode(ctx, { gain: db(project.master.gainDb || 0) });
  // Returns.
  const returns = {};
  for (const t of project.tracks.filter((x) => x.kind === 'bus')) {
    const input = new GainNode(ctx), fader = new GainNode(ctx, { gain: db(t.strip.gainDb) });
    const dev = t.inserts[0];
    if (dev.type === 'mixdown.reverb') {
      const length = Math.round(dev.params.decay * sampleRate), ir = ctx.createBuffer(2, length, sampleRate);
      let s = 12345;
      for (let c = 0; c < 2; ++c) {
        const d = ir.getChannelData(c);
        for (let i = 0; i < length; ++i) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          d[i] = (s / 2147483648 - 1) * Math.pow(10, (-3 * i) / length) * 0.3;  // -60 dB at the decay time
        }
      }
      const conv = new ConvolverNode(ctx, { buffer: ir, disableNormalization: true });
      input.connect(conv).connect(fader);
    } else {
      const delay = new DelayNode(ctx, { maxDelayTime: 4, delayTime: 0.75 * beat });  // 1/8 dotted
      const feedback = new GainNode(ctx, { gain: dev.params.feedback / 100 });
      const low = new BiquadFilterNode(ctx, { type: 'highpass', frequency: dev.params.lowCut });
      const high = new BiquadFilterNode(ctx, { type: 'lowpass', frequency: dev.params.highCut });
      input.connect(delay).connect(low).connect(high).connect(feedback).connect(delay);
      high.connect(fader);
    }
    fader.connect(masterIn);
    returns[t.id] = input;
  }
  // Tracks.
  let voices = 0;
  for (const t of project.tracks.filter((x) => x.kind === 'instrument')) {
    const p = t.instrument.params, input = new GainNode(ctx, { gain: db(p.volume) });
    const afterEq = eqChain(input, t.inserts[0].params);
    const comp = compressor(t.inserts[1].params);
    afterEq.connect(comp);
    const fader = new GainNode(ctx, { gain: db(t.strip.gainDb) }), pan = new StereoPannerNode(ctx, { pan: t.strip.pan });
    comp.connect(fader).connect(pan).connect(masterIn);
    for (const s of t.sends) pan.connect(new GainNode(ctx, { gain: db(s.levelDb) })).connect(returns[s.target]);
    const attack = p.attack / 1000, decay = p.decay / 1000 / 6.9, release = p.release / 1000 / 6.9;
    for (const clip of t.clips) {
      for (const n of clip.notes) {
        const on = (clip.start + n.start) * beat, off = on + n.length * beat;
        if (on >= seconds) continue;
        const osc = new OscillatorNode(ctx, { type: waves[p.wave], frequency: 440 * Math.pow(2, (n.pitch - 69) / 12), detune: p.detune || 0 });
        const cutoff = p.cutoff, peakHz = Math.min(20000, cutoff * Math.pow(2, p.filterEnv));
        const filter = new BiquadFilterNode(ctx, { type: 'lowpass', frequency: cutoff, Q: 0.5 + 10 * p.resonance });
        filter.frequency.setValueAtTime(cutoff, on);
        filter.frequency.linearRampToValueAtTime(peakHz, on + 0.005);
        filter.frequency.setTargetAtTime(cutoff * Math.pow(2, p.filterEnv * p.filterSustain), on + 0.005, p.filterDecay / 1000 / 6.9);
        const env = new GainNode(ctx, { gain: 0 }), level = 0.4 + 0.6 * n.velocity;
        env.gain.setValueAtTime(0, on);
        env.gain.linearRampToValueAtTime(level, on + attack);
        env.gain.setTargetAtTime(level * p.sustain, on + attack, decay);
        env.gain.setTargetAtTime(0, off, release);
        osc.connect(filter).connect(env).connect(input);
        osc.start(on);
        osc.stop(off + 7 * release);
        ++voices;
      }
    }
  }
  // Master chain: EQ, glue compressor, limiter stand-in.
  const chain = project.master.devices;
  const mEq = eqChain(masterIn, chain[0].params), mComp = compressor(chain[1].params);
  const limiter = new DynamicsCompressorNode(ctx, { threshold: -1, ratio: 20, knee: 0, attack: 0.001, release: 0.1 });
  mEq.connect(mComp).connect(limiter).connect(ctx.destination);
  const t1 = performance.now();
  const audio = await ctx.startRendering();
  const t2 = performance.now();
  let peak = 0;
  for (let c = 0; c < 2; ++c) for (const x of audio.getChannelData(c)) peak = Math.max(peak, Math.abs(x));
  return { buildMs: t1 - t0, renderMs: t2 - t1, voices, peakDb: 20 * Math.log10(Math.max(peak, 1e-12)) };
}

async function measureWebAudio(project, seconds) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--autoplay-policy=no-user-gesture-required', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');  // OfflineAudioContext needs no server, secure context or user gesture
    return await page.evaluate(webAudioRender, { project, seconds, sampleRate: SAMPLE_RATE });
  } finally {
    await browser.close();
  }
}

// [SECTION] real-time playback in Chromium
// The song loaded into the studio (the engine in its AudioWorklet, as a user plays it) and played for
// `seconds` of audio: the dropouts Chromium counts (AudioContext.playbackStats.underrunEvents) from the
// first second of playback on, and the engine's own time per quantum the worklet measured.
async function measurePlayback(project, seconds) {
  const browser = await import('../../tests/web/browser.mjs');
  await browser.startBrowser();
  try {
    const { page, problems } = await browser.openStudio();
    await page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(project));
    await page.evaluate(() => window.mixdown.play());
    await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 48000, null, { timeout: 60000 });
    const start = await page.evaluate(() => ({ position: window.mixdown.status().position, underruns: window.mixdown.underruns() }));
    const until = start.position + seconds * SAMPLE_RATE;
    await page.waitForFunction((end) => window.mixdown.status().position >= end, until, { timeout: (seconds * 4 + 60) * 1000, polling: 500 });
    const underruns = (await page.evaluate(() => window.mixdown.underruns())) - start.underruns;
    const load = await page.evaluate(() => window.mixdown.load());
    await page.close();
    return { underruns, load, problems };
  } finally {
    await browser.stopBrowser();
  }
}

// [SECTION] edit costs
// What an edit made while the song plays costs on the audio thread: the wasm engine plays the song, and each
// edit message (made by the engine module's own encodeDiff, the code the studio uses) is timed through
// WasmEngine.applyEdits, the call the worklet's message handler makes between render quanta. Median of 15
// per kind, 20 quanta rendered between edits so every new plan is swapped in and the old one retired.
export function measureEditCosts(Module, projectJson) {
  const engine = new Module.WasmEngine(SAMPLE_RATE, QUANTUM);
  try {
    if (!JSON.parse(engine.loadProject(projectJson)).ok) throw new Error('the stress song did not load');
    engine.warmUp();  // as the worklet does after opening a song
    engine.play();
    for (let q = 0; q < 100; ++q) engine.process(QUANTUM);
    const instrumentTracks = JSON.parse(projectJson).tracks.map((t, i) => (t.kind === 'instrument' ? i : -1)).filter((i) => i >= 0);
    const median = (label, mutate) => {
      const costs = [];
      let bytes = 0;
      for (let k = 0; k < 15; ++k) {
        const before = engine.projectJson();
        const after = JSON.parse(before);
        mutate(after, instrumentTracks[(k * 7) % instrumentTracks.length]);
        const message = Module.encodeDiff(before, JSON.stringify(after));
        bytes = message.length;
        const t0 = cpuNow();
        const result = JSON.parse(engine.applyEdits(message));
        costs.push(cpuNow() - t0);
        if (!result.ok) throw new Error(`${label}: ${result.errors.join('; ')}`);
        for (let q = 0; q < 20; ++q) engine.process(QUANTUM);
      }
      costs.sort((a, b) => a - b);
      return { label, us: costs[costs.length >> 1], worst: costs[costs.length - 1], bytes };
    };
    const rows = [
      median('one note moved', (p, t) => { p.tracks[t].clips[0].notes[0].pitch ^= 1; }),
      median('insert added', (p, t) => { p.tracks[t].inserts.push({ type: 'mixdown.eq', params: {} }); }),
      median('insert removed', (p, t) => { p.tracks[t].inserts.pop(); }),
      median('fader moved', (p, t) => { p.tracks[t].strip.gainDb -= 0.5; }),
      median('EQ knob turned', (p, t) => { p.tracks[t].inserts[0].params.gain2 = ((p.tracks[t].inserts[0].params.gain2 || 0) + 1) % 6; }),
    ];
    const budget = { 'one note moved': 300, 'insert added': 1000, 'insert removed': 1000 };
    // The worst of 15 is not the same edit from run to run: process.cpuUsage counts every thread of the
    // process (V8's garbage collector and its background wasm tier-up compiler too), and on a busy machine
    // the call can be descheduled. The median is the edit's own cost.
    console.log('edit costs on the audio thread (wasm, median of 15, worst counting V8\'s own threads; the issue\'s limits: one note 300 us, an insert 1000 us):');
    for (const r of rows) {
      const limit = budget[r.label];
      console.log(`  ${r.label.padEnd(16)} ${r.us.toFixed(0).padStart(6)} us (worst ${r.worst.toFixed(0)} us, message ${r.bytes} bytes)` +
        (limit ? (r.us <= limit ? '  within the limit' : '  OVER the limit') : ''));
    }
    return rows;
  } finally {
    engine.delete();
  }
}

// [SECTION] main
async function main() {
  const o = options(process.argv.slice(2));
  const project = stressSong(o.tracks);
  const json = JSON.stringify(project);
  mkdirSync(join(ROOT, 'build', 'bench'), { recursive: true });
  const projectPath = join(ROOT, 'build', 'bench', `stress-${o.tracks}.json`);
  writeFileSync(projectPath, json + '\n');
  const notes = project.tracks.reduce((n, t) => n + t.clips.reduce((m, c) => m + c.notes.length, 0), 0);
  const pct = (us) => `${((100 * us) / BUDGET_US).toFixed(1)} %`;
  console.log(`song: ${projectPath}: ${o.tracks} tracks + 2 returns + master chain, ${notes} notes over ${BARS} bars at ${TEMPO} BPM`);
  console.log(`rendering ${o.seconds} s at ${SAMPLE_RATE} Hz in ${QUANTUM}-frame quanta (budget ${BUDGET_US.toFixed(0)} us each); native and wasm best of ${o.runs}`);

  const native = measureNative(projectPath, o.seconds, o.runs);
  console.log(`native (mixdown render): ${native.perQuantumUs.toFixed(1)} us per quantum = ${pct(native.perQuantumUs)} of budget` +
    ` (${native.full.toFixed(2)} s run minus ${native.fixed.toFixed(2)} s for start, load, plan and write)`);

  const Module = await loadEngineModule();
  const wasm = measureWasm(Module, json, o.seconds, o.runs);
  console.log(`wasm engine under node:  ${wasm.perQuantumUs.toFixed(1)} us per quantum = ${pct(wasm.perQuantumUs)} of budget` +
    ` (${wasm.render.toFixed(2)} s for ${o.seconds} s = ${(o.seconds / wasm.render).toFixed(1)}x real time; load + plan ${(1000 * wasm.load).toFixed(0)} ms; peak ${wasm.peakDb.toFixed(1)} dBFS)`);
  console.log(`ratio wasm / native: ${(wasm.perQuantumUs / native.perQuantumUs).toFixed(2)}`);

  if (o.browser) {
    const peer = await measureWebAudio(project, o.seconds);
    const peerUs = (peer.renderMs * 1000) / ((o.seconds * SAMPLE_RATE) / QUANTUM);
    console.log(`peer, Chromium Web Audio nodes (OfflineAudioContext): ${peerUs.toFixed(1)} us per quantum = ${pct(peerUs)}` +
      ` (${(peer.renderMs / 1000).toFixed(2)} s render, ${peer.voices} oscillator voices, graph built in ${peer.buildMs.toFixed(0)} ms; peak ${peer.peakDb.toFixed(1)} dBFS)`);
    const ratio = peer.renderMs / 1000 / wasm.render;
    console.log(`ratio Web Audio / our wasm engine, same ${o.seconds} s: ${ratio.toFixed(2)}x (goal: >= 3x) ${ratio >= 3 ? 'met' : 'NOT met'}`);
    const play = await measurePlayback(project, o.playback);
    console.log(`real-time playback in Chromium's AudioWorklet: ${o.playback} s of the song, ${play.underruns} underruns` +
      ` (goal: 0) ${play.underruns === 0 ? 'met' : 'NOT met'}; engine ${play.load.meanMs.toFixed(3)} ms of each ${play.load.quantumMs.toFixed(3)} ms quantum` +
      `${play.problems.length ? `; page problems: ${play.problems.join('; ')}` : ''}`);
  }
  measureEditCosts(Module, json);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`stress: ${e.message}`);
    process.exit(1);
  });
}
