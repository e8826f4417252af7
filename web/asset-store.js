// The audio the page keeps across reloads: every asset's original file bytes in IndexedDB (through idb),
// keyed by the file's sha-256, written once (a second drop of the same file is not stored again).
// A later store (e.g. recorded takes streamed in chunks) is added by raising DB_VERSION and creating it in
// upgrade(), which keeps the records of the stores already there.
//
// Which records stay (the reference rule): an asset is kept while a project the page can still open
// lists it in its asset table: the project being edited (its clips' and sampler zones' audio, and an
// asset whose last clip was deleted, which Undo can bring back within the session). The undo history
// lives in memory only, so at the next start of the studio in a browser with no other studio tab open,
// every record that neither the project it opens nor the session kept from last time lists is deleted
// (collectUnused). Saved project files (Save) are not tracked: opening one whose audio is no longer
// stored shows its clips as missing, with "Drop the files to reconnect".
import { openDB } from './vendor/idb.js';

const DB_NAME = 'mixdown';
const DB_VERSION = 2;
export const ASSETS = 'assets';  // {sha256, id, name, type, bytes: ArrayBuffer (the file as dropped), size, storedAt}
// Audio takes while they record (web/audio-input.js), so a tab that dies mid-take keeps what was stored:
// TAKES {id, track, sampleRate, compensation (frames the take's audio lags the song), name, startedAt};
// TAKE_CHUNKS {take, seq, position, frames, channels: [Float32Array]} keyed [take, seq]. A take's records
// go once its audio is an asset.
export const TAKES = 'takes';
export const TAKE_CHUNKS = 'takeChunks';

let dbPromise = null;

// The database, opened once; rejects (and is tried again next time) when IndexedDB is not available
// (some private modes) or the open is blocked.
export function database() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        if (!db.objectStoreNames.contains(ASSETS)) db.createObjectStore(ASSETS, { keyPath: 'sha256' });
        if (!db.objectStoreNames.contains(TAKES)) db.createObjectStore(TAKES, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(TAKE_CHUNKS)) db.createObjectStore(TAKE_CHUNKS, { keyPath: ['take', 'seq'] });
      },
      // A newer version of the page wants to upgrade the database: close this connection so it can (this
      // tab opens it again on its next use).
      blocking(currentVersion, blockedVersion, event) { dbPromise = null; event.target.close(); },
    }).catch((e) => { dbPromise = null; throw e; });
  }
  return dbPromise;
}

// True when the error is the browser refusing a write for lack of space (IndexedDB reports it as a
// QuotaExceededError DOMException, on the request or the transaction).
export function isQuotaError(e) {
  return !!e && (e.name === 'QuotaExceededError' || /quota/i.test(e.message || ''));
}

// Keeps one asset's original bytes unless a record of that sha-256 is already there (write once).
// Resolves to true when it wrote, false when the record existed. Rejects with the browser's error
// (isQuotaError tells a full disk).
export async function storeAsset({ sha256, id, name, type, bytes }) {
  const db = await database();
  const tx = db.transaction(ASSETS, 'readwrite');
  const store = tx.store;
  const known = await store.getKey(sha256);
  if (known === undefined) store.put({ sha256, id, name, type: type || '', bytes, size: bytes.byteLength, storedAt: Date.now() });
  await tx.done;
  return known === undefined;
}

// The stored record of a sha-256, or null when there is none (never stored, deleted, or evicted by the
// browser).
export async function storedAsset(sha256) {
  const db = await database();
  return (await db.get(ASSETS, sha256)) || null;
}

// sha-256 and size of every stored asset (the bytes are not read).
export async function storedAssetList() {
  const db = await database();
  const out = [];
  let cursor = await db.transaction(ASSETS).store.openCursor();
  while (cursor) {
    out.push({ sha256: cursor.value.sha256, id: cursor.value.id, name: cursor.value.name, size: cursor.value.size });
    cursor = await cursor.continue();
  }
  return out;
}

// ---- takes being recorded ----------------------------------------------------------------------------

export async function storeTake(meta) { await (await database()).put(TAKES, meta); }
export async function storeTakeChunk(chunk) { await (await database()).put(TAKE_CHUNKS, chunk); }
export async function storedTakes() { return (await database()).getAll(TAKES); }

// A take's chunks in order (seq 0, 1, ...).
export async function storedTakeChunks(id) {
  return (await database()).getAll(TAKE_CHUNKS, IDBKeyRange.bound([id, 0], [id, Infinity]));
}

export async function deleteTake(id) {
  const db = await database();
  const tx = db.transaction([TAKES, TAKE_CHUNKS], 'readwrite');
  tx.objectStore(TAKES).delete(id);
  tx.objectStore(TAKE_CHUNKS).delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
  await tx.done;
}

// Deletes every stored asset whose sha-256 is not in `keep` (a Set). Resolves to the names deleted.
export async function collectUnused(keep) {
  const db = await database();
  const tx = db.transaction(ASSETS, 'readwrite');
  const removed = [];
  for (const sha of await tx.store.getAllKeys()) {
    if (keep.has(sha)) continue;
    removed.push(sha);
    tx.store.delete(sha);
  }
  await tx.done;
  return removed;
}

// Runs `collect` only when no other tab of the studio is open (Web Locks: every studio tab holds the
// lock "mixdown.studio" shared from its start; an exclusive request that is not granted at once means
// another tab holds it, whose project may use audio this one's does not). Then this tab takes its own
// shared hold. Resolves to true when `collect` ran.
export async function whenAlone(collect) {
  if (!navigator.locks) return false;
  let ran = false;
  await navigator.locks.request('mixdown.studio', { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (lock) { await collect(); ran = true; }
  });
  navigator.locks.request('mixdown.studio', { mode: 'shared' }, () => new Promise(() => {}));  // held while the tab lives
  return ran;
}

// Asks the browser to keep this site's storage under storage pressure (navigator.storage.persist).
// Resolves to {persisted: true|false|null (no API), usage, quota} (bytes; null where unknown).
export async function requestPersistence() {
  const storage = navigator.storage;
  if (!storage || !storage.persist) return { persisted: null, usage: null, quota: null };
  let persisted = await storage.persisted().catch(() => false);
  if (!persisted) persisted = await storage.persist().catch(() => false);
  const estimate = storage.estimate ? await storage.estimate().catch(() => ({})) : {};
  return { persisted, usage: estimate.usage ?? null, quota: estimate.quota ?? null };
}

// ---- the page's use of the store (boot.js) -----------------------------------------------------------

// sha-256 of every asset a project text lists (an unreadable text lists none).
export function projectAssetHashes(text) {
  try {
    const p = JSON.parse(text);
    return (Array.isArray(p.assets) ? p.assets : []).filter((a) => a && typeof a.sha256 === 'string' && a.sha256).map((a) => a.sha256);
  } catch { return []; }
}

const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
let unavailableSaid = false;
let persistenceAsked = null;

// Keeps a dropped file (on the arrangement or a sampler) (write once per sha-256). Problems are said through `say`
// (the studio's error line) once per cause, never thrown: the audio still plays in this session.
export async function keepAsset(record, say) {
  try {
    await storeAsset(record);
    if (!persistenceAsked) persistenceAsked = requestPersistence().catch(() => null);
  } catch (e) {
    if (isQuotaError(e)) {
      const est = navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate().catch(() => ({})) : {};
      const used = est.quota ? ` (${MB(est.usage || 0)} of the ${MB(est.quota)} it allows this site are used)` : '';
      say(`${record.name} (${MB(record.bytes.byteLength)}) plays now but could not be kept for the next visit: the browser's storage for this site is full${used}. ` +
        'Free space (a New song and a reload delete the stored audio of the song before it; other sites\' data is cleared in the browser\'s settings) and drop the file again, or keep the file to drop it after a reload.');
    } else if (!unavailableSaid) {
      unavailableSaid = true;
      say(`${record.name} plays now but is not kept for the next visit: this browser's storage (IndexedDB) refused it (${e && e.message ? e.message : e}). ` +
        'After a reload, drop the file again to reconnect it.');
    }
  }
}

// Brings back from the store the audio of every asset `projectText` lists that `have(id)` says the
// page does not have yet, through `install(id, bytes, name)` (decode, waveform, engine). A record that
// is not there (never stored, deleted, evicted) leaves its asset missing; a record that does not decode
// is said through `say`. Resolves to {restored: [names], absent: [names]}.
export async function restoreAssets(projectText, have, install, say) {
  const out = { restored: [], absent: [] };
  let list = [];
  try {
    const p = JSON.parse(projectText);
    list = (Array.isArray(p.assets) ? p.assets : []).filter((a) => a && typeof a.id === 'string' && typeof a.sha256 === 'string' && a.sha256 && !have(a.id));
  } catch { return out; }
  for (const a of list) {
    let record = null;
    try { record = await storedAsset(a.sha256); } catch { record = null; }
    if (!record || !(record.bytes instanceof ArrayBuffer)) { out.absent.push(a.name || a.id); continue; }
    try {
      await install(a.id, record.bytes, a.name || record.name);
      out.restored.push(a.name || a.id);
    } catch (e) {
      say(`${a.name || a.id}: the kept copy of this audio could not be decoded (${e && e.message ? e.message : e}); drop the file to reconnect it.`);
    }
  }
  return out;
}

// At the studio's start: deletes the stored audio that neither `projectTexts` lists (the project opened
// and the session kept from last time), if no other studio tab is open. Resolves to the number deleted
// (or -1 when another tab is open or storage is unavailable).
export async function collectAtStart(projectTexts) {
  const keep = new Set(projectTexts.flatMap(projectAssetHashes));
  let removed = -1;
  try {
    await whenAlone(async () => { removed = (await collectUnused(keep)).length; });
  } catch { removed = -1; }
  return removed;
}

// What the page knows of its storage, for window.mixdown.storage(): {persisted, usage, quota, assets}.
export async function storageReport() {
  const p = await requestPersistence().catch(() => ({ persisted: null, usage: null, quota: null }));
  let list = [];
  try { list = await storedAssetList(); } catch { list = null; }
  return { ...p, assets: list };
}
