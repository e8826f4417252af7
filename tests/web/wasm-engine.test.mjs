// The wasm engine (as the worklet runs it, 128-frame quanta) against the native render of the demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngineModule, renderWithEngine } from '../../tools/render-wasm.mjs';
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
