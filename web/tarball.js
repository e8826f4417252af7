// Gzipped tar archives in the page: Hydrogen ships its drum kits as .h2drumkit files, which are a kit's
// folder as a .tar.gz. The same rules as the zip reader (archive.js): entries with unsafe paths are
// refused, and so is an archive with more than MAX_ENTRIES files or more than MAX_BYTES unpacked, so a
// hostile file cannot exhaust the tab. Read: ustar and GNU tar (regular files, folders skipped; GNU long
// names and pax "path" records honoured; links and devices skipped).
import { archivePathProblem, MAX_ENTRIES, MAX_BYTES } from './archive.js';

// The gzip stream in `bytes` inflated through the browser's DecompressionStream, at most `limit` bytes.
async function gunzip(bytes, name, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if ((total += value.length) > limit) {
        reader.cancel();
        throw new Error(`${name}: unpacks to more than ${limit >> 20} MiB`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (/unpacks to more/.test(e.message)) throw e;
    throw new Error(`${name}: not a readable gzip file (${e.message})`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

const text = (bytes, from, length) => {
  const field = bytes.subarray(from, from + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
};

// The files of the .tar.gz (or .h2drumkit) in `bytes` (a Uint8Array) as a Map path -> Uint8Array. Throws
// an Error whose message names `name` and, where one is to blame, the entry.
export async function readTarGz(bytes, name) {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new Error(`${name}: not a readable .tar.gz file (no gzip signature)`);
  const tar = await gunzip(bytes, name, MAX_BYTES);
  const out = new Map();
  let longName = null;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;  // the end: zero blocks
    const sizeField = text(tar, at + 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeField)) throw new Error(`${name}: not a readable tar file (the entry at byte ${at} has a size of "${sizeField}")`);
    const size = parseInt(sizeField || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = at + 512;
    if (data + size > tar.length) throw new Error(`${name}: not a readable tar file (the entry at byte ${at} is cut short)`);
    const body = tar.subarray(data, data + size);
    at = data + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = text(body, 0, body.length); continue; }  // GNU: the next entry's name
    if (type === 'x') {  // pax: records "len path=value\n"
      const m = new TextDecoder().decode(body).match(/(?:^|\n)\d+ path=([^\n]*)\n/);
      if (m) longName = m[1];
      continue;
    }
    if (type === 'g') continue;
    // POSIX ustar ("ustar\0") keeps the path's folders in a prefix field; GNU's "ustar  " uses those bytes otherwise.
    const posix = String.fromCharCode(...header.subarray(257, 263)) === 'ustar\0';
    const prefix = posix ? text(header, 345, 155) : '';
    const path = (longName ?? (prefix ? `${prefix}/` : '') + text(header, 0, 100)).replace(/^\.\//, '');
    longName = null;
    if (type !== '0' && type !== '\0' && type !== '7') continue;  // folders, links, devices
    if (out.size >= MAX_ENTRIES) throw new Error(`${name}: holds more than the ${MAX_ENTRIES} entries read`);
    const problem = archivePathProblem(path);
    if (problem) throw new Error(`${name}: ${problem}`);
    out.set(path, body.slice());
  }
  return out;
}
