#!/usr/bin/env node
// Engine speed: renders the demo song with the native engine (mixdown render) and with the wasm engine
// (as the worklet runs it, 128-frame quanta) in the same run, best of N, and prints the real-time factors,
// the wasm/native ratio (peer: the native build of the same core) and the share of a render quantum's
// real-time budget that the demo takes in wasm.
// Usage: node tools/bench/engine.mjs [PROJECT] [--runs N]
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngineModule, renderWithEngine } from '../render-wasm.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 3;
const project = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') || join(ROOT, 'web', 'demos', 'first-light.json');
const sampleRate = 48000;

const dir = mkdtempSync(join(tmpdir(), 'mixdown-bench-'));
try {
  const text = readFileSync(project, 'utf8');
  const Module = await loadEngineModule();
  // Song length as the engine sees it (end of the last clip) plus the 2 s tail mixdown render adds.
  const probe = new Module.WasmEngine(sampleRate, 128);
  const loaded = JSON.parse(probe.loadProject(text));
  if (!loaded.ok) throw new Error(`${project}: ${loaded.errors.join('; ')}`);
  const seconds = probe.endFrame() / sampleRate + 2;
  probe.delete();

  const time = (fn) => { let best = Infinity; for (let i = 0; i < runs; ++i) { const t0 = process.hrtime.bigint(); fn(); best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9); } return best; };
  const native = time(() => execFileSync(join(ROOT, 'build', 'native', 'bin', 'mixdown'),
    ['render', project, '-o', join(dir, 'n.wav'), '--seconds', String(seconds), '--block-size', '128', '--format', 'wav32f']));
  const wasm = time(() => renderWithEngine(Module, text, { sampleRate, seconds }));
  const quanta = (seconds * sampleRate) / 128;
  const budgetUs = (128 / sampleRate) * 1e6;
  const perQuantumUs = (wasm / quanta) * 1e6;
  console.log(`project: ${project} (${seconds.toFixed(1)} s at ${sampleRate} Hz), best of ${runs}`);
  console.log(`native (mixdown render, incl. process start and WAV write): ${native.toFixed(3)} s = ${(seconds / native).toFixed(1)}x real time`);
  console.log(`wasm engine under node (128-frame quanta):                  ${wasm.toFixed(3)} s = ${(seconds / wasm).toFixed(1)}x real time`);
  console.log(`ratio wasm / native time: ${(wasm / native).toFixed(2)}`);
  console.log(`wasm cost per render quantum: ${perQuantumUs.toFixed(1)} us of a ${budgetUs.toFixed(0)} us budget (${((100 * perQuantumUs) / budgetUs).toFixed(1)} %)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
