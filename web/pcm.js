// Uncompressed audio files read in the page, sample for sample as libsndfile reads them natively, so a
// dropped sample plays in the browser exactly as `mixdown render` plays it:
// - WAV PCM (8-bit unsigned, 16, 24 and 32-bit integers; 32 and 64-bit floats; also WAVE_FORMAT_EXTENSIBLE):
//   Chromium's decodeAudioData converts 16-bit integers asymmetrically (positive samples divided by 32767,
//   negative by 32768), up to 0.9 LSB (about -91 dBFS) away from libsndfile's x / 32768.
// - AIFF and AIFF-C, which Chromium does not decode at all, yet kits carry it (often under a .wav name:
//   the Audiophob Hydrogen kit's snare is one): PCM of 8 to 32 bits (big-endian; AIFF-C "NONE", "twos",
//   and "sowt" little-endian), AIFF-C "fl32"/"fl64" floats.
// Integers become floats as libsndfile makes them (divided by 2^(bits-1); 8-bit WAV is offset by 128
// first). Anything else (compressed WAV, FLAC, OGG, MP3) is left to the browser (readPcm returns null).
// A damaged file is refused naming the file and the chunk.
// And the other way: encodeWav writes PCM or float WAV (exports, recorded takes, the float copies the
// browser decodes).

const MAX_SAMPLES = 2 ** 30;  // as the native reader's limit (native-host/AudioFile.h)

// The 80-bit IEEE 754 extended number at `at` (COMM's sample rate).
function extended(view, at) {
  const exponent = view.getUint16(at) & 0x7fff, sign = view.getUint16(at) & 0x8000 ? -1 : 1;
  const mantissa = view.getUint32(at + 2) * 2 ** 32 + view.getUint32(at + 6);
  if (exponent === 0 && mantissa === 0) return 0;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}

// Whether `bytes` (a Uint8Array) is an AIFF or AIFF-C file.
function isAiff(bytes) {
  const tag = (at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  return bytes.length >= 12 && tag(0) === 'FORM' && (tag(8) === 'AIFF' || tag(8) === 'AIFC');
}

// {sampleRate, channels: Float32Array[]} of the AIFF in `bytes` (a Uint8Array); throws an Error naming
// `name` and what is wrong.
function readAiff(bytes, name) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const aifc = tag(8) === 'AIFC';
  let comm = null, ssnd = null;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = tag(at), size = view.getUint32(at + 4);
    const body = at + 8, end = Math.min(bytes.length, body + size);
    if (id === 'COMM') {
      if (size < 18 || body + 18 > bytes.length) throw new Error(`${name}: not a readable AIFF file (its COMM chunk is cut short)`);
      comm = { channels: view.getInt16(body), frames: view.getUint32(body + 2), bits: view.getInt16(body + 6), rate: extended(view, body + 8), compression: 'NONE' };
      if (aifc) {
        if (body + 22 > bytes.length) throw new Error(`${name}: not a readable AIFF-C file (its COMM chunk has no compression type)`);
        comm.compression = tag(body + 18);
      }
    } else if (id === 'SSND') {
      if (body + 8 > bytes.length) throw new Error(`${name}: not a readable AIFF file (its SSND chunk is cut short)`);
      ssnd = { data: body + 8 + view.getUint32(body), end };
    }
    at = body + size + (size & 1);
  }
  if (!comm) throw new Error(`${name}: not a readable AIFF file (no COMM chunk)`);
  const { channels, frames, bits, rate, compression } = comm;
  if (channels < 1 || channels > 64) throw new Error(`${name}: AIFF COMM chunk: ${channels} channels`);
  if (!(rate >= 1000 && rate <= 768000)) throw new Error(`${name}: AIFF COMM chunk: a sample rate of ${rate.toPrecision(3)} Hz`);
  let bytesPer, read;
  if (compression === 'NONE' || compression === 'twos' || compression === 'sowt') {
    if (bits < 1 || bits > 32) throw new Error(`${name}: AIFF COMM chunk: ${bits}-bit samples`);
    bytesPer = Math.ceil(bits / 8);
    const little = compression === 'sowt', scale = 2 ** (8 * bytesPer - 1);
    read = (at) => {
      let v = 0;
      for (let k = 0; k < bytesPer; ++k) v = v * 256 + bytes[little ? at + bytesPer - 1 - k : at + k];
      if (v >= scale) v -= 2 * scale;  // two's complement
      return v / scale;
    };
  } else if (compression === 'fl32' || compression === 'FL32') {
    bytesPer = 4;
    read = (at) => view.getFloat32(at);
  } else if (compression === 'fl64' || compression === 'FL64') {
    bytesPer = 8;
    read = (at) => view.getFloat64(at);
  } else {
    throw new Error(`${name}: AIFF-C compression "${compression}" is not read (only PCM and floats)`);
  }
  if (frames * channels > MAX_SAMPLES) throw new Error(`${name}: AIFF COMM chunk: ${frames} frames is more than this reader takes`);
  if (frames > 0 && !ssnd) throw new Error(`${name}: not a readable AIFF file (no SSND chunk)`);
  // A file cut short plays what it holds, as libsndfile does.
  const held = frames > 0 ? Math.max(0, Math.min(frames, Math.floor((ssnd.end - ssnd.data) / (bytesPer * channels)))) : 0;
  if (frames > 0 && held === 0) throw new Error(`${name}: not a readable AIFF file (its SSND chunk holds no audio)`);
  const out = Array.from({ length: channels }, () => new Float32Array(held));
  for (let i = 0, at = ssnd ? ssnd.data : 0; i < held; ++i)
    for (let c = 0; c < channels; ++c, at += bytesPer) out[c][i] = read(at);
  return { sampleRate: rate, channels: out };
}

// {sampleRate, channels: Float32Array[]} of the PCM or float WAV in `bytes`, or null for a WAV of another
// encoding (ADPCM, A-law...: the browser decodes those). Throws an Error naming `name` when damaged.
function readWav(bytes, name) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  let fmt = null, data = null;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = tag(at), size = view.getUint32(at + 4, true), body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new Error(`${name}: not a readable WAV file (its fmt chunk is cut short)`);
      fmt = { format: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true), bits: view.getUint16(body + 14, true) };
      if (fmt.format === 0xfffe) {
        if (size < 40 || body + 26 > bytes.length) throw new Error(`${name}: not a readable WAV file (its extensible fmt chunk is cut short)`);
        fmt.format = view.getUint16(body + 24, true);  // the sub-format GUID's first two bytes
      }
    } else if (id === 'data') {
      data = { at: body, end: Math.min(bytes.length, body + size) };  // a file cut short plays what it holds
      break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new Error(`${name}: not a readable WAV file (no fmt chunk before its data)`);
  const { format, channels, rate, bits } = fmt;
  const integer = format === 1 && [8, 16, 24, 32].includes(bits), float = format === 3 && (bits === 32 || bits === 64);
  if (!integer && !float) return null;
  if (!data) throw new Error(`${name}: not a readable WAV file (no data chunk)`);
  if (channels < 1 || channels > 64) throw new Error(`${name}: WAV fmt chunk: ${channels} channels`);
  if (rate < 1000 || rate > 768000) throw new Error(`${name}: WAV fmt chunk: a sample rate of ${rate} Hz`);
  const bytesPer = bits / 8, frame = bytesPer * channels;
  const frames = Math.floor((data.end - data.at) / frame);
  if (frames * channels > MAX_SAMPLES) throw new Error(`${name}: WAV data chunk: ${frames} frames is more than this reader takes`);
  const read = float ? (bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true))
    : bits === 8 ? (at) => (bytes[at] - 128) / 128
    : bits === 16 ? (at) => view.getInt16(at, true) / 32768
    : bits === 24 ? (at) => ((bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) << 8 >> 8) / 8388608
    : (at) => view.getInt32(at, true) / 2147483648;
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let i = 0, at = data.at; i < frames; ++i)
    for (let c = 0; c < channels; ++c, at += bytesPer) out[c][i] = read(at);
  return { sampleRate: rate, channels: out };
}

// {sampleRate, channels: Float32Array[]} of an uncompressed WAV or AIFF in `bytes` (a Uint8Array), read as
// libsndfile reads it; null for every other file (left to the browser's decoder). Throws an Error naming
// `name` and the chunk for a damaged WAV or AIFF.
export function readPcm(bytes, name) {
  const tag = (at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (isAiff(bytes)) return readAiff(bytes, name);
  if (bytes.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE') return readWav(bytes, name);
  return null;
}

// PCM WAV (16 or 24-bit integers from samples already dithered to exact steps, or 32-bit float).
export function encodeWav(channels, sampleRate, bits) {
  const frames = channels[0].length, nch = channels.length, bytes = bits / 8;
  const buf = new ArrayBuffer(44 + frames * nch * bytes);
  const v = new DataView(buf);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  text(0, 'RIFF'); v.setUint32(4, 36 + frames * nch * bytes, true); text(8, 'WAVE');
  text(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, bits === 32 ? 3 : 1, true); v.setUint16(22, nch, true);
  v.setUint32(24, sampleRate, true); v.setUint32(28, sampleRate * nch * bytes, true); v.setUint16(32, nch * bytes, true);
  v.setUint16(34, bits, true); text(36, 'data'); v.setUint32(40, frames * nch * bytes, true);
  const scale = bits === 16 ? 32768 : 8388608;
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const x = channels[c][i];
      if (bits === 32) { v.setFloat32(at, x, true); at += 4; continue; }
      const q = Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));
      if (bits === 16) v.setInt16(at, q, true);
      else { v.setUint8(at, q & 255); v.setUint8(at + 1, (q >> 8) & 255); v.setUint8(at + 2, (q >> 16) & 255); }
      at += bytes;
    }
  }
  return buf;
}
