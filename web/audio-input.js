// Audio recording on the page: the input device (getUserMedia with echo cancellation, noise suppression
// and automatic gain off: a take is the signal as the interface gives it), its meter, direct monitoring,
// the latency offset, and takes.
//
// - The input opens when an audio track is armed (R on its header) and closes when none is (and no take
//   runs). It feeds input 0 of the engine's worklet (engine-processor.js), which measures its peaks and,
//   while a take runs and the transport plays the song (not during a count-in), copies it in chunks of
//   ~0.26 s, each tagged with the transport frame of its first frame.
// - Every chunk is stored in IndexedDB (asset-store.js: TAKES, TAKE_CHUNKS) as it arrives, so a tab that
//   dies mid-take loses under a second: the next start of the studio makes a clip of what was stored
//   (recoverTakes), as it would have at the take's end.
// - At the take's end its audio becomes a 32-bit float WAV asset (kept in the browser like a dropped file)
//   and a clip on the armed track, placed where the take really happened: the transport frame of the
//   first recorded frame less the path's latency (what the player heard was played baseLatency +
//   outputLatency after the worklet rendered it, and what they played reaches the worklet the input's
//   latency later, as the track's settings report it), plus the manual offset (settings, in ms; the
//   loopback calibration measures it). Frames before the song's start are cut.
import { storeTake, storeTakeChunk, storedTakes, storedTakeChunks, deleteTake, isQuotaError } from './asset-store.js';
import { encodeWav } from './pcm.js';

const DEVICE_KEY = 'mixdown.input.device';
const OFFSET_KEY = 'mixdown.input.offsetMs';
const MAX_OFFSET_MS = 500;
const INPUT_CHUNK = 12288, INPUT_POOL = 8;  // as engine-processor.js has them

// env: {studio, toEngine, audioContext(), engineNode(), status(), watchStatus, notice, error, placeTake(file, take)}
let env = null;
const input = {
  stream: null, source: null, opening: null, deviceId: localStorage.getItem(DEVICE_KEY) || '', devices: [], label: '',
  latency: 0, channels: 0, monitor: false, offsetMs: clampOffset(Number(localStorage.getItem(OFFSET_KEY))), peak: [0, 0],
  message: '', wanted: false, override: null,
};
const takes = new Map();  // take id -> the running take (see beginAudioTake)
let lastTake = null;      // what the last finished take did (window.mixdown.audioInput.lastTake)
const recovered = [];     // what recoverTakes made clips of

function clampOffset(ms) { return Number.isFinite(ms) ? Math.max(-MAX_OFFSET_MS, Math.min(MAX_OFFSET_MS, ms)) : 0; }

function liveState() {
  try { return JSON.parse(env.studio.liveState()); } catch { return { audioTarget: '' }; }
}

// ---- the device --------------------------------------------------------------------------------------
async function openInput() {
  if (input.stream) return;
  if (input.opening) { await input.opening; return; }
  const ctx = env.audioContext();
  if (!ctx || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    input.message = 'This browser gives the page no audio input';
    drawPanel();
    return;
  }
  input.opening = (async () => {
    const ask = (deviceId) => navigator.mediaDevices.getUserMedia({ audio: {
      echoCancellation: false, noiseSuppression: false, autoGainControl: false, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
    try {
      let stream = input.override && input.override.stream;
      if (!stream) {
        try { stream = await ask(input.deviceId); } catch (e) {
          if (!input.deviceId || (e.name !== 'OverconstrainedError' && e.name !== 'NotFoundError')) throw e;
          input.deviceId = '';  // the device chosen last time is gone: the default one
          stream = await ask('');
        }
      }
      if (!input.wanted) { if (!input.override) for (const t of stream.getTracks()) t.stop(); return; }  // disarmed meanwhile
      const track = stream.getAudioTracks()[0];
      const settings = track.getSettings ? track.getSettings() : {};
      Object.assign(input, { stream, source: ctx.createMediaStreamSource(stream), label: input.override ? 'Loopback (the output)' : track.label || 'Input',
        latency: Number.isFinite(settings.latency) ? settings.latency : 0, message: '' });
      input.source.connect(env.engineNode());
      track.addEventListener('ended', () => {
        input.message = `${input.label} went away (unplugged?)`;
        closeInput();
      });
      await listDevices();
    } catch (e) {
      input.message = e.name === 'NotAllowedError' ? 'The microphone is blocked: allow it (the icon in the address bar), then arm again'
        : e.name === 'NotFoundError' ? 'No audio input is connected' : `The audio input could not open (${e.message || e.name})`;
      env.error(input.message);
    } finally {
      input.opening = null;
      drawPanel();
    }
  })();
  await input.opening;
}

function closeInput() {
  if (input.source) input.source.disconnect();
  if (input.stream && !(input.override && input.override.stream === input.stream)) for (const t of input.stream.getTracks()) t.stop();
  Object.assign(input, { stream: null, source: null, channels: 0, peak: [0, 0] });
  drawPanel();
}

async function listDevices() {
  try {
    input.devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput')
      .map((d, i) => ({ id: d.deviceId, name: d.label || `Input ${i + 1}` }));
  } catch { input.devices = []; }
  drawPanel(true);
}

async function chooseDevice(id) {
  input.deviceId = id;
  localStorage.setItem(DEVICE_KEY, id);
  if (takes.size) return;  // the take goes on from the device it started with
  closeInput();
  if (input.wanted) await openInput();
}

function setMonitor(on) {
  input.monitor = !!on;
  env.toEngine({ type: 'input', monitor: input.monitor });
  drawPanel();
}

function setOffsetMs(ms) {
  input.offsetMs = clampOffset(Number(ms));
  localStorage.setItem(OFFSET_KEY, String(input.offsetMs));
  drawPanel();
}

// Follows arming a few times a second: the input is open while an audio track is armed.
function followArm() {
  if (!env || !env.studio) return;
  placePanel();
  const armed = !!liveState().audioTarget;
  if (armed !== input.wanted) {
    input.wanted = armed;
    if (armed) openInput(); else if (!takes.size) { closeInput(); input.message = ''; }
    drawPanel();
  }
}

function onStatus(status) {
  const s = status.input;
  if (!s) return;
  input.channels = s.channels;
  input.peak = s.peak;
  // The arrangement's picture of the take as it records: this status period's peak where it lands.
  const t = s.recording && takes.get(s.take);
  if (t) env.studio.addTakePeak(status.position - t.meta.compensation, Math.max(...s.peak.slice(0, Math.max(1, s.channels))));
  drawMeter();
}

// ---- takes -------------------------------------------------------------------------------------------
// The frames a take's audio lags the song: the input's latency, the output's (what the player heard),
// and the manual offset.
function compensationFrames(ctx) {
  return Math.round((input.latency + (ctx.baseLatency || 0) + (ctx.outputLatency || 0) + input.offsetMs / 1000) * ctx.sampleRate);
}

const pad = (n) => String(n).padStart(2, '0');
function takeName(date = new Date()) {
  return `Take ${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}.${pad(date.getMinutes())}.${pad(date.getSeconds())}.wav`;
}

// Starts a take on audio track `track`: the worklet records from the first quantum the song plays.
// Returns the take's id, or null (said why) when the input is not open.
export function beginAudioTake(track) {
  const ctx = env && env.audioContext();
  if (!ctx || !input.stream) {
    env.notice(input.message || 'The audio input is not open yet (arm an audio track and allow the microphone).');
    return null;
  }
  const id = `take-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const meta = { id, track, sampleRate: ctx.sampleRate, compensation: compensationFrames(ctx), name: takeName(), startedAt: Date.now() };
  const t = { meta, chunks: [], writes: [storeTake(meta).catch((e) => storeProblem(e))], frames: 0, stored: 0, firstPosition: null };
  t.done = new Promise((resolve) => { t.finish = resolve; });
  takes.set(id, t);
  // Held while the take runs, so another tab's start never takes it for one a dead tab left.
  if (navigator.locks) navigator.locks.request(`mixdown.take.${id}`, () => t.done).catch(() => null);
  // The worklet's chunk buffers, made here (the audio thread allocates nothing for a take).
  const buffers = Array.from({ length: INPUT_POOL }, () => [new Float32Array(INPUT_CHUNK), new Float32Array(INPUT_CHUNK)]);
  env.toEngine({ type: 'inputRecord', id, on: true, buffers }, buffers.flat().map((b) => b.buffer));
  drawPanel();
  return id;
}

// Ends take `id`; resolves to what finishTake did (null for no take).
export function endAudioTake(id) {
  const t = takes.get(id);
  if (!t) return Promise.resolve(null);
  env.toEngine({ type: 'inputRecord', id, on: false });
  return t.done;
}

let quotaSaid = false;
function storeProblem(e) {
  if (quotaSaid) return;
  quotaSaid = true;
  env.error(isQuotaError(e) ? 'The browser\'s storage for this site is full: the take goes on recording in memory, but a tab that closes now loses it. Free space and record again to be safe.'
    : `The take is not being kept while it records (IndexedDB: ${e && e.message ? e.message : e}); it is placed when it ends.`);
}

// A chunk from the worklet: kept in memory and in IndexedDB; its buffers go back for the next chunks.
function onChunk(msg) {
  const t = takes.get(msg.id);
  if (t && msg.frames > 0) {
    const rec = { take: msg.id, seq: msg.seq, position: msg.position, frames: msg.frames,
      channels: msg.buffers.slice(0, msg.channelCount).map((b) => b.slice(0, msg.frames)) };
    if (t.firstPosition === null) t.firstPosition = msg.position;
    t.chunks.push(rec);
    t.frames += msg.frames;
    t.writes.push(storeTakeChunk(rec).then(() => { t.stored += rec.frames; }, (e) => storeProblem(e)));
  }
  env.toEngine({ type: 'inputBuffers', buffers: [msg.buffers] }, msg.buffers.map((b) => b.buffer));
  if (t && msg.last) finishTake(t);
}

async function finishTake(t) {
  await Promise.all(t.writes);
  takes.delete(t.meta.id);
  let result = null;
  try {
    result = await placeChunks(t.meta, t.chunks);
    lastTake = result && { ...result, firstPosition: t.firstPosition, compensation: t.meta.compensation, recordedFrames: t.frames };
    if (result && !result.error) {
      const seconds = (result.frames / t.meta.sampleRate).toFixed(1);
      env.notice(`Recorded ${seconds} s of audio at beat ${Number(result.clip.start.toFixed(3))}.`);
    }
  } catch (e) {
    env.error(`The take could not be placed (${e && e.message ? e.message : e}); it stays stored and is placed at the next start.`);
  } finally {
    t.finish(result);
    if (!input.wanted && !takes.size) closeInput();
    drawPanel();
  }
  return result;
}

// Makes the clip of a take's chunks (meta: its TAKES record): the WAV, the asset, the clip on the song;
// the take's records go once the clip is there. Resolves to {error, clip, frames, startFrame, cut} or null
// when nothing was recorded.
async function placeChunks(meta, chunks) {
  chunks.sort((a, b) => a.seq - b.seq);
  const total = chunks.reduce((n, c) => n + c.frames, 0);
  let startFrame = total ? chunks[0].position - meta.compensation : 0;
  const cut = Math.min(total, Math.max(0, -startFrame));  // frames played before the song's start
  startFrame = Math.max(0, startFrame);
  if (total - cut <= 0) {
    await deleteTake(meta.id).catch(() => null);
    if (!total) env.notice('Nothing was recorded: the take ended before the song played.');
    return null;
  }
  const count = Math.max(1, ...chunks.map((c) => c.channels.length));
  const data = Array.from({ length: count }, () => new Float32Array(total - cut));
  let at = -cut;
  for (const c of chunks) {
    for (let ch = 0; ch < count; ++ch) {
      const src = c.channels[Math.min(ch, c.channels.length - 1)];
      const from = Math.max(0, -at);
      if (from < c.frames) data[ch].set(src.subarray(from, c.frames), at + from);
    }
    at += c.frames;
  }
  const file = new File([encodeWav(data, meta.sampleRate, 32)], meta.name, { type: 'audio/wav' });
  const result = await env.placeTake(file, { track: meta.track, sampleRate: meta.sampleRate, startFrame });
  if (result.error) env.error(`The take was not placed: ${result.error}`);
  else await deleteTake(meta.id).catch(() => null);
  return { ...result, frames: total - cut, startFrame, cut };
}

// At the studio's start: every take a closed tab left (recording when it died, or not yet placed)
// becomes its clip; a take another open tab is recording (it holds its lock) is left alone.
export async function recoverTakes() {
  let metas = [];
  try { metas = await storedTakes(); } catch { return recovered; }
  for (const meta of metas) {
    if (takes.has(meta.id)) continue;
    const recover = async () => {
      const chunks = await storedTakeChunks(meta.id);
      const result = await placeChunks(meta, chunks);
      if (result && !result.error) {
        recovered.push({ ...result, id: meta.id });
        env.notice(`Recovered ${(result.frames / meta.sampleRate).toFixed(1)} s of audio that was recording when the page closed (at beat ${Number(result.clip.start.toFixed(3))}).`);
      }
    };
    try {
      if (navigator.locks) await navigator.locks.request(`mixdown.take.${meta.id}`, { ifAvailable: true }, (lock) => (lock ? recover() : null));
      else await recover();
    } catch (e) {
      env.error(`A take left by a closed page could not be recovered (${e && e.message ? e.message : e}).`);
    }
  }
  return recovered;
}

export function audioInputFromEngine(msg) {
  if (!env) return;
  if (msg.type === 'inputChunk') onChunk(msg);
  else if (msg.type === 'calibrated' && calibration && calibration.id === msg.id) calibration.resolve(msg);
}

// ---- the loopback calibration ------------------------------------------------------------------------
// With the microphone held to the speaker (or a cable from the output to the input), the worklet plays
// CAL_CLICKS clicks CAL_INTERVAL s apart and records the input meanwhile. Each click's round trip is the
// time from the frame it was rendered on to its onset in the recording (the first sample at half the
// peak heard in the CAL_MAX_S after it; the same detector on the click's own shape is subtracted, so
// the click's rise is no part of it). Their median is what a take lags the song in fact: the offset is
// that less the latency the browser reports (input + base + output).
const CAL_CLICKS = 6, CAL_INTERVAL = 0.5, CAL_LEAD = 0.1, CAL_MAX_S = 0.45, CAL_QUIET = 10 ** (-50 / 20);
let calibration = null;

function clickShape(rate) {
  // 3 ms of a 2 kHz sine in a fast decay: a sharp onset a speaker plays and a microphone hears.
  return Float32Array.from({ length: Math.round(0.003 * rate) }, (_, i) => 0.5 * Math.sin(2 * Math.PI * 2000 * i / rate) * Math.exp(-i / (0.001 * rate)));
}

function onsetIn(x, from, to) {
  let peak = 0;
  for (let i = from; i < to; ++i) peak = Math.max(peak, Math.abs(x[i]));
  if (peak < CAL_QUIET) return { at: -1, peak };
  for (let i = from; i < to; ++i) if (Math.abs(x[i]) >= peak / 2) return { at: i, peak };
  return { at: -1, peak };
}

// Resolves to {roundTripMs, reportedMs, offsetMs (set unless `apply` is false), clicks (heard),
// spreadMs} or {error}.
async function calibrate({ apply = true } = {}) {
  const ctx = env.audioContext();
  const say = (error) => { input.message = error; drawPanel(); return { error }; };
  if (!ctx || !input.stream) return say('Arm an audio track first: the calibration listens to its input.');
  if (takes.size || calibration) return say('A take or a calibration is running.');
  if (env.status().playing) return say('Stop the song to calibrate (it would be heard with the clicks).');
  const rate = ctx.sampleRate, click = clickShape(rate);
  const clicks = Array.from({ length: CAL_CLICKS }, (_, k) => Math.round((CAL_LEAD + k * CAL_INTERVAL) * rate));
  const buffer = new Float32Array(clicks.at(-1) + Math.round((CAL_INTERVAL + 0.1) * rate));
  const monitor = input.monitor;
  if (monitor) setMonitor(false);  // the clicks heard again would ring
  input.message = 'Calibrating: listening to the clicks...';
  drawPanel();
  await ctx.resume();
  const id = Date.now();
  const reply = await new Promise((resolve) => {
    calibration = { id, resolve };
    env.toEngine({ type: 'calibrate', id, clicks, click, buffer }, [buffer.buffer]);
  });
  calibration = null;
  if (monitor) setMonitor(true);
  // Each click in a window of its own (CAL_MAX_S < CAL_INTERVAL: a click never lands in the next one's).
  const ref = onsetIn(click, 0, click.length).at;
  const rt = clicks.map((c, k) => [onsetIn(reply.buffer, c, Math.min(reply.buffer.length, c + Math.round(CAL_MAX_S * rate))).at, k])
    .filter(([at]) => at >= 0).map(([at, k]) => at - clicks[k] - ref).sort((a, b) => a - b);
  if (rt.length < CAL_CLICKS - 1) {
    return say(`The clicks did not come back (${rt.length} of ${CAL_CLICKS} heard): hold the microphone to the speaker, or turn it up, and calibrate again.`);
  }
  const median = rt[rt.length >> 1];
  const spreadMs = (rt.at(-1) - rt[0]) / rate * 1000;
  if (spreadMs > 2) return say(`The clicks came back at times ${spreadMs.toFixed(1)} ms apart: too noisy to calibrate. Try a quieter room or a cable.`);
  const reported = compensationFrames(ctx) - Math.round(input.offsetMs / 1000 * rate);
  const result = { roundTripMs: median / rate * 1000, reportedMs: reported / rate * 1000, offsetMs: (median - reported) / rate * 1000, clicks: rt.length, spreadMs };
  if (apply) setOffsetMs(Math.round(result.offsetMs * 10) / 10);
  input.message = `Round trip ${result.roundTripMs.toFixed(1)} ms (the browser reports ${result.reportedMs.toFixed(1)} ms)${apply ? `: offset ${input.offsetMs.toFixed(1)} ms` : ''}`;
  drawPanel();
  return result;
}

// A loopback cable in software: the engine's output, `delayMs` later, is the input (in place of the
// device), for trying the calibration and for tests; null goes back to the device.
async function loopback(delayMs) {
  const ctx = env.audioContext();
  if (input.override) { input.override.delay.disconnect(); input.override = null; }
  closeInput();
  if (delayMs !== null && delayMs !== undefined && ctx) {
    const delay = ctx.createDelay(1);
    delay.delayTime.value = Math.max(0, Math.min(1, Number(delayMs) / 1000 || 0));
    const sink = ctx.createMediaStreamDestination();
    env.engineNode().connect(delay).connect(sink);
    input.override = { delay, stream: sink.stream };
  }
  if (input.wanted) await openInput();
  return !!input.override;
}

// ---- the panel ---------------------------------------------------------------------------------------
let panel = null;
function buildPanel() {
  const style = document.createElement('style');
  style.textContent = `
#audio-input { position: fixed; left: 10px; bottom: 8px; background: #232329f2; border: 1px solid #3a3a44; border-radius: 6px;
  padding: 6px 10px; font: 12px system-ui, sans-serif; color: #ccc; display: flex; gap: 10px; align-items: center; z-index: 5; user-select: none; }
#audio-input.hidden { display: none; }
#audio-input button { background: #3a3a46; color: #ddd; border: 1px solid #4a4a58; border-radius: 4px; padding: 3px 9px; font: inherit; cursor: pointer; }
#audio-input button.on { background: #3d6fb8; border-color: #5b8fd8; color: #fff; }
#audio-input button:disabled { opacity: 0.45; cursor: default; }
#audio-input select, #audio-input input { background: #2c2c34; color: #ddd; border: 1px solid #4a4a58; border-radius: 3px; font: inherit; }
#audio-input select { max-width: 180px; }
#audio-input input { width: 48px; }
#audio-input .meter { display: flex; flex-direction: column; gap: 2px; width: 90px; }
#audio-input .bar { height: 5px; background: #15151a; border-radius: 2px; overflow: hidden; }
#audio-input .bar div { height: 100%; width: 0; background: linear-gradient(90deg, #3cb371 0 70%, #e0c040 70% 90%, #e04040 90%); background-size: 90px 100%; }
#audio-input .rec { color: #ff6060; font-weight: 600; }
#audio-input .dim { color: #888; }
#audio-input .title { font-weight: 600; color: #ddd; }`;
  document.head.appendChild(style);
  panel = document.createElement('div');
  panel.id = 'audio-input';
  panel.className = 'hidden';
  panel.innerHTML = `<span class="title">Input</span>
<select data-device title="The audio input (the browser asks to allow the microphone)"></select>
<div class="meter" title="Input level (peak)"><div class="bar"><div data-l></div></div><div class="bar"><div data-r></div></div></div>
<span data-db class="dim">-inf dB</span>
<button data-monitor title="Hear the input through the speakers (use headphones: speakers feed back into a microphone)">Monitor</button>
<button data-calibrate title="Measures the round trip from the speakers to the input: hold the microphone to the speaker (or connect the output to the input) with the song stopped. Sets the offset.">Calibrate</button>
<label title="Added to the measured latency when a take is placed (later: positive)">Offset <input data-offset type="number" step="0.1" min="-${MAX_OFFSET_MS}" max="${MAX_OFFSET_MS}"> ms</label>
<span data-message class="dim"></span>`;
  document.body.appendChild(panel);
  panel.querySelector('[data-device]').addEventListener('change', (e) => chooseDevice(e.target.value));
  panel.querySelector('[data-monitor]').addEventListener('click', () => setMonitor(!input.monitor));
  panel.querySelector('[data-calibrate]').addEventListener('click', () => calibrate());
  const offset = panel.querySelector('[data-offset]');
  offset.addEventListener('change', () => setOffsetMs(offset.value));
  // Typing in the field is not playing the keyboard piano or the studio's shortcuts.
  for (const type of ['keydown', 'keyup']) panel.addEventListener(type, (e) => e.stopPropagation());
  drawPanel(true);
}

function drawPanel(devicesChanged = false) {
  if (!panel) return;
  panel.classList.toggle('hidden', !input.wanted && !takes.size && !input.stream);
  panel.querySelector('[data-monitor]').classList.toggle('on', input.monitor);
  const offset = panel.querySelector('[data-offset]');
  if (document.activeElement !== offset) offset.value = String(input.offsetMs);
  const recording = takes.size > 0;
  const message = panel.querySelector('[data-message]');
  message.className = recording ? 'rec' : 'dim';
  message.textContent = recording ? 'Recording' : input.message || (input.opening ? 'Opening the input...' : input.stream ? `${input.channels || ''}${input.channels === 1 ? ' channel' : input.channels ? ' channels' : ''}` : '');
  const device = panel.querySelector('[data-device]');
  device.disabled = recording || !!input.override;
  panel.querySelector('[data-calibrate]').disabled = recording || !!calibration || !input.stream;
  if (devicesChanged) {
    const list = input.devices.length ? input.devices : [{ id: '', name: input.label || 'Default input' }];
    device.innerHTML = list.map((d) => `<option value="${d.id.replace(/"/g, '')}">${d.name.replace(/[<>&"]/g, '')}</option>`).join('');
    const current = input.stream && input.stream.getAudioTracks()[0];
    const id = current && current.getSettings ? current.getSettings().deviceId : input.deviceId;
    if (list.some((d) => d.id === id)) device.value = id;
  }
}

const dbOf = (peak) => (peak > 0 ? 20 * Math.log10(peak) : -Infinity);
// The meter as a peak meter reads: the bars fall back at 20 dB/s, the number holds the highest peak for
// 2 s (red at 0 dBFS and over: the take clips).
const meter = { bars: [-Infinity, -Infinity], hold: -Infinity, holdAt: 0, at: 0 };
function drawMeter() {
  if (!panel || panel.classList.contains('hidden')) return;
  const t = performance.now(), fall = (t - meter.at) / 1000 * 20;
  meter.at = t;
  const [l, r] = input.peak;
  const levels = [dbOf(l), dbOf(input.channels > 1 ? r : l)];
  for (let c = 0; c < 2; ++c) meter.bars[c] = Math.max(levels[c], meter.bars[c] - fall);
  const peak = Math.max(...levels);
  if (peak >= meter.hold || t - meter.holdAt > 2000) { meter.hold = peak; meter.holdAt = t; }
  const width = (db) => `${Math.max(0, Math.min(100, (db + 60) / 60 * 100))}%`;
  panel.querySelector('[data-l]').style.width = width(meter.bars[0]);
  panel.querySelector('[data-r]').style.width = width(meter.bars[1]);
  const label = panel.querySelector('[data-db]');
  label.textContent = Number.isFinite(meter.hold) ? `${meter.hold.toFixed(1)} dB` : '-inf dB';
  label.style.color = meter.hold >= -0.1 ? '#ff6060' : '';
}

// Above the keyboard strip (web/live-input.js) when that is open and would cover the panel; and the
// studio's notices above both where they cover the bottom centre (where notices show).
let inset = -1;
function placePanel() {
  if (!panel) return;
  const strip = document.getElementById('live-strip');
  const a = strip ? strip.getBoundingClientRect() : null;
  const shown = (r) => r && r.width > 0 && r.height > 0;
  if (!panel.classList.contains('hidden')) {
    const b = panel.getBoundingClientRect();
    const covers = shown(a) && a.left < b.right && b.left < a.right;
    panel.style.bottom = covers ? `${Math.round(innerHeight - a.top + 6)}px` : '8px';
  }
  const centre = [innerWidth / 2 - 360, innerWidth / 2 + 360];
  const b = panel.classList.contains('hidden') ? null : panel.getBoundingClientRect();
  const over = [a, b].filter((r) => shown(r) && r.left < centre[1] && centre[0] < r.right).map((r) => innerHeight - r.top);
  const px = Math.round(Math.max(0, ...over));
  if (px !== inset && env.studio.setBottomInset) { inset = px; env.studio.setBottomInset(px); }
}

// ---- installation ------------------------------------------------------------------------------------
export function installAudioInput(environment) {
  env = environment;
  env.watchStatus(onStatus);
  buildPanel();
  setInterval(followArm, 250);
  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) navigator.mediaDevices.addEventListener('devicechange', listDevices);
  window.mixdown.audioInput = {
    // {open, wanted, label, deviceId, channels, latencyMs (the input's, as the device reports it), monitor,
    // offsetMs, peakDb, message, recording: [take ids], compensationFrames (a take started now)}
    state() {
      const ctx = env.audioContext();
      const current = input.stream && input.stream.getAudioTracks()[0];
      return { open: !!input.stream, loopback: !!input.override, wanted: input.wanted, label: input.label, deviceId: current && current.getSettings ? current.getSettings().deviceId : '',
        channels: input.channels, latencyMs: input.latency * 1000, monitor: input.monitor, offsetMs: input.offsetMs,
        peakDb: dbOf(Math.max(...input.peak)), message: input.message, recording: [...takes.keys()],
        compensationFrames: ctx ? compensationFrames(ctx) : null };
    },
    // The open track's settings as the browser applied them (echoCancellation, noiseSuppression,
    // autoGainControl, latency, deviceId, ...), {} when none is open.
    settings() {
      const current = input.stream && input.stream.getAudioTracks()[0];
      return current && current.getSettings ? { ...current.getSettings() } : {};
    },
    devices: () => input.devices.map((d) => ({ ...d })),
    chooseDevice, setMonitor, setOffsetMs,
    // calibrate({apply}) -> {roundTripMs, reportedMs, offsetMs, clicks, spreadMs} or {error}; loopback(delayMs
    // or null): the output as the input (see loopback).
    calibrate, loopback,
    // Frames of the running take (`id`, else the first) received from the worklet and stored in IndexedDB.
    progress(id) {
      const t = id ? takes.get(id) : takes.values().next().value;
      return t ? { id: t.meta.id, frames: t.frames, stored: t.stored, firstPosition: t.firstPosition, compensation: t.meta.compensation, sampleRate: t.meta.sampleRate } : null;
    },
    lastTake: () => lastTake && { ...lastTake },
    recovered: () => recovered.map((r) => ({ ...r })),
  };
}
