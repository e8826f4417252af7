// The page's own WAV and AIFF reader (web/pcm.js) under Node: integers become the floats libsndfile makes
// (x / 2^(bits-1), 8-bit WAV offset by 128), big- and little-endian AIFF alike, and damaged files are
// refused naming the file and the chunk. (Against libsndfile itself on real files: the kit renders of
// tests/web/instruments.test.mjs, bit-identical with `mixdown render`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './browser.mjs';

const { readPcm } = await import(pathToFileURL(join(ROOT, 'build', 'web', 'pcm.js')).href);

const INTS = [0, 1, -1, 32767, -32768, 12345, -23456];

function wav16(samples, channels = 1, rate = 44100) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(v, i * 2));
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0); fmt.writeUInt32LE(16, 4); fmt.writeUInt16LE(1, 8); fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12); fmt.writeUInt32LE(rate * 2 * channels, 16); fmt.writeUInt16LE(2 * channels, 20); fmt.writeUInt16LE(16, 22);
  const head = Buffer.from('RIFF\0\0\0\0WAVE');
  const dh = Buffer.alloc(8); dh.write('data', 0); dh.writeUInt32LE(data.length, 4);
  const out = Buffer.concat([head, fmt, dh, data]);
  out.writeUInt32LE(out.length - 8, 4);
  return new Uint8Array(out);
}

// An AIFF (or AIFF-C with `compression`) of 16-bit samples at 44.1 kHz.
function aiff16(samples, compression = null) {
  const little = compression === 'sowt';
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => (little ? data.writeInt16LE(v, i * 2) : data.writeInt16BE(v, i * 2)));
  const comm = Buffer.alloc(8 + 18 + (compression ? 6 : 0));
  comm.write('COMM', 0); comm.writeUInt32BE(comm.length - 8, 4);
  comm.writeInt16BE(1, 8); comm.writeUInt32BE(samples.length, 10); comm.writeInt16BE(16, 14);
  Buffer.from([0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]).copy(comm, 16);  // 44100 as an 80-bit extended
  if (compression) { comm.write(compression, 26); comm.writeUInt16BE(0, 30); }
  const ssnd = Buffer.alloc(16); ssnd.write('SSND', 0); ssnd.writeUInt32BE(8 + data.length, 4);
  const head = Buffer.alloc(12); head.write('FORM', 0); head.write(compression ? 'AIFC' : 'AIFF', 8);
  const out = Buffer.concat([head, comm, ssnd, data]);
  out.writeUInt32BE(out.length - 8, 4);
  return new Uint8Array(out);
}

test('16-bit WAV samples are x / 32768, positive and negative alike', () => {
  const r = readPcm(wav16(INTS), 'a.wav');
  assert.equal(r.sampleRate, 44100);
  assert.deepEqual([...r.channels[0]], INTS.map((v) => Math.fround(v / 32768)));
  assert.equal(r.channels[0][3], Math.fround(32767 / 32768), 'full scale positive is not 1 (the browser\'s decoder makes it 1)');
  const stereo = readPcm(wav16([1, 2, 3, 4], 2), 'b.wav');
  assert.deepEqual(stereo.channels.map((c) => [...c].map((v) => v * 32768)), [[1, 3], [2, 4]]);
});

test('AIFF and AIFF-C (big- and little-endian) give the same samples as the WAV', () => {
  const want = INTS.map((v) => Math.fround(v / 32768));
  for (const [bytes, what] of [[aiff16(INTS), 'AIFF'], [aiff16(INTS, 'NONE'), 'AIFF-C NONE'], [aiff16(INTS, 'sowt'), 'AIFF-C sowt']]) {
    const r = readPcm(bytes, 'x.aif');
    assert.equal(r.sampleRate, 44100, what);
    assert.deepEqual([...r.channels[0]], want, what);
  }
});

test('other files are left to the browser, and damaged WAV and AIFF files are refused naming file and chunk', () => {
  assert.equal(readPcm(new TextEncoder().encode('fLaC and more bytes'), 'x.flac'), null);
  const adpcm = wav16([1, 2]);
  adpcm[20] = 2;  // format 2: MS ADPCM
  assert.equal(readPcm(adpcm, 'adpcm.wav'), null);
  const cut = aiff16(INTS).subarray(0, 20);
  assert.throws(() => readPcm(cut, 'cut.aif'), /^Error: cut\.aif: not a readable AIFF file \(its COMM chunk is cut short\)/);
  const noComm = aiff16(INTS);
  noComm.set(Buffer.from('XXXX'), 12);
  assert.throws(() => readPcm(noComm, 'n.aif'), /n\.aif: not a readable AIFF file \(no COMM chunk\)/);
  assert.throws(() => readPcm(aiff16(INTS, 'ulaw'), 'u.aifc'), /u\.aifc: AIFF-C compression "ulaw" is not read/);
  const zeroRate = wav16([1]);
  zeroRate.fill(0, 24, 28);
  assert.throws(() => readPcm(zeroRate, 'z.wav'), /z\.wav: WAV fmt chunk: a sample rate of 0 Hz/);
  // A data chunk that claims more than the file holds plays what it holds (as libsndfile does).
  const short = wav16(INTS);
  short.set([0xff, 0xff, 0xff, 0x7f], 40);
  assert.equal(readPcm(short, 's.wav').channels[0].length, INTS.length);
});
