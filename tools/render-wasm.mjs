#!/usr/bin/env node
// Renders a project with the wasm engine (the one the browser's worklet runs) under Node and writes a
// 32-bit float WAV. Usage: node tools/render-wasm.mjs PROJECT OUT.wav [--seconds S] [--sample-rate N]
// Audio assets are not decoded here (the browser decodes them with decodeAudioData); their clips (and
// the sampler zones that play them) are silent and a warning says so. A script may pass decoded assets
// to renderWithEngine (`assets`), uploaded as the studio uploads dropped audio.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUANTUM = 128; // the Web Audio render quantum, as the worklet sees it

export async function loadEngineModule(webDir = join(ROOT, 'build', 'web')) {
  const { default: createEngine } = await import(pathToFileURL(join(webDir, 'engine.mjs')).href);
  return createEngine();
}

// Renders `projectJson` and returns {sampleRate, channels: [Float32Array, Float32Array]}. `assets`: {id:
// [Float32Array per channel]} at `sampleRate`, uploaded before the render.
export function renderWithEngine(Module, projectJson, { sampleRate = 48000, seconds, assets = {} } = {}) {
  const engine = new Module.WasmEngine(sampleRate, QUANTUM);
  try {
    const project = JSON.parse(projectJson);
    if (project.loop) project.loop.enabled = false; // offline renders play the song through
    let result = JSON.parse(engine.loadProject(JSON.stringify(project)));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    for (const [id, channels] of Object.entries(assets)) {
      engine.beginAsset(id, channels.length, channels[0].length);
      channels.forEach((data, c) => {
        const ptr = engine.assetChannelPointer(c) >> 2; // first: it may grow the memory (a new HEAPF32)
        Module.HEAPF32.set(data, ptr);
      });
      result = JSON.parse(engine.commitAsset());
    }
    for (const id of result.missingAssets) console.warn(`render-wasm: asset "${id}" is not loaded here; its clips are silent`);
    engine.process(0); // takes the plan
    const frames = seconds !== undefined ? Math.round(seconds * sampleRate) : engine.endFrame() + 2 * sampleRate;
    const out = [new Float32Array(frames), new Float32Array(frames)];
    engine.play();
    for (let at = 0; at < frames; at += QUANTUM) {
      const n = Math.min(QUANTUM, frames - at);
      engine.process(n);
      for (let c = 0; c < 2; ++c) {
        const ptr = engine.outputPointer(c) >> 2;
        out[c].set(Module.HEAPF32.subarray(ptr, ptr + n), at);
      }
    }
    return { sampleRate, channels: out };
  } finally {
    engine.delete();
  }
}

export function encodeFloatWav({ sampleRate, channels }) {
  const frames = channels[0].length, nch = channels.length;
  const buf = Buffer.alloc(44 + frames * nch * 4);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + frames * nch * 4, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(3, 20); buf.writeUInt16LE(nch, 22);
  buf.writeUInt32LE(sampleRate, 24); buf.writeUInt32LE(sampleRate * nch * 4, 28); buf.writeUInt16LE(nch * 4, 32);
  buf.writeUInt16LE(32, 34); buf.write('data', 36); buf.writeUInt32LE(frames * nch * 4, 40);
  let o = 44;
  for (let i = 0; i < frames; ++i) for (let c = 0; c < nch; ++c) { buf.writeFloatLE(channels[c][i], o); o += 4; }
  return buf;
}

async function main(argv) {
  const args = argv.slice(2);
  const opts = {};
  const pos = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--seconds') opts.seconds = Number(args[++i]);
    else if (args[i] === '--sample-rate') opts.sampleRate = Number(args[++i]);
    else if (args[i] === '--help' || args[i] === '-h') pos.length = 99;
    else pos.push(args[i]);
  }
  if (pos.length !== 2) {
    console.error('usage: node tools/render-wasm.mjs PROJECT OUT.wav [--seconds S] [--sample-rate N]');
    process.exit(2);
  }
  if (opts.seconds !== undefined && !(opts.seconds > 0)) { console.error('render-wasm: --seconds must be > 0'); process.exit(2); }
  let text;
  try { text = readFileSync(pos[0], 'utf8'); } catch (e) { console.error(`render-wasm: ${pos[0]}: ${e.code === 'ENOENT' ? 'file not found' : e.message}`); process.exit(1); }
  try {
    const Module = await loadEngineModule();
    const audio = renderWithEngine(Module, text, opts);
    const tmp = resolve(pos[1]) + '.partial';
    writeFileSync(tmp, encodeFloatWav(audio));
    renameSync(tmp, pos[1]);
  } catch (e) {
    console.error(`render-wasm: ${pos[0]}: ${e.message.split('\n').join('; ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv);
