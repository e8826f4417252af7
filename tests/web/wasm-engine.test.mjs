// The wasm engine (as the worklet runs it, 128-frame quanta) against the native render of the demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngineModule, renderWithEngine, encodeFloatWav } from '../../tools/render-wasm.mjs';
import { readFloatWav, peakDifferenceDb, peakDb } from './wav.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEMO = join(ROOT, 'web', 'demos', 'first-light.json');
const MIXDOWN = join(ROOT, 'build', 'native', 'bin', 'mixdown');

test('the wasm render of the demo equals the native render within -120 dBFS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-wasm-'));
  try {
    execFileSync(MIXDOWN, ['render', DEMO, '-o', join(dir, 'native.wav'), '--format', 'wav32f']);
    const native = readFloatWav(join(dir, 'native.wav'));
    const Module = await loadEngineModule();
    const wasm = renderWithEngine(Module, readFileSync(DEMO, 'utf8'), { sampleRate: native.sampleRate });
    assert.equal(wasm.channels[0].length, native.channels[0].length);
    assert.ok(peakDb(native.channels) > -6, 'the demo is not silent');
    const diff = peakDifferenceDb(wasm.channels, native.channels);
    console.log(`demo: ${native.channels[0].length} frames, peak ${peakDb(native.channels).toFixed(2)} dBFS, wasm - native peak difference ${diff.toFixed(1)} dBFS`);
    assert.ok(diff <= -120, `difference ${diff} dBFS`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live note plays on a track of the wasm engine while stopped, and is not part of the song', async () => {
  const Module = await loadEngineModule();
  const engine = new Module.WasmEngine(48000, 128);
  try {
    const project = { format: 'mixdown-project', version: 2, title: 'live', tempo: 120,
      tracks: [{ id: 'keys', name: 'Keys', kind: 'instrument', instrument: { type: 'mixdown.polysynth', params: { release: 20 } }, clips: [] }] };
    assert.ok(JSON.parse(engine.loadProject(JSON.stringify(project))).ok);
    const peakOf = (quanta) => {
      let peak = 0;
      for (let q = 0; q < quanta; ++q) {
        engine.process(128);
        const l = engine.outputPointer(0) >> 2, r = engine.outputPointer(1) >> 2;
        for (let i = 0; i < 128; ++i) peak = Math.max(peak, Math.abs(Module.HEAPF32[l + i]), Math.abs(Module.HEAPF32[r + i]));
      }
      return peak;
    };
    assert.equal(peakOf(10), 0, 'silent before');
    assert.ok(engine.liveNote('keys', 60, 0.9));
    const held = peakOf(100);
    assert.ok(engine.liveNote('keys', 60, 0));
    peakOf(400);
    const after = peakOf(40);
    console.log(`live C4 in the wasm engine: ${(20 * Math.log10(held)).toFixed(1)} dBFS held, ${after} after its note-off`);
    assert.ok(held > 0.05);
    assert.equal(after, 0);
    assert.equal(engine.position(), 0, 'the song did not move');
    assert.equal(engine.liveNote('nope', 60, 0.9), false, 'an unknown track is refused');
    assert.equal(JSON.parse(engine.projectJson()).tracks[0].clips.length, 0, 'no edit was made');
  } finally {
    engine.delete();
  }
});

test('with a mastering chain on the master, wasm and native still render the same audio', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-wasm-'));
  try {
    const project = JSON.parse(readFileSync(DEMO, 'utf8'));
    project.master.gainDb = 6;  // drive the chain so the compressor and the limiter both work
    project.master.devices = [
      { type: 'mixdown.multiband', params: { bands: 1, ratio2: 3, threshold2: -24, gain4: 2 } },
      { type: 'mixdown.imager', params: { width: 1.3, monoBelow: 150 } },
      { type: 'mixdown.limiter', params: { ceiling: -1 } },
    ];
    writeFileSync(join(dir, 'mastered.json'), JSON.stringify(project));
    execFileSync(MIXDOWN, ['render', join(dir, 'mastered.json'), '-o', join(dir, 'native.wav'), '--format', 'wav32f', '--seconds', '12']);
    const native = readFloatWav(join(dir, 'native.wav'));
    const Module = await loadEngineModule();
    const wasm = renderWithEngine(Module, JSON.stringify(project), { sampleRate: native.sampleRate, seconds: 12 });
    const diff = peakDifferenceDb(wasm.channels, native.channels);
    console.log(`mastered demo, 12 s: peak ${peakDb(native.channels).toFixed(2)} dBFS, wasm - native peak difference ${diff.toFixed(1)} dBFS`);
    assert.ok(peakDb(native.channels) <= -1 + 0.01, 'the limiter holds its ceiling');
    assert.ok(diff <= -120, `difference ${diff} dBFS`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the wasm engine reports every problem of a bad project with its path', async () => {
  const Module = await loadEngineModule();
  const engine = new Module.WasmEngine(48000, 128);
  const bad = JSON.parse(readFileSync(DEMO, 'utf8'));
  bad.tracks[2].clips[0].start = -1;
  bad.tempo = 1;
  const result = JSON.parse(engine.loadProject(JSON.stringify(bad)));
  assert.equal(result.ok, false);
  assert.deepEqual(result.errors, ['tempo: must be between 20 and 999 BPM (got 1)', 'tracks[2].clips[0].start: must be >= 0']);
  const broken = JSON.parse(engine.loadProject('{"format": "mixdown-project", '));
  assert.equal(broken.ok, false);
  assert.match(broken.errors[0], /^not valid JSON at line 1/);
  engine.delete();
});

test('render-wasm writes a float WAV and fails clearly on a missing file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-wasm-'));
  try {
    execFileSync('node', [join(ROOT, 'tools', 'render-wasm.mjs'), DEMO, join(dir, 'out.wav'), '--seconds', '2']);
    const out = readFloatWav(join(dir, 'out.wav'));
    assert.equal(out.channels[0].length, 96000);
    assert.throws(() => execFileSync('node', [join(ROOT, 'tools', 'render-wasm.mjs'), '/nope.json', join(dir, 'x.wav')], { stdio: 'pipe' }),
      (e) => e.status === 1 && /\/nope\.json: file not found/.test(e.stderr.toString()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every factory preset renders the same in wasm and natively, and both builds list the same presets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-wasm-'));
  try {
    const Module = await loadEngineModule();
    const listed = JSON.parse(execFileSync(MIXDOWN, ['presets', '--json'], { encoding: 'utf8' }));
    assert.deepEqual(JSON.parse(Module.factoryPresetsJson()), listed);
    assert.ok(listed.length >= 40, `${listed.length} presets`);
    // One track per preset, all at once: a four-note chord held two beats, or each kit voice on eighths.
    const drumNotes = [36, 38, 39, 42, 46, 41, 47, 45, 48, 49, 51, 56, 37, 50];
    const tracks = listed.map((preset, i) => {
      const drums = preset.device.type === 'mixdown.drums';
      const notes = drums ? drumNotes.map((pitch, k) => ({ pitch, velocity: 0.9, start: k * 0.5, length: 0.25 }))
        : [48, 55, 60, 64].map((pitch) => ({ pitch, velocity: 0.8, start: 0, length: 2 }));
      return { id: `p${i}`, name: preset.name, kind: 'instrument', instrument: preset.device,
        clips: [{ name: preset.name, start: 0, length: 8, offset: 0, notes }],
        strip: { gainDb: -18, pan: 0, mute: false, solo: false }, inserts: [], sends: [] };
    });
    const project = { format: 'mixdown-project', version: 1, title: 'Presets', tempo: 120,
      timeSignature: { numerator: 4, denominator: 4 }, loop: { enabled: false, start: 0, end: 8 }, assets: [], tracks,
      master: { gainDb: 0, devices: [] } };
    writeFileSync(join(dir, 'presets.json'), JSON.stringify(project));
    execFileSync(MIXDOWN, ['render', join(dir, 'presets.json'), '-o', join(dir, 'native.wav'), '--format', 'wav32f', '--seconds', '4']);
    const native = readFloatWav(join(dir, 'native.wav'));
    const wasm = renderWithEngine(Module, JSON.stringify(project), { sampleRate: native.sampleRate, seconds: 4 });
    const diff = peakDifferenceDb(wasm.channels, native.channels);
    console.log(`${listed.length} presets at once, 4 s: peak ${peakDb(native.channels).toFixed(2)} dBFS, wasm - native peak difference ${diff.toFixed(1)} dBFS`);
    assert.ok(peakDb(native.channels) > -20, 'the presets sound');
    assert.ok(diff <= -120, `difference ${diff} dBFS`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A sampler song: a looped stereo tone (forward with a cross-fade, and ping-pong), a one-shot noise burst in
// a choke group, notes played up to two octaves above their roots (the stretched kernel) and below, zone
// positions scaled from an asset table rate of 44.1 kHz. The samples are float WAVs at 48 kHz, so the
// native render (libsndfile, no resampling) and the wasm engine (the same floats uploaded as the studio
// uploads dropped audio) start from identical audio.
test('a sampler song renders the same in wasm and natively', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdown-wasm-'));
  try {
    const rate = 48000, n = 30000;
    const tone = [new Float32Array(n), new Float32Array(n)], burst = [new Float32Array(9000)];
    let seed = 12345;
    for (let i = 0; i < n; ++i) {
      tone[0][i] = 0.5 * Math.sin(2 * Math.PI * 220 * i / rate) + 0.2 * Math.sin(2 * Math.PI * 5100 * i / rate);
      tone[1][i] = 0.5 * Math.sin(2 * Math.PI * 331 * i / rate);
    }
    for (let i = 0; i < burst[0].length; ++i) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      burst[0][i] = (seed / 2 ** 32 - 0.5) * Math.exp(-i / 2000);
    }
    writeFileSync(join(dir, 'tone.wav'), encodeFloatWav({ sampleRate: rate, channels: tone }));
    writeFileSync(join(dir, 'burst.wav'), encodeFloatWav({ sampleRate: rate, channels: burst }));
    const zone = (z) => ({ rootKey: 60, lowKey: 0, highKey: 127, lowVelocity: 1, highVelocity: 127, start: 0, end: 0, tune: 0, gainDb: 0,
      pan: 0, attack: 2, decay: 200, sustain: 0.6, release: 150, oneShot: false, group: 0, offBy: 0, trigger: 'attack', ...z });
    const project = {
      format: 'mixdown-project', version: 2, title: 'sampler', tempo: 120,
      assets: [
        { id: 'tone', name: 'tone.wav', sha256: '', sampleRate: 44100, channels: 2, frames: n, path: 'tone.wav' },
        { id: 'burst', name: 'burst.wav', sha256: '', sampleRate: 48000, channels: 1, frames: burst[0].length, path: 'burst.wav' },
      ],
      tracks: [{
        id: 'smp', name: 'Sampler', kind: 'instrument',
        instrument: { type: 'mixdown.sampler', params: { volume: -3, tune: 7 }, zones: [
          zone({ asset: 'tone', highKey: 59, tune: 13, pan: -0.4, loop: { mode: 'forward', start: 8000, end: 20000, crossfade: 2000 } }),
          zone({ asset: 'tone', lowKey: 60, highKey: 84, rootKey: 62, loop: { mode: 'pingpong', start: 5000, end: 15000, crossfade: 0 } }),
          zone({ asset: 'burst', lowKey: 85, highKey: 90, rootKey: 86, oneShot: true, group: 1, offBy: 1, pan: 0.5 }),
        ] },
        clips: [{ name: 'c', start: 0, length: 8, offset: 0, notes: [
          { pitch: 48, velocity: 0.7, start: 0, length: 3 }, { pitch: 60, velocity: 0.9, start: 0.5, length: 2 },
          { pitch: 84, velocity: 0.5, start: 1, length: 1.5 }, { pitch: 86, velocity: 1, start: 2, length: 0.1 },
          { pitch: 88, velocity: 0.6, start: 2.25, length: 0.1 }, { pitch: 71, velocity: 0.8, start: 3, length: 4 },
        ] }],
        strip: { gainDb: 0, pan: 0, mute: false, solo: false },
      }],
      master: { gainDb: 0, devices: [] },
    };
    writeFileSync(join(dir, 'sampler.json'), JSON.stringify(project));
    execFileSync(MIXDOWN, ['render', join(dir, 'sampler.json'), '-o', join(dir, 'native.wav'), '--format', 'wav32f', '--seconds', '6']);
    const native = readFloatWav(join(dir, 'native.wav'));
    const Module = await loadEngineModule();
    const wasm = renderWithEngine(Module, JSON.stringify(project), { sampleRate: rate, seconds: 6, assets: { tone, burst } });
    const diff = peakDifferenceDb(wasm.channels, native.channels);
    let same = true;
    for (let c = 0; c < 2; ++c) for (let i = 0; i < native.channels[c].length && same; ++i) same = wasm.channels[c][i] === native.channels[c][i];
    console.log(`sampler song, 6 s: peak ${peakDb(native.channels).toFixed(2)} dBFS, wasm - native peak difference ${diff.toFixed(1)} dBFS, bit-identical: ${same}`);
    assert.ok(peakDb(native.channels) > -20, 'the sampler song is not silent');
    assert.ok(same, `wasm and native differ (peak difference ${diff} dBFS)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
