// Reads a 32-bit float WAV (as mixdown render writes) into channels, for the node and browser tests.
import { readFileSync } from 'node:fs';

export function readFloatWav(path) {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let at = 12, fmt = null;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4), size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') fmt = { format: b.readUInt16LE(at + 8), channels: b.readUInt16LE(at + 10), sampleRate: b.readUInt32LE(at + 12), bits: b.readUInt16LE(at + 22) };
    if (id === 'data') {
      if (!fmt || fmt.bits !== 32) throw new Error(`${path}: expected 32-bit float samples`);
      const frames = size / (4 * fmt.channels);
      const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
      for (let i = 0; i < frames; ++i) for (let c = 0; c < fmt.channels; ++c) channels[c][i] = b.readFloatLE(at + 8 + (i * fmt.channels + c) * 4);
      return { sampleRate: fmt.sampleRate, channels };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

// Largest absolute difference, in dBFS (-Infinity when identical).
export function peakDifferenceDb(a, b) {
  let peak = 0;
  for (let c = 0; c < a.length; ++c) {
    if (a[c].length !== b[c].length) throw new Error(`channel ${c}: ${a[c].length} vs ${b[c].length} frames`);
    for (let i = 0; i < a[c].length; ++i) peak = Math.max(peak, Math.abs(a[c][i] - b[c][i]));
  }
  return 20 * Math.log10(peak);
}

export function peakDb(channels) {
  let peak = 0;
  for (const ch of channels) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  return 20 * Math.log10(peak);
}

// A mono 32-bit float WAV: decoded exactly by Chromium and libsndfile alike (16-bit files are not:
// Chromium scales by 1/32767 where libsndfile uses 1/32768, a 0.0003 dB difference).
export function wavFloat(samples, sampleRate) {
  const b = Buffer.alloc(44 + samples.length * 4);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples.length * 4, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(3, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 4, 28); b.writeUInt16LE(4, 32); b.writeUInt16LE(32, 34); b.write('data', 36);
  b.writeUInt32LE(samples.length * 4, 40);
  samples.forEach((v, i) => b.writeFloatLE(v, 44 + i * 4));
  return b;
}
