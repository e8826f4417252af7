// Share links in the page (core/share/ShareLink.h says what the versions are):
//   v2 "#p2=" + base64url of the raw deflate of the project's binary payload, which the studio's wasm
//      module encodes and decodes (core/share/ProjectBinary.h): this file only compresses and base64s.
//   v1 "#p=" + base64url of the zlib-wrapped deflate of the project JSON: the studio's links until v2,
//      which still open.
// Compression is the browser's own (CompressionStream 'deflate-raw' and 'deflate'), as zlib natively.
export const MAX_SHARED_PROJECT_BYTES = 16 * 1024 * 1024; // inflated payload, either version: as core/share
export const MAX_LINK_CHARS = 4 * 1024 * 1024;
const V1_KEY = '#p=';
const V2_KEY = '#p2=';

// Whether `hash` (location.hash) carries a share link of either version.
export function isShareHash(hash) {
  return hash.includes(V2_KEY) || hash.includes(V1_KEY);
}

export function base64UrlEncode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) {
    const bad = text.search(/[^A-Za-z0-9_=-]/);
    throw new Error(`the project part has a character that is not base64url at position ${bad + 1}`);
  }
  if (text.replace(/=+$/, '').length % 4 === 1) throw new Error('the project part is cut off (impossible length)');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
  return out;
}

// `bytes` through a CompressionStream or DecompressionStream; refuses more than `limit` bytes of output.
export async function pipeBytes(bytes, transform, limit) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (limit && total > limit) {
      reader.cancel();
      throw new Error(`the project is larger than ${limit / 1024 / 1024} MB when unpacked; refused`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

// The studio's song as a v2 link to `page` (the studio's address without its fragment). Assets stay out
// (their table entries are in the link; their clips are silent until the audio is dropped again).
export async function makeShareUrl(studio, page) {
  const packed = await pipeBytes(studio.shareLinkBytes(), new CompressionStream('deflate-raw'));
  return `${page}${V2_KEY}${base64UrlEncode(packed)}`;
}

// The same song as a v1 link (deflated JSON), as the studio made them before v2.
export async function makeShareUrlV1(studio, page) {
  const json = JSON.stringify(JSON.parse(studio.projectJson()));
  const packed = await pipeBytes(new TextEncoder().encode(json), new CompressionStream('deflate'));
  return `${page}${V1_KEY}${base64UrlEncode(packed)}`;
}

// Opens the link in `hash` in the studio (one undo step). Throws an Error saying what is wrong: the
// base64url, the compressed data, or (from the studio's decoder) the field and byte of the payload, or
// the project's problems by their paths.
export async function openShareLink(hash, studio) {
  if (hash.length > MAX_LINK_CHARS) throw new Error('the link is too long');
  const at2 = hash.indexOf(V2_KEY), at1 = hash.indexOf(V1_KEY);
  const v2 = at2 >= 0 && (at1 < 0 || at2 < at1);
  const key = v2 ? V2_KEY : V1_KEY;
  const payload = hash.slice((v2 ? at2 : at1) + key.length).split('&')[0];
  if (!payload) throw new Error(`the link's project part "${key}" is empty`);
  const bytes = base64UrlDecode(payload);
  let inflated;
  try {
    inflated = await pipeBytes(bytes, new DecompressionStream(v2 ? 'deflate-raw' : 'deflate'), MAX_SHARED_PROJECT_BYTES);
  } catch (e) {
    if (/larger than/.test(e.message)) throw e;
    throw new Error('the project part is damaged (not valid compressed data)');
  }
  const problems = v2 ? studio.loadShareLinkBytes(inflated)
    : studio.loadProject(new TextDecoder('utf-8', { fatal: false }).decode(inflated));
  if (problems) throw new Error(`share link: ${problems.split('\n').filter(Boolean).join('; ')}`);
}
