// Zip containers in the page (DAWproject files, project bundles, exported stems), through fflate (npm,
// served from vendor/). The same rules as the native reader (core/interchange/Archive.h,
// native-host/ZipArchive.cpp): entries with unsafe paths are refused, and so is a zip with more than
// MAX_ENTRIES entries or more than MAX_BYTES inflated, so a hostile file cannot exhaust the tab.
import { unzipSync, zipSync } from './vendor/fflate.js';

export const MAX_ENTRIES = 4096;
export const MAX_BYTES = 2 * 1024 * 1024 * 1024;   // all entries inflated
const STORED = /\.(flac|mp3|ogg|opus|zip|m4a)$/i;  // compressed already: stored, not deflated again

// Why `path` may not name an entry ('' when it may): the same checks as archivePathProblem in core.
export function archivePathProblem(path) {
  if (!path) return 'an entry has an empty name';
  if (path.length > 1024) return "an entry's name is longer than 1024 characters";
  if (path.startsWith('/')) return `"${path}" is an absolute path`;
  if (/[\u0000-\u001f\u007f]/.test(path)) return "an entry's name holds a control character";
  if (path.includes('\\')) return `"${path}" uses '\\' (zip paths use '/')`;
  if (path.length >= 2 && path[1] === ':') return `"${path}" names a drive`;
  if (path.split('/').includes('..')) return `"${path}" points outside the archive ("..")`;
  return '';
}

// The entries of the zip in `bytes` (a Uint8Array) as a Map path -> Uint8Array, folders skipped. Throws an
// Error whose message names `name` and, where one is to blame, the entry.
export function readZip(bytes, name) {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new Error(`${name}: not a readable zip file (no zip signature)`);
  let count = 0, total = 0, refused = '';
  let entries;
  try {
    entries = unzipSync(bytes, {
      filter(file) {
        if (refused) return false;
        if (file.name.endsWith('/')) return false;
        if (++count > MAX_ENTRIES) refused = `${name}: holds more than the ${MAX_ENTRIES} entries read`;
        else if (archivePathProblem(file.name)) refused = `${name}: ${archivePathProblem(file.name)}`;
        else if ((total += file.originalSize) > MAX_BYTES) refused = `${name}: inflates to more than ${MAX_BYTES >> 20} MiB (at ${file.name})`;
        return !refused;
      },
    });
  } catch (e) {
    throw new Error(`${name}: not a readable zip file (${e.message})`);
  }
  if (refused) throw new Error(refused);
  const out = new Map();
  for (const [path, data] of Object.entries(entries)) out.set(path, data);
  return out;
}

// A zip of `entries` (a Map or an array of [path, Uint8Array | string]) as a Uint8Array. Text is UTF-8.
export function writeZip(entries) {
  const files = {};
  for (const [path, data] of entries) {
    const problem = archivePathProblem(path);
    if (problem) throw new Error(`cannot write a zip: ${problem}`);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    files[path] = [bytes, { level: STORED.test(path) ? 0 : 6 }];
  }
  return zipSync(files);
}
