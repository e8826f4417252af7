// Boots the studio page: the ImGui studio (studio.js, main thread), the engine worklet
// (engine-processor.js), and the bridge between them. Also: share links, open/save, audio file drops,
// offline renders, and `window.mixdown` for scripts and tests. Audio kept across reloads: asset-store.js;
// offline and installable: offline.js (the service worker sw.js).
import { captureDrop, isKitDrop, dropKit } from './kitdrop.js';
import { readPcm, encodeWav } from './pcm.js';
import { installLiveInput, liveFromEngine, liveFromStudio } from './live-input.js';
import { installAudioInput, audioInputFromEngine, recoverTakes } from './audio-input.js';
import { isShareHash, makeShareUrl, makeShareUrlV1, openShareLink } from './sharelink.js';
import { readZip, writeZip } from './archive.js';
import { keepAsset, restoreAssets, collectAtStart, storageReport, requestPersistence } from './asset-store.js';
import { registerOffline, offlineReport } from './offline.js';

const DEMO = 'demos/first-light.json';
const AUTOSAVE_KEY = 'mixdown.autosave.v1'; // the current project, kept across reloads

import { openBundle, saveBundle } from './bundle.js';
import { exportStems } from './stems.js';

const statusEl = document.getElementById('status');
const progressEl = document.getElementById('progress');
let studio = null;            // the studio's Embind module
let audio = null;             // { ctx, node }
const pendingToEngine = [];   // messages sent before the worklet exists
const assets = new Map();     // asset id -> { bytes: ArrayBuffer (original file), decoded: Map(rate -> Float32Array[]) }
let lastStatus = { playing: false, position: 0, sampleRate: 48000 };
let missingAssets = [];       // asset ids the engine has no audio for
let lastLoad = null;          // the engine's load over the last status period (see fromEngine)
const loadHistory = [];       // the last ~20 s of load figures, for window.mixdown.loadHistory()
const engineProjectWaiters = new Map();
const tapWaiters = new Map();  // window.mixdown.tapOutput requests by id
const statusWatchers = new Set();  // window.mixdown.watchStatus callbacks
let engineProjectRequests = 0;

function showFatal(message) {
  statusEl.textContent = message;
  statusEl.classList.remove('hidden');
}

let collectedAtStart = null;  // stored assets deleted at the start (asset-store.js collectAtStart)

function showNotice(message) { if (studio) studio.showNotice(message); }

function showError(message) {
  console.warn(`mixdown: ${message}`);
  if (studio) studio.showError(message); else showFatal(message);
}

// ---- engine (AudioWorklet) -------------------------------------------------------------------------
async function startAudio() {
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.audioWorklet.addModule('engine-processor.js');
  // Input 0: the audio input (web/audio-input.js connects the chosen device; mono or stereo as it is).
  const node = new AudioWorkletNode(ctx, 'mixdown-engine', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'max' });
  node.connect(ctx.destination);
  node.port.onmessage = (e) => fromEngine(e.data);
  node.onprocessorerror = () => showError('The audio engine stopped after an internal error. Reload the page; your project is kept in the link or your saved file.');
  audio = { ctx, node };
  underrunsAtPlay = Math.max(0, underrunCount());  // the context's start-up underruns are not the song's
  for (const m of pendingToEngine.splice(0)) node.port.postMessage(m);
}

function toEngine(message, transfer) {
  if (audio) audio.node.port.postMessage(message, transfer || []);
  else pendingToEngine.push(message);
}

// Underruns as the audio context counts them (Chromium's AudioContext.playbackStats), or -1 where the
// browser does not say.
function underrunCount() {
  const stats = audio && audio.ctx.playbackStats;
  return stats && typeof stats.underrunEvents === 'number' ? stats.underrunEvents : -1;
}

// Dropouts since the transport last started (the context's own start-up underruns are not the song's).
let underrunsAtPlay = 0;
function underrunsSincePlay() {
  const n = underrunCount();
  return n < 0 ? -1 : n - underrunsAtPlay;
}

let assetAck = null;  // resolves when the worklet has taken the last asset slice
function fromEngine(msg) {
  if (msg.type === 'assetAck') {
    if (assetAck) { const done = assetAck; assetAck = null; done(); }
    return;
  }
  if (msg.type === 'projectJson') {
    const waiting = engineProjectWaiters.get(msg.id);
    if (waiting) { engineProjectWaiters.delete(msg.id); waiting(JSON.parse(msg.json)); }
    return;
  }
  if (msg.type === 'live') { liveFromEngine(msg); return; }  // a live note played (web/live-input.js)
  // A recorded take's audio, the loopback calibration's recording (web/audio-input.js).
  if (msg.type === 'inputChunk' || msg.type === 'calibrated') { audioInputFromEngine(msg); return; }
  if (msg.type === 'tap') {
    const waiting = tapWaiters.get(msg.id);
    if (waiting) { tapWaiters.delete(msg.id); waiting({ position: msg.position, sampleRate: msg.sampleRate, channels: msg.channels }); }
    return;
  }
  if (msg.type === 'status') {
    lastStatus = msg;
    if (msg.load && msg.load.quanta > 0) {
      // Each status covers ~11 quanta; the worklet's clock may step by 1 ms, so the meter shows the mean
      // over the last second of statuses.
      loadHistory.push({ ...msg.load, at: performance.now() });
      if (loadHistory.length > 600) loadHistory.shift();
      const recent = loadHistory.filter((l) => l.at > performance.now() - 1000);
      const sum = (key) => recent.reduce((a, l) => a + l[key], 0);
      lastLoad = {
        meanMs: sum('ms') / Math.max(1, sum('quanta')), maxMs: Math.max(...recent.map((l) => l.maxMs)), quantumMs: 128 / msg.sampleRate * 1000,
        underruns: underrunsSincePlay(), edits: sum('edits'), editMs: sum('editMs'), maxEditMs: Math.max(...recent.map((l) => l.maxEditMs)),
        clock: msg.load.clock,
      };
      if (studio) studio.setLoad(JSON.stringify(lastLoad));
    }
    if (studio) {
      studio.setTransport(msg.playing, msg.position, msg.sampleRate);
      if (msg.countIn) studio.setCountIn(msg.countIn[0], msg.countIn[1]);
      studio.setPeaks(JSON.stringify(Array.from(msg.peaks)));
      if (msg.loudness) studio.setLoudness(JSON.stringify(msg.loudness));
      if (msg.reductions) studio.setReductions(JSON.stringify(Array.from(msg.reductions)));
    }
    for (const watch of statusWatchers) watch(window.mixdown.status());
  } else if (msg.type === 'loaded') {
    if (!msg.result.ok) showError(`The engine refused the project: ${msg.result.errors.join('; ')}`);
    else {
      missingAssets = msg.result.missingAssets;
      if (studio) studio.setMissingAssets(JSON.stringify(missingAssets));
    }
  } else if (msg.type === 'error') {
    showError(msg.message);
  }
}

// ---- messages from the studio ----------------------------------------------------------------------
const bridge = {
  studioReady() {},
  fromStudio(text) {
    const msg = JSON.parse(text);
    switch (msg.type) {
      case 'play':
        if (audio && audio.ctx.state !== 'running') audio.ctx.resume();
        underrunsAtPlay = Math.max(0, underrunCount());
        toEngine(msg);
        break;
      case 'open': document.getElementById('file').click(); break;
      case 'save': saveProject(); break;
      case 'exportMidi': exportMidi(); break;
      case 'saveBundle': saveBundleFile().catch((e) => showError(`Save bundle failed: ${e.message}`)); break;
      case 'exportStems': exportStemsZip().catch((e) => showError(`Export stems failed: ${e.message}`)); break;
      case 'record': case 'capture': liveFromStudio(msg); break;
      case 'exportDawproject': exportDawproject(); break;
      case 'edits':
      case 'project': toEngine(msg); projectEdited(); break;
      case 'savePresets':
        try { localStorage.setItem(USER_PRESETS_KEY, msg.text); }
        catch (e) { showError(`Your presets could not be kept in this browser (${e.message}); export them as files.`); }
        break;
      case 'exportPreset': downloadText(`${msg.name.replace(/[^\w.-]+/g, '_') || 'preset'}.mixdown-preset.json`, msg.text); break;
      case 'importPreset': pickFile('.json,application/json', importPresetFile); break;
      case 'demo': loadDemo().catch((e) => showError(`The demo could not be loaded: ${e.message}`)); break;
      case 'share':
        shareUrl().then(async (url) => {
          history.replaceState(null, '', url);
          try { await navigator.clipboard.writeText(url); studio.showNotice('Share link copied to the clipboard and shown in the address bar.'); }
          catch { studio.showNotice('Share link is in the address bar.'); }
        }, (e) => showError(`Could not make a share link: ${e.message}`));
        break;
      case 'exportMaster':
        exportMaster(msg).then(
          (r) => studio.showNotice(`Exported ${r.filename}: ${r.after.integrated.toFixed(1)} LUFS, true peak ${r.after.truePeak.toFixed(1)} dBTP` +
            (r.releaseShortened ? ` (limiter release shortened to ${r.limiterReleaseMs} ms to reach the target)` : '')),
          (e) => showError(`Export failed: ${e.message}`));
        break;
      default: toEngine(msg);
    }
  },
};
globalThis.mixdownBridge = bridge;

// ---- share links: web/sharelink.js ----------------------------------------------------------------
const shareUrl = () => makeShareUrl(studio, `${location.origin}${location.pathname}`);

// Loads a project text into the studio (which sends it to the engine), with the audio the browser kept
// for it. Throws with the problems.
async function openProjectText(text, origin) {
  await restoreKeptAudio(text);
  loadProjectText(text, origin);
}

// Loads a project text into the studio (which sends it to the engine). Throws with the problems.
function loadProjectText(text, origin) {
  const problems = studio.loadProject(text);
  if (problems) throw new Error(`${origin}: ${problems.split('\n').join('; ')}`);
}

async function openFromLocation() {
  if (isShareHash(location.hash)) {
    try {
      await openShareLink(location.hash, studio);
      await restoreKeptAudio(studio.projectJson());  // audio of the song this browser kept: its tracks rebuild with it
      return;
    } catch (e) {
      await loadDemo();
      showError(`This share link could not be opened: ${e.message.replace(/^share link: /, '')}. The demo song is loaded instead.`);
      return;
    }
  }
  const saved = readAutosave();
  if (saved) {
    try {
      await openProjectText(saved, 'autosave');
      studio.showNotice('Restored your last session (Demo opens the demo song).');
      return;
    } catch { /* an autosave from an older build that no longer loads: fall back to the demo */ }
  }
  await loadDemo();
}

function readAutosave() {
  try { return localStorage.getItem(AUTOSAVE_KEY); } catch { return null; }
}

// Keeps the project in localStorage so a reload, a closed tab or a crash never loses work. It is written
// when the studio sends the engine an edit (every change to the project is one; see projectEdited): at
// once, but while a mouse button is held (a drag sends an edit every frame) at most every
// AUTOSAVE_SPACING_MS, and at once again when the button is released, the page is hidden or left.
const AUTOSAVE_SPACING_MS = 200;
const autosave = { on: false, pending: false, held: false, lastWrite: -Infinity, timer: 0, full: false };

function startAutosave() {
  autosave.on = true;
  autosave.pending = true;  // the session as it opened (a share link, the demo)
  writeAutosave();
  window.addEventListener('pointerdown', () => { autosave.held = true; }, true);
  const release = () => { autosave.held = false; if (autosave.pending) writeAutosave(); };
  window.addEventListener('pointerup', release, true);
  window.addEventListener('pointercancel', release, true);
  // Leaving: the project as it is now, even an edit the studio has not sent out yet (it does at the end of
  // its next frame).
  const leave = () => { autosave.pending = true; writeAutosave(); };
  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') leave(); });
}

// The studio changed the project (called with each edit it sends the engine). Before startAutosave (the
// studio's own empty start, the session being restored) nothing is written over the kept session.
function projectEdited() {
  if (!autosave.on) return;
  autosave.pending = true;
  const wait = autosave.lastWrite + AUTOSAVE_SPACING_MS - performance.now();
  if (!autosave.held || wait <= 0) writeAutosave();
  else if (!autosave.timer) autosave.timer = setTimeout(writeAutosave, wait);
}

function writeAutosave() {
  clearTimeout(autosave.timer);
  autosave.timer = 0;
  if (!autosave.on || !autosave.pending) return;
  autosave.pending = false;
  autosave.lastWrite = performance.now();
  try {
    localStorage.setItem(AUTOSAVE_KEY, studio.projectJson());
    autosave.full = false;
  } catch (e) {
    // Said once until a write succeeds again, not on every edit of a drag.
    if (autosave.full) return;
    autosave.full = true;
    const reason = e && e.name === 'QuotaExceededError'
      ? 'This project is too large for the browser\'s local storage'
      : `The browser's local storage refused this project (${e && e.message})`;
    showError(`${reason}, so your latest edits are not kept across reloads: use Save to keep it as a file.`);
  }
}

async function loadDemo() {
  const res = await fetch(DEMO);
  if (!res.ok) throw new Error(`${DEMO}: HTTP ${res.status}`);
  await openProjectText(await res.text(), DEMO);
}

// ---- files: open, save, drop -----------------------------------------------------------------------
// ---- presets: the user's own kept in localStorage; files exported and imported -----------------------
const USER_PRESETS_KEY = 'mixdown.userPresets';

// Downloads bytes or text as a file (the link's object URL is released once the download has begun).
function downloadBlob(filename, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function downloadText(filename, text) { downloadBlob(filename, new Blob([text], { type: 'application/json' })); }

// The song's title as a file name.
function songFileName(fallback) {
  return (JSON.parse(studio.projectJson()).title || fallback).replace(/[^\w.-]+/g, '_');
}

function pickFile(accept, use) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.addEventListener('change', () => { if (input.files[0]) use(input.files[0]); });
  input.click();
}

async function importPresetFile(file) {
  const problem = studio.importPreset(await file.text(), file.name);
  if (problem) showError(`The preset was not imported: ${problem}`);
}

function restoreUserPresets() {
  try { studio.setUserPresets(localStorage.getItem(USER_PRESETS_KEY) || '[]'); } catch { /* storage off: no saved presets */ }
}

function saveProject() { downloadText(`${songFileName('project')}.mixdown.json`, studio.projectJson()); }

// ---- Standard MIDI Files: a dropped .mid opens as a new song (undoable); Export MIDI downloads one ------
async function importMidiFile(file) {
  const r = studio.importMidi(new Uint8Array(await file.arrayBuffer()), file.name);
  if (r.error) showError(`${r.error} (your current song is unchanged)`);
  else studio.showNotice(`Opened ${file.name} as a new song (Undo brings the previous one back)` +
    (r.warnings.length ? `; ${r.warnings.length} note(s): ${r.warnings[0]}` : ''));
  for (const w of r.warnings) console.warn(`mixdown: ${w}`);
  return r;
}

function exportMidi({ download = true } = {}) {
  const r = studio.exportMidi();
  const filename = `${songFileName('song')}.mid`;
  if (download) downloadBlob(filename, new Blob([r.bytes], { type: 'audio/midi' }));
  studio.showNotice(`Exported ${filename}: ${r.notes} notes` + (r.warnings.length ? `; ${r.warnings.join('; ')}` : ''));
  return { filename, bytes: r.bytes, notes: r.notes, warnings: r.warnings };
}

// ---- bundles (.mixdown: the song and its audio) and stems (web/bundle.js, web/stems.js) -------------
const bundlePage = {
  get studio() { return studio; },
  assets, sha256Hex: (b) => sha256Hex(b), decodeAt: (b, r) => decodeAt(b, r), sendAsset: (id, c) => sendAsset(id, c),
  sendPeaks: (id, c, r) => sendPeaks(id, c, r), playRate: () => (audio ? audio.ctx.sampleRate : 48000),
  renderSetup: (o) => renderSetup(o), encodeWav: (c, r, b) => encodeWav(c, r, b),
  progress(text) { progressEl.style.display = text ? 'block' : 'none'; if (text) progressEl.textContent = text; },
};

async function openBundleFile(file) {
  try {
    bundlePage.progress(`Opening ${file.name}...`);
    const r = await openBundle(bundlePage, new Uint8Array(await file.arrayBuffer()), file.name);
    studio.showNotice(`Opened ${file.name} with its ${r.files} audio file(s) (Undo brings the previous song back)`);
    for (const w of r.warnings) console.warn(`mixdown: ${file.name}: ${w}`);
    return r;
  } catch (e) {
    showError(`${e.message} (your current song is unchanged)`);
    return { error: e.message };
  } finally {
    bundlePage.progress(null);
  }
}

async function saveBundleFile({ download = true } = {}) {
  const r = await saveBundle(bundlePage, `${songFileName('song')}.mixdown`);
  if (download) downloadBlob(r.filename, new Blob([r.bytes], { type: 'application/zip' }));
  studio.showNotice(`Saved ${r.filename}: the song and ${r.files} audio file(s)`);
  return r;
}

async function exportStemsZip({ download = true, bits = 32, sampleRate = 48000, seconds } = {}) {
  const r = await exportStems(bundlePage, { bits, sampleRate, seconds });
  const filename = `${songFileName('song')} stems.zip`;
  if (download) downloadBlob(filename, new Blob([r.zip], { type: 'application/zip' }));
  studio.showNotice(`Exported ${filename}: ${r.files.length} stems (the top-level ones sum to the mix before the master chain)`);
  return { filename, ...r };
}

// ---- DAWproject: a dropped or opened .dawproject opens as a new song (undoable; its audio decoded as
// assets first); Export DAWproject downloads the song with its audio in one zip ---------------------------
const DAWPROJECT_TEXT = /(^|\/)(project|metadata)\.xml$|\.mixdown-device\.json$|^mixdown\/extras\.json$/i;
const AUDIO_ENTRY = /\.(wav|wave|aif|aiff|flac|mp3|ogg|oga|opus|m4a)$/i;

async function importDawprojectFile(file) {
  let entries;
  try {
    entries = readZip(new Uint8Array(await file.arrayBuffer()), file.name);
  } catch (e) {
    showError(`${e.message} (your current song is unchanged)`);
    return { error: e.message, warnings: [] };
  }
  // The text the reader reads, every other entry listed by name; the audio decoded into assets (sent to
  // the engine before the song, so it opens playing) and described to the reader.
  const text = new TextDecoder('utf-8');
  const files = [], facts = [];
  for (const [path, data] of entries) files.push([path, DAWPROJECT_TEXT.test(path) ? text.decode(data) : '']);
  for (const [path, data] of entries) {
    if (!AUDIO_ENTRY.test(path)) continue;
    const d = await decodeAudioFile(new File([data], `${file.name}: ${path}`));
    if (d) facts.push({ path, assetId: d.id, sha256: d.sha256, sampleRate: d.sampleRate, channels: d.channels, frames: d.frames });
  }
  const r = studio.importDawproject(JSON.stringify(files), JSON.stringify(facts), file.name);
  if (r.error) showError(`${r.error} (your current song is unchanged)`);
  else studio.showNotice(`Opened ${file.name} as a new song (Undo brings the previous one back)` +
    (r.warnings.length ? `; ${r.warnings.length} note(s): ${r.warnings[0]}` : ''));
  for (const w of r.warnings) console.warn(`mixdown: ${w}`);
  return { error: r.error, warnings: r.warnings, audio: r.audio };
}

function exportDawproject({ download = true } = {}) {
  const r = studio.exportDawproject();
  const warnings = [...r.warnings];
  const entries = r.files.map(([path, content]) => [path, content]);
  for (const [id, path] of r.audio) {
    const a = assets.get(id);
    if (a) entries.push([path, new Uint8Array(a.bytes)]);
    else warnings.push(`the audio of asset "${id}" is not loaded in this tab: its clips are in the file without it`);
  }
  const bytes = writeZip(entries);
  const filename = `${songFileName('song')}.dawproject`;
  if (download) downloadBlob(filename, new Blob([bytes], { type: 'application/zip' }));
  studio.showNotice(`Exported ${filename} with ${r.audio.length} audio file(s)` + (warnings.length ? `; ${warnings.length} note(s): ${warnings[0]}` : ''));
  for (const w of warnings) console.warn(`mixdown: ${w}`);
  return { filename, bytes, warnings };
}

async function openProjectFile(file) {
  if (/\.mixdown$/i.test(file.name)) return openBundleFile(file);
  try {
    await openProjectText(await file.text(), file.name);
  } catch (e) {
    showError(`${e.message} (your current project is unchanged)`);
  }
}

async function sha256Hex(buffer) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function decodeAt(bytes, rate) {
  const ctx = new OfflineAudioContext(1, 1, rate);
  const buffer = await ctx.decodeAudioData(bytes.slice(0));
  const channels = [];
  for (let c = 0; c < Math.min(2, buffer.numberOfChannels); ++c) channels.push(buffer.getChannelData(c).slice());
  return { buffer, channels };
}

async function assetChannels(id, rate) {
  const a = assets.get(id);
  if (!a) return null;
  if (!a.decoded.has(rate)) a.decoded.set(rate, (await decodeAt(a.playBytes || a.bytes, rate)).channels);
  return a.decoded.get(rate);
}

// What the file's header says (WAV and FLAC): its own sample rate, so the asset table describes the source
// and not the browser's resampled copy (null for other formats: described at the decode rate), and a
// WAV's loop from its smpl chunk ({mode: 'forward' | 'pingpong', start, end}: frames, end exclusive; the
// chunk's end is the last frame looped), which a sampler loading the file takes, and its root key
// (rootKey: the smpl chunk's MIDI note, or null).
function sniffAudioHeader(bytes) {
  const b = new DataView(bytes);
  const tag = (at) => String.fromCharCode(...new Uint8Array(bytes, at, 4));
  const out = { sampleRate: null, loop: null, rootKey: null };
  try {
    if (tag(0) === 'RIFF' && tag(8) === 'WAVE') {
      for (let at = 12; at + 8 <= b.byteLength; at += 8 + b.getUint32(at + 4, true) + (b.getUint32(at + 4, true) & 1)) {
        if (tag(at) === 'fmt ') out.sampleRate = b.getUint32(at + 12, true);
        // The smpl chunk's MIDI unity note, as libsndfile keeps it (a signed byte: the native host's reading).
        if (tag(at) === 'smpl' && b.getUint32(at + 4, true) >= 36) {
          const note = (b.getUint32(at + 8 + 12, true) & 0xff) << 24 >> 24;
          out.rootKey = note >= 0 ? note : null;
        }
        if (tag(at) === 'smpl' && b.getUint32(at + 4, true) >= 60 && b.getUint32(at + 8 + 28, true) > 0) {
          const type = b.getUint32(at + 8 + 36 + 4, true), start = b.getUint32(at + 8 + 36 + 8, true), end = b.getUint32(at + 8 + 36 + 12, true) + 1;
          if (type <= 2 && end > start + 1) out.loop = { mode: type === 1 ? 'pingpong' : 'forward', start, end };
        }
      }
    }
    if (tag(0) === 'fLaC') out.sampleRate = (b.getUint32(18) >>> 12) || null;
  } catch { /* a damaged header: fall back to the decode rate, no loop */ }
  return out;
}

// Hands decoded audio to the engine in one-second slices, each sent when the worklet has taken the one
// before, so a song-long file is copied between render quanta instead of stalling one.
async function sendAsset(id, channels) {
  if (!audio) { toEngine({ type: 'asset', id, channels }); return; }
  const frames = channels[0].length;
  const slice = audio.ctx.sampleRate;
  const step = (message) => new Promise((resolve) => { assetAck = resolve; toEngine(message); });
  await step({ type: 'assetBegin', id, channels: channels.length, frames });
  for (let at = 0; at < frames; at += slice) {
    await step({ type: 'assetSlice', channels: channels.map((c) => c.slice(at, Math.min(frames, at + slice))) });
  }
  await step({ type: 'assetCommit' });
}

// Hands an asset's audio to the studio once, for its waveform (the studio keeps min/max peaks, not the
// audio), in slices through a staging buffer in the studio's memory.
function sendPeaks(id, channels, rate) {
  const frames = channels[0].length, slice = 1 << 16;
  studio.beginAssetPeaks(id, channels.length, rate);
  for (let at = 0; at < frames; at += slice) {
    const n = Math.min(slice, frames - at);
    const ptr = studio.assetPeaksSlice(n) >> 2;
    channels.forEach((c, k) => studio.HEAPF32.set(c.subarray(at, at + n), ptr + k * n));  // re-read: memory may grow
    studio.addAssetPeaks(n);
  }
  studio.endAssetPeaks();
}

// Decodes audio bytes for playing: uncompressed WAV and AIFF read here, as libsndfile reads them natively
// (pcm.js says why), as a float WAV of those samples, which the browser decodes (and resamples) exactly;
// other files as they are. Throws when the browser cannot decode them.
async function decodePlayable(original, name) {
  const pcm = readPcm(new Uint8Array(original), name);
  const playBytes = pcm ? encodeWav(pcm.channels, Math.round(pcm.sampleRate), 32) : original;
  const playRate = audio ? audio.ctx.sampleRate : 48000;
  const header = sniffAudioHeader(original);  // the file's own smpl chunk and rate
  if (pcm) header.sampleRate = Math.round(pcm.sampleRate);
  const sniffed = header.sampleRate;
  const fileRate = sniffed && sniffed >= 3000 && sniffed <= 768000 ? sniffed : playRate;
  const source = await decodeAt(playBytes, fileRate);
  const playable = fileRate === playRate ? source : await decodeAt(playBytes, playRate);
  return { playBytes, header, fileRate, playRate, source, playable };
}

// Keeps decoded audio as asset `id` here (`bytes`: the original file, as bundles and DAWproject exports
// carry it; `playBytes`: what the browser decodes at other rates), its peaks to the studio, its audio to
// the engine.
async function keepDecoded(id, original, d) {
  assets.set(id, { bytes: original, playBytes: d.playBytes, decoded: new Map([[d.playRate, d.playable.channels], [d.fileRate, d.source.channels]]) });
  sendPeaks(id, d.playable.channels, d.playRate);
  await sendAsset(id, d.playable.channels);
}

// Decodes an audio file (a File; `path`: where it was in the drop) into an asset without keeping it
// anywhere yet: {described (for the studio), header (sniffAudioHeader's), commit() (keeps it here and in
// the browser's storage, sends its peaks to the studio and its audio to the engine; resolves to
// `described`)}. Throws when it cannot be decoded. The file is known by its sha-256: an asset of the open
// song with the same contents, whatever its name or id, is the one it reconnects.
async function decodeAudio(file, path = file.name) {
  const original = await file.arrayBuffer();
  let d;
  try {
    d = await decodePlayable(original, file.name);
  } catch {
    throw new Error(`${file.name}: could not decode this audio file (unsupported or damaged)`);
  }
  const sha = await sha256Hex(original);  // of the file as it is on disk, as the native host hashes it
  const known = JSON.parse(studio.projectJson()).assets.find((a) => a.sha256 === sha);
  const id = known ? known.id : `${sha.slice(0, 12)}`;
  const loop = d.header.loop && d.header.loop.end <= d.source.buffer.length ? d.header.loop : undefined;
  const described = { id, name: file.name, sha256: sha, sampleRate: d.fileRate, channels: d.source.channels.length, frames: d.source.buffer.length,
    path, missing: false, loop };
  const commit = async () => {
    described.missing = missingAssets.includes(id);  // before the engine has it (which clears the list)
    await keepDecoded(id, original, d);
    await keepAsset({ sha256: sha, id, name: file.name, type: file.type, bytes: original }, showError);
    return described;
  };
  return { described, header: d.header, commit };
}

// Decodes a dropped audio file into an asset (kept here and in the browser's storage, its peaks to the
// studio, its audio to the engine) and returns its description for the studio, or null (the error shown)
// when it cannot be decoded.
async function decodeAudioFile(file) {
  let decoded;
  try {
    decoded = await decodeAudio(file);
  } catch (e) {
    showError(e.message);
    return null;
  }
  return decoded.commit();
}

// Decodes an audio file's bytes as asset `id` (audio the browser kept, asset-store.js): kept here, its
// peaks to the studio, its audio to the engine. Throws when the browser cannot decode it.
async function installAsset(id, bytes, name = '') {
  const d = await decodePlayable(bytes, name);
  await keepDecoded(id, bytes, d);
  return { source: d.source, fileRate: d.fileRate, header: d.header };
}

// Before a project opens: the audio of its assets that the browser kept (asset-store.js), so its
// tracks have it when they are built (no "missing audio" after a reload).
async function restoreKeptAudio(text) {
  const r = await restoreAssets(text, (id) => assets.has(id), installAsset, showError);
  if (r.restored.length) requestPersistence().catch(() => null);
  return r;
}

// Audio files dropped together. `at`: where ({x, y} in CSS pixels of the canvas), or null (at the start,
// on a new track). The studio places them: on a sampler they become its zones, elsewhere clips.
async function addAudioFiles(files, at = null) {
  const described = [];
  for (const file of files) {
    const d = await decodeAudioFile(file);
    if (d) described.push(d);
  }
  if (!described.length) return;
  const problems = JSON.parse(studio.addAudio(JSON.stringify(described), at ? at.x : -1, at ? at.y : -1));
  problems.forEach((problem, i) => {
    if (problem === 'exists') studio.showNotice(`Reconnected the audio of ${described[i].name}.`);  // the engine rebuilt the tracks that play it
    else if (problem) showError(`${described[i].name}: ${problem}`);
  });
}

// A recorded audio take (web/audio-input.js): its WAV becomes an asset as a dropped file does (kept in the
// browser, peaks, engine) and the studio places it at `take.startFrame` on `take.track` ("Record audio").
async function placeAudioTake(file, take) {
  const described = await (await decodeAudio(file)).commit();
  return JSON.parse(studio.recordAudioTake(JSON.stringify({ ...take, asset: described })));
}

// What kitdrop.js needs of the page. Kit drops load one after another.
const kitHost = {
  get studio() { return studio; },
  decodeAudio, addAudioFiles, showError,
  showNotice: (text) => studio.showNotice(text),
  progress(text) { progressEl.style.display = text ? 'block' : 'none'; progressEl.textContent = text || ''; },
};
let kitDrops = Promise.resolve();
const kitResults = [];  // what each kit drop did, in order (window.mixdown.kitDrops)

function installFileHandlers(canvas) {
  const input = document.getElementById('file');
  input.addEventListener('change', () => {
    const f = input.files[0];
    if (f && /\.dawproject$/i.test(f.name)) importDawprojectFile(f);
    else if (f && /\.(mid|midi|kar)$/i.test(f.name)) importMidiFile(f);
    else if (f) openProjectFile(f);
    input.value = '';
  });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    // The drop point in the canvas's CSS pixels: the studio puts the clip on the track and beat under it.
    const c = canvas.getBoundingClientRect();
    const at = { x: e.clientX - c.left, y: e.clientY - c.top };
    // A folder, a zip, an .sfz or a drumkit.xml: a sample kit with its samples (kitdrop.js).
    const items = captureDrop(e.dataTransfer);
    if (isKitDrop(items)) {
      kitDrops = kitDrops.then(() => dropKit(items, at, kitHost))
        .catch((err) => { showError(`The kit could not be loaded: ${err.message}`); return { error: err.message }; })
        .then((result) => { kitResults.push(result); });
      return;
    }
    const audioFiles = [];
    for (const file of e.dataTransfer.files) {
      if (/\.mixdown-preset\.json$/i.test(file.name)) importPresetFile(file);
      else if (/\.mixdown$/i.test(file.name)) openBundleFile(file);
      else if (/\.json$/i.test(file.name)) openProjectFile(file);
      else if (/\.(mid|midi|kar)$/i.test(file.name)) importMidiFile(file);
      else if (/\.dawproject$/i.test(file.name)) importDawprojectFile(file);
      else audioFiles.push(file);
    }
    if (audioFiles.length) addAudioFiles(audioFiles, at);
  });
  window.addEventListener('hashchange', () => { if (isShareHash(location.hash)) openFromLocation(); });
  canvas.focus();
}

// ---- offline render (same worklet, OfflineAudioContext) ---------------------------------------------
// The offline context and engine node for the song (`stems`: the worklet taps every track's stem and
// posts it back; see web/stems.js): {ctx, node, frames}.
async function renderSetup({ seconds, sampleRate = 48000, stems = false } = {}) {
  const project = JSON.parse(studio.projectJson());
  project.loop.enabled = false; // an offline render plays the song through
  // Without `seconds`: the length the native renderer gives (the core's own defaultRenderFrames).
  const frames = seconds !== undefined ? Math.round(seconds * sampleRate) : studio.defaultRenderFrames(sampleRate);
  // Every asset a clip or a sampler zone plays.
  const used = new Set(project.tracks.flatMap((t) => [...t.clips.map((c) => c.asset), ...((t.instrument && t.instrument.zones) || []).map((z) => z.asset)]).filter(Boolean));
  const assetList = [];
  for (const id of used) {
    const channels = await assetChannels(id, sampleRate);
    if (channels) assetList.push({ id, channels });
  }
  const ctx = new OfflineAudioContext(2, frames, sampleRate);
  await ctx.audioWorklet.addModule('engine-processor.js');
  const node = new AudioWorkletNode(ctx, 'mixdown-engine', {
    numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2],
    processorOptions: { project: JSON.stringify(project), assets: assetList, play: true, stems, stemFrames: frames },
  });
  node.connect(ctx.destination);
  return { ctx, node, frames };
}

async function renderOffline({ seconds, sampleRate = 48000 } = {}) {
  const { ctx, frames } = await renderSetup({ seconds, sampleRate });
  // Progress: suspend once a second of rendered audio, update the display, resume.
  const total = frames / sampleRate;
  progressEl.style.display = 'block';
  for (let t = 1; t < total; t += 1) {
    ctx.suspend(t).then(() => { progressEl.textContent = `Rendering ${Math.round((100 * t) / total)}%`; ctx.resume(); });
  }
  progressEl.textContent = 'Rendering 0%';
  try {
    const buffer = await ctx.startRendering();
    return { sampleRate, channels: [buffer.getChannelData(0), buffer.getChannelData(1)] };
  } finally {
    progressEl.style.display = 'none';
  }
}

// ---- export master: offline render -> core mastering (wasm) -> WAV download -------------------------
let masteringModule = null;
async function exportMaster({ targetLufs = -14, ceilingDbtp = -1, bits = 24, download = true } = {}) {
  const { sampleRate, channels } = await renderOffline();
  progressEl.style.display = 'block';
  progressEl.textContent = `Mastering to ${targetLufs} LUFS, ${ceilingDbtp} dBTP...`;
  await new Promise((r) => setTimeout(r, 30));  // let the progress text paint: the next step is one long call
  try {
    if (!masteringModule) masteringModule = (await import('./engine.mjs')).default();
    const M = masteringModule;
    const job = new M.WasmMastering();
    try {
      job.setInput(channels.length, channels[0].length, sampleRate);
      channels.forEach((data, c) => M.HEAPF32.set(data, job.inputPointer(c) >> 2));
      const report = JSON.parse(job.master(targetLufs, ceilingDbtp, bits));
      if (!report.ok) throw new Error(report.error);
      const frames = job.outputFrames();
      const out = channels.map((_, c) => M.HEAPF32.slice(job.outputPointer(c) >> 2, (job.outputPointer(c) >> 2) + frames));
      const wav = encodeWav(out, sampleRate, bits);
      const title = (JSON.parse(studio.projectJson()).title || 'master').replace(/[^A-Za-z0-9 _-]+/g, '').trim() || 'master';
      const filename = `${title} (master ${targetLufs} LUFS).wav`;
      if (download) downloadBlob(filename, new Blob([wav], { type: 'audio/wav' }));
      return { filename, wav, ...report };
    } finally {
      job.release();
      job.delete();
    }
  } finally {
    progressEl.style.display = 'none';
  }
}

// ---- window.mixdown --------------------------------------------------------------------------------
window.mixdown = {
  async loadProject(json) { await openProjectText(typeof json === 'string' ? json : JSON.stringify(json), 'project'); },
  project() { return JSON.parse(studio.projectJson()); },
  // Applies edit messages ({edits: [...]}, the form the studio sends the engine; see README.md) to the
  // project as one undoable step; throws with the problems (JSON paths) when any is refused.
  applyEdits(edits, label = 'Edit') {
    const problems = studio.applyEdits(typeof edits === 'string' ? edits : JSON.stringify(edits), label);
    if (problems) throw new Error(problems.trim());
  },
  shareUrl,
  shareUrlV1() { return makeShareUrlV1(studio, `${location.origin}${location.pathname}`); },  // the old JSON link
  async play() { if (audio) await audio.ctx.resume(); underrunsAtPlay = Math.max(0, underrunCount()); toEngine({ type: 'play' }); },
  stop() { toEngine({ type: 'stop' }); },
  seek(beat) { toEngine({ type: 'seek', beat }); },
  status() { return { ...lastStatus, peaks: Array.from(lastStatus.peaks || []), reductions: Array.from(lastStatus.reductions || []) }; },
  // Calls `watch` with each status the engine sends (as status() returns it; the worklet sends one per
  // 1/30 s of audio it renders); returns a function that stops it.
  watchStatus(watch) { statusWatchers.add(watch); return () => statusWatchers.delete(watch); },
  error() { return studio ? studio.error() : statusEl.textContent; },
  missingAssets() { return [...missingAssets]; },
  // What each finished kit drop did, in order: {name, kit, zones, samples, warnings, track, notice}, {error}, or
  // {audio: count} (a folder or zip of audio files without a kit).
  kitDrops() { return kitResults.map((r) => ({ ...r })); },
  // The browser's storage as the page uses it: {persisted, usage, quota, assets: [{sha256, id, name, size}]}
  // and what the start of the studio deleted (`collected`); offline(): the service worker's state.
  async storage() { return { ...(await storageReport()), collected: collectedAtStart }; },
  offline: offlineReport,
  renderOffline,
  exportMaster,
  // exportMidi({download}) -> {filename, bytes (Uint8Array), notes, warnings}; importMidi(bytes, name) ->
  // {error, warnings}, as a drop of that file does.
  exportMidi,
  importMidi(bytes, name = 'song.mid') { return importMidiFile(new File([bytes], name)); },
  // saveBundle({download}) -> {filename, bytes (Uint8Array of the .mixdown), files}; openBundle(bytes, name)
  // -> {files, warnings} or {error}, as opening that file does; exportStems({download, bits, sampleRate, seconds})
  // -> {filename, zip, files: [{path, kind, inMix, track, channels}], sampleRate, frames}.
  saveBundle: saveBundleFile,
  openBundle(bytes, name = 'song.mixdown') { return openBundleFile(new File([bytes], name)); },
  exportStems: exportStemsZip,
  // exportDawproject({download}) -> {filename, bytes (Uint8Array, the zip), warnings}; importDawproject(bytes,
  // name) -> {error, warnings, audio}, as a drop of that file does.
  exportDawproject,
  importDawproject(bytes, name = 'song.dawproject') { return importDawprojectFile(new File([bytes], name)); },
  // Master loudness as the studio shows it: {momentary, shortTerm, integrated, range, truePeak, ...}.
  loudness() {
    const l = lastStatus.loudness || [];
    const names = ['momentary', 'shortTerm', 'integrated', 'range', 'truePeak', 'maxMomentary', 'maxShortTerm', 'seconds', 'limiterReduction', 'correlation'];
    return Object.fromEntries(names.map((n, i) => [n, l[i] ?? null]));
  },
  resetLoudness() { toEngine({ type: 'resetLoudness' }); },
  // The engine's load over the last status period: {meanMs, maxMs, quantumMs, underruns, edits, editMs,
  // maxEditMs} (underruns: AudioContext.playbackStats.underrunEvents, -1 where the browser has none).
  load() { return lastLoad ? { ...lastLoad } : null; },
  loadHistory() { return loadHistory.map((l) => ({ ...l })); },  // per status: {ms, quanta, maxMs, editMs, edits, maxEditMs, at}
  underruns: underrunCount,
  // The project as the engine plays it (after every edit it was sent), for comparing with project().
  async engineProject() {
    // The studio sends its edits at the end of a frame: two frames from now every edit made so far is out.
    for (let k = 0; k < 2; ++k) await new Promise((resolve) => requestAnimationFrame(resolve));
    return new Promise((resolve) => {
      const id = ++engineProjectRequests;
      engineProjectWaiters.set(id, resolve);
      toEngine({ type: 'projectJson', id });
    });
  },
  // The live output as the speakers get it (the worklet's output after the metronome, not an offline
  // render): the next `seconds` of it, with the transport position of its first frame.
  // Resolves to {position, sampleRate, channels: [Float32Array, Float32Array]}.
  tapOutput(seconds) {
    if (!audio) return Promise.reject(new Error('no audio context'));
    return new Promise((resolve) => {
      const id = ++engineProjectRequests;
      tapWaiters.set(id, resolve);
      toEngine({ type: 'tap', id, frames: Math.round(seconds * audio.ctx.sampleRate) });
    });
  },
  // Resolves once every mouse and key event so far has reached the studio's widgets (ImGui takes queued
  // input over the following frames) and the frame after has been drawn: what a script waits on after a
  // gesture, instead of the clock.
  async settled() {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    do await frame(); while (studio && studio.inputPending() > 0);
    await frame();
  },
  // Test-only hook: rectangles of named widgets in CSS pixels relative to the page (the studio lays
  // itself out in CSS pixels relative to the canvas).
  widgetRects() {
    const c = document.getElementById('canvas').getBoundingClientRect();
    const rects = JSON.parse(studio.widgetRects());
    for (const r of Object.values(rects)) { r.x += c.left; r.y += c.top; }
    return rects;
  },
  // Test-only hook: the studio's text colours and the surfaces each is drawn on, [{name, text, background}].
  themeColourPairs() { return JSON.parse(studio.themeColourPairs()); },
  ready: false,
};

// ---- boot ------------------------------------------------------------------------------------------
async function boot() {
  if (typeof WebAssembly !== 'object' || !window.AudioWorkletNode) {
    showFatal('Mixdown needs a browser with WebAssembly and AudioWorklet (a current Chrome, Edge, Firefox or Safari).');
    return;
  }
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = 'studio.js';
    s.onload = resolve;
    s.onerror = () => reject(new Error('studio.js could not be loaded'));
    document.head.appendChild(s);
  });
  const canvas = document.getElementById('canvas');
  const fit = () => { canvas.width = Math.floor(canvas.clientWidth); canvas.height = Math.floor(canvas.clientHeight); };
  fit();
  // The studio's fonts (Inter, from Debian's fonts-inter, copied in by the build): fetched before the
  // studio starts, which rasterises them for the screen's pixel density. Without them it falls back to
  // ImGui's built-in font and says so in the console.
  const mixdownFonts = await Promise.all(['fonts/Inter-Regular.otf', 'fonts/Inter-SemiBold.otf'].map(
    (url) => fetch(url).then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null)));
  studio = await globalThis.createStudio({ canvas, mixdownFonts, print: (t) => console.log(t), printErr: (t) => console.warn(t) });
  try {
    await startAudio();
  } catch (e) {
    showError(`Audio could not start (${e.message}). The studio works, but nothing will sound.`);
  }
  statusEl.classList.add('hidden');
  installFileHandlers(canvas);
  restoreUserPresets();
  const keptSession = readAutosave();
  await openFromLocation();
  startAutosave();
  installAudioInput({
    studio, toEngine, audioContext: () => (audio ? audio.ctx : null), engineNode: () => (audio ? audio.node : null),
    status: () => window.mixdown.status(), watchStatus: window.mixdown.watchStatus, notice: (t) => studio.showNotice(t), error: showError, placeTake: placeAudioTake,
  });
  installLiveInput({
    studio, toEngine, audioContext: () => (audio ? audio.ctx : null), status: () => window.mixdown.status(),
    watchStatus: window.mixdown.watchStatus, play: () => window.mixdown.play(),
    notice: (t) => studio.showNotice(t), error: showError,
  });
  // Stored audio that neither the song opened nor the session kept from last time uses: the undo history
  // that could have brought it back did not outlive the last page (asset-store.js).
  // Takes a closed tab was recording become their clips first (their audio is then the project's).
  await recoverTakes();
  collectedAtStart = await collectAtStart([studio.projectJson(), keptSession || '']);
  registerOffline(showNotice);
  window.mixdown.ready = true;
  window.dispatchEvent(new Event('mixdown-ready'));
}

window.addEventListener('error', (e) => showError(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => showError(`Unexpected error: ${e.reason && e.reason.message ? e.reason.message : e.reason}`));
boot().catch((e) => showFatal(`Mixdown could not start: ${e.message}`));
