// Live playing and MIDI recording on the page: the computer keyboard as a piano, Web MIDI inputs, the
// on-screen keyboard strip, recording takes and the retroactive capture ring. Notes go straight to the
// worklet as {type:'liveNote'} messages (never project edits: nothing is undone or saved), so they sound
// at the next render quantum; the worklet sends each back once that quantum has rendered, with the
// transport frame it started at. That frame, less the output latency (what the player was hearing when
// they played), times the recording. Finished takes go to the studio (studio.recordTake), which places
// them on the song as one undo step.
//
// Keys (only while no text field of the studio has the keyboard, and without Ctrl/Cmd/Alt):
//   `  (Backquote)   the keyboard piano on / off (the "Keys" button of the strip does the same)
//   piano on:  A W S E D F T G Y H U J K O L P ;  = C C# D D# E F F# G G# A A# B C' C#' D' D#' E'
//              Z / X octave down / up, C / V velocity down / up (steps of 20)
//   R         record on / off;  Shift+R  capture the last minute played while not recording
import { beginAudioTake, endAudioTake } from './audio-input.js';

const KEY_OFFSETS = {
  KeyA: 0, KeyW: 1, KeyS: 2, KeyE: 3, KeyD: 4, KeyF: 5, KeyT: 6, KeyG: 7, KeyY: 8, KeyH: 9, KeyU: 10, KeyJ: 11,
  KeyK: 12, KeyO: 13, KeyL: 14, KeyP: 15, Semicolon: 16,
};
const KEY_LABELS = Object.fromEntries(Object.entries(KEY_OFFSETS).map(([code, k]) => [k, code === 'Semicolon' ? ';' : code.slice(3)]));
const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const CAPTURE_SECONDS = 60;     // the capture ring keeps the notes played in the last minute
const VELOCITY_STEP = 20;       // C / V (as Ableton's computer keyboard)
const MIN_OCTAVE = -1, MAX_OCTAVE = 8;  // the octave of the A key (C-1 = MIDI 0 .. C8 = MIDI 108)

let env = null;  // { studio, toEngine, audioContext(), status(), watchStatus, notice, error }
const keys = { on: false, octave: 4, velocity: 100 };   // the piano's A is C4 (MIDI 60)
const midi = { access: null, device: 'all', channel: 0, message: '', sustain: false, inputs: [] };
const held = new Map();        // source key ('key:KeyA', 'midi:3:60') -> the note it started
const sustained = new Set();   // notes whose key is up but the pedal holds
const sounding = new Map();    // pitch -> count of notes sounding it (for the strip's lit keys)
const pendingEchoes = new Map(); // message id -> resolve of the worklet's echo
const events = [];             // every live note the worklet played, with its echo (window.mixdown.live.events)
const latencies = [];          // per echo: {messageMs (one way, RTT/2), waitMs, roundTripMs}
let ring = [];                 // finished notes played while not recording (the capture ring)
let nextId = 1;
let take = null;               // the running recording: { track, fromFrame, waiting, notes: [] }
let lastTarget = '';

// ---- sending notes ---------------------------------------------------------------------------------
function latencyFrames() {
  const ctx = env.audioContext();
  if (!ctx) return 0;
  return Math.round(((ctx.baseLatency || 0) + (ctx.outputLatency || 0)) * ctx.sampleRate);
}

// Sends one live note message and returns a promise of its echo (null without an audio context).
function sendNote(track, pitch, velocity) {
  const id = nextId++;
  const sentAt = performance.now();
  const ctx = env.audioContext();
  // The audio clock when it was sent (the context's frame: currentTime, which the audio thread advances).
  const sentFrame = ctx ? ctx.currentTime * ctx.sampleRate : 0;
  const echo = new Promise((resolve) => pendingEchoes.set(id, { resolve, sentAt, sentFrame, track, pitch, velocity }));
  env.toEngine({ type: 'liveNote', track, pitch, velocity, id });
  return env.audioContext() ? echo : Promise.resolve(null);
}

function lit(pitch, delta) {
  const n = (sounding.get(pitch) || 0) + delta;
  if (n > 0) sounding.set(pitch, n); else sounding.delete(pitch);
  drawStrip();
}

// A note starts on the live target (the armed instrument track, else the selected one). `source` names
// the key or MIDI note that holds it, so its release ends this note whatever changed since (the octave,
// the target track).
function noteOn(source, pitch, velocity) {
  const state = liveState();
  if (!state.target) {
    env.notice('Select or arm (R on a track header) an instrument track to play it.');
    return;
  }
  if (held.has(source)) noteOff(source);  // a second on without an off: end the first
  for (const n of sustained) if (n.pitch === pitch && n.track === state.target) release(n);  // a re-struck key under the pedal
  // velocity: 1..127 as MIDI has it; the engine takes 0..1.
  const note = { track: state.target, pitch, velocity, on: null, off: null, take: take && !take.waiting && take.track === state.target ? take : null };
  note.onEcho = sendNote(note.track, pitch, velocity / 127).then((echo) => { note.on = echo; return echo; });
  held.set(source, note);
  lit(pitch, 1);
}

function noteOff(source) {
  const note = held.get(source);
  if (!note) return;
  held.delete(source);
  if (midi.sustain) { sustained.add(note); return; }
  release(note);
}

function release(note) {
  sustained.delete(note);
  note.offEcho = sendNote(note.track, note.pitch, 0).then((echo) => { note.off = echo; return echo; });
  lit(note.pitch, -1);
  const done = finished(note);
  if (note.take) note.take.pending.push(done);
}

function setSustain(down) {
  midi.sustain = down;
  if (!down) for (const n of [...sustained]) release(n);
}

// A note has ended: it joins the take it was played in, or the capture ring.
async function finished(note) {
  const [on, off] = await Promise.all([note.onEcho, note.offEcho]);
  if (!on || !off || !on.ok) return;
  const item = { ...note, on, off };
  if (note.take) note.take.notes.push(item);
  else {
    ring.push(item);
    const ctx = env.audioContext();
    const oldest = off.frame - CAPTURE_SECONDS * (ctx ? ctx.sampleRate : 48000);
    ring = ring.filter((n) => n.off.frame >= oldest);
  }
  reportState();
}

function fromEngine(msg) {
  const waiting = pendingEchoes.get(msg.id);
  if (!waiting) return;
  pendingEchoes.delete(msg.id);
  const roundTripMs = performance.now() - waiting.sentAt;
  const ctx = env.audioContext();
  // Sent to played: from the audio clock at sending to the first frame of the quantum that played it.
  const pathMs = ctx ? (msg.frame - waiting.sentFrame) / ctx.sampleRate * 1000 : null;
  latencies.push({ roundTripMs, pathMs, waitMs: msg.waitMs });
  if (latencies.length > 200) latencies.shift();
  events.push({ ...msg, track: waiting.track, pitch: waiting.pitch, velocity: waiting.velocity });
  if (events.length > 2000) events.shift();
  waiting.resolve(msg);
}

// ---- wheels ----------------------------------------------------------------------------------------
function control(name, value) {
  const state = liveState();
  if (state.target) env.toEngine({ type: 'liveControl', track: state.target, control: name, value });
}

// ---- the studio's view of things ---------------------------------------------------------------------
function liveState() {
  try { return JSON.parse(env.studio.liveState()); } catch { return { target: '', armed: [], textInput: false }; }
}

function reportState() {
  if (env && env.studio) env.studio.setRecording(!!take && !take.waiting, !!take && take.waiting, ring.length);
}

// ---- recording ---------------------------------------------------------------------------------------
// Record records MIDI on the armed instrument track and the audio input on the armed audio track
// (web/audio-input.js); with no track armed, MIDI on the selected instrument track.
function toggleRecord() {
  if (take) { stopRecording(); return; }
  const state = liveState();
  const track = state.recordTarget ?? state.target;
  if (!track && !state.audioTarget) {
    env.notice('Arm a track (R on its header: an instrument track for MIDI, an audio track for the input) or select an instrument track to record on.');
    return;
  }
  const audioTake = state.audioTarget ? beginAudioTake(state.audioTarget) : null;
  if (!track && !audioTake) return;  // the input is not open (audio-input.js said why)
  const status = env.status();
  take = { track, audioTake, audioTrack: state.audioTarget, fromFrame: 0, waiting: true, notes: [], pending: [], sampleRate: status.sampleRate };
  if (status.playing) startTake(status);
  else env.play();  // counts in as the metronome's count-in says; the take starts when the song does
  reportState();
  drawStrip();
}

// The arrangement draws the take growing on its tracks (none: `t` null).
function showTake(t) {
  if (!env || !env.studio) return;
  env.studio.setTakeTracks(JSON.stringify(t ? { tracks: [t.track, t.audioTrack].filter(Boolean), fromFrame: t.fromFrame, sampleRate: t.sampleRate } : {}));
}

function startTake(status) {
  take.waiting = false;
  take.fromFrame = Math.max(0, status.position - latencyFrames());
  take.sampleRate = status.sampleRate;
  showTake(take);
  // Keys already held when the take starts are not in it (their start was not recorded).
  reportState();
}

function onStatus(status) {
  if (!take) return;
  if (take.waiting && status.playing && !status.countingIn) startTake(status);
  else if (!take.waiting && !status.playing && !status.countingIn) stopRecording(status);
  else if (take.waiting && !status.playing && !status.countingIn && take.sawCountIn) {
    if (take.audioTake) endAudioTake(take.audioTake);
    take = null;
    showTake(null);
    reportState();
  }
  if (take && status.countingIn) take.sawCountIn = true;
}

// Ends the take: held notes end where it ends; the studio places the notes as one undo step.
async function stopRecording(status = env.status()) {
  const t = take;
  take = null;
  showTake(null);
  reportState();
  drawStrip();
  const audioDone = t && t.audioTake ? endAudioTake(t.audioTake) : null;
  if (!t || t.waiting || !t.track) return audioDone;
  const end = Math.max(t.fromFrame, status.position - latencyFrames());
  // Notes still held end with the take (they go on sounding, and end in the capture ring).
  const open = [...held.values(), ...sustained].filter((n) => n.take === t);
  for (const n of open) n.take = null;
  await Promise.all(open.map((n) => n.onEcho));
  for (const n of open) if (n.on && n.on.ok) t.notes.push({ ...n, on: n.on, off: { position: status.position, playing: true, frame: n.on.frame } });
  // Notes released just before the stop: their echoes are still on the way.
  await Promise.all(t.pending);
  const shift = latencyFrames();
  const notes = t.notes.filter((n) => n.on.playing || n.on.countingIn).map((n) => ({
    pitch: n.pitch, velocity: n.velocity / 127,
    startFrame: Math.max(t.fromFrame, n.on.position - shift),
    endFrame: Math.max(t.fromFrame, Math.min(end, (n.off.playing ? n.off.position : status.position) - shift)),
  }));
  if (!notes.length) {
    if (!t.audioTake) env.notice('Nothing was played, so no clip was recorded.');
    return audioDone;
  }
  return place({ track: t.track, kind: 'record', sampleRate: t.sampleRate, fromFrame: t.fromFrame, toFrame: end, notes });
}

function place(takeJson) {
  const result = JSON.parse(env.studio.recordTake(JSON.stringify(takeJson)));
  if (result.error) env.error(`The take was not placed: ${result.error}`);
  else env.notice(`${takeJson.kind === 'capture' ? 'Captured' : 'Recorded'} ${takeJson.notes.length} note(s) ` +
    `${result.newClip ? 'into a new clip' : 'onto the clip there'} at beat ${result.clip.start}.`);
  return result;
}

// Capture: the notes of the ring that were played the way the last one was (with the song playing: at
// their bar positions; stopped: from the playhead's bar, timed by the audio clock at the song's tempo).
function capture() {
  if (take) return null;
  const state = liveState();
  const last = ring[ring.length - 1];
  if (!last) { env.notice('Nothing was played in the last minute to capture.'); return null; }
  const track = state.target || last.track;
  const playing = last.on.playing;
  const group = ring.filter((n) => n.track === last.track && n.on.playing === playing);
  const shift = latencyFrames();
  let notes;
  if (playing) {
    notes = group.map((n) => ({ pitch: n.pitch, velocity: n.velocity / 127, startFrame: Math.max(0, n.on.position - shift),
      endFrame: Math.max(0, (n.off.playing ? n.off.position : n.on.position + (n.off.frame - n.on.frame)) - shift) }));
  } else {
    const first = Math.min(...group.map((n) => n.on.frame));
    const at = group[0].on.position;  // the playhead where it stood
    notes = group.map((n) => ({ pitch: n.pitch, velocity: n.velocity / 127, startFrame: at + n.on.frame - first, endFrame: at + n.off.frame - first }));
  }
  const from = Math.min(...notes.map((n) => n.startFrame)), to = Math.max(...notes.map((n) => n.endFrame));
  const result = place({ track, kind: 'capture', sampleRate: env.status().sampleRate, fromFrame: from, toFrame: to, alignToBar: !playing, notes });
  if (!result.error) { ring = ring.filter((n) => !group.includes(n)); reportState(); }
  return result;
}

// ---- the computer keyboard ---------------------------------------------------------------------------
function keyPitch(code) { return 12 * (keys.octave + 1) + KEY_OFFSETS[code]; }

function onKeyDown(e) {
  if (!env || !env.studio || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target && e.target.closest && e.target.closest('#live-strip select')) return;
  const state = liveState();
  if (state.textInput) return;  // typing a name or a tempo
  let used = true;
  if (e.code === 'Backquote') { if (!e.repeat) setKeys(!keys.on); }
  else if (e.code === 'KeyR') { if (!e.repeat) { if (e.shiftKey) capture(); else toggleRecord(); } }
  else if (keys.on && e.code in KEY_OFFSETS) {
    if (!e.repeat && !held.has(`key:${e.code}`)) {
      const pitch = keyPitch(e.code);
      if (pitch <= 127) noteOn(`key:${e.code}`, pitch, keys.velocity);
    }
  } else if (keys.on && e.code === 'KeyZ') { if (!e.repeat) keys.octave = Math.max(MIN_OCTAVE, keys.octave - 1); }
  else if (keys.on && e.code === 'KeyX') { if (!e.repeat) keys.octave = Math.min(MAX_OCTAVE, keys.octave + 1); }
  else if (keys.on && e.code === 'KeyC') { if (!e.repeat) keys.velocity = Math.max(1, keys.velocity - VELOCITY_STEP); }
  else if (keys.on && e.code === 'KeyV') { if (!e.repeat) keys.velocity = Math.min(127, keys.velocity === 1 ? VELOCITY_STEP : keys.velocity + VELOCITY_STEP); }
  else used = false;
  if (!used) return;
  // The studio (ImGui) never sees the key: S, D, L... are shortcuts there while the piano is off.
  e.preventDefault();
  e.stopImmediatePropagation();
  drawStrip();
}

function onKeyUp(e) {
  if (!env) return;
  const source = `key:${e.code}`;
  if (held.has(source)) {
    noteOff(source);
    e.preventDefault();
    e.stopImmediatePropagation();
  } else if (keys.on && !e.ctrlKey && !e.metaKey && (e.code in KEY_OFFSETS || ['KeyZ', 'KeyX', 'KeyC', 'KeyV', 'Backquote', 'KeyR'].includes(e.code))) {
    e.stopImmediatePropagation();
  }
}

// The window lost the keyboard (another tab, a dialog): every key it held is up.
function releaseAllKeys() {
  for (const source of [...held.keys()]) if (source.startsWith('key:')) noteOff(source);
}

function setKeys(on) {
  keys.on = on;
  if (!on) releaseAllKeys();
  drawStrip();
}

// ---- Web MIDI ------------------------------------------------------------------------------------------
// One MIDI message (the bytes of a MIDIMessageEvent's data) from input `deviceId`: what Web MIDI's
// onmidimessage feeds, and what tests call (window.mixdown.live.midiMessage).
function midiMessage(data, deviceId = 'test') {
  if (!env || data.length < 1) return false;
  if (midi.device !== 'all' && deviceId !== midi.device) return false;
  const status = data[0] & 0xf0, channel = (data[0] & 0x0f) + 1;
  if (status < 0x80 || status === 0xf0) return false;  // running status and system messages are not ours
  if (midi.channel && channel !== midi.channel) return false;
  const a = data[1] & 0x7f, b = (data[2] ?? 0) & 0x7f;
  const source = `midi:${channel}:${a}`;
  switch (status) {
    case 0x90: if (b > 0) { noteOn(source, a, b); break; } // note-on with velocity 0 is a note-off
    // falls through
    case 0x80: noteOff(source); break;
    case 0xb0:
      if (a === 64) setSustain(b >= 64);
      else if (a === 1) control('mod', b / 127);
      else if (a === 123 || a === 120) { for (const s of [...held.keys()]) if (s.startsWith('midi:')) noteOff(s); setSustain(false); }
      break;
    case 0xe0: control('bend', Math.max(-1, ((b << 7 | a) - 8192) / 8191)); break;
    default: return false;
  }
  return true;
}

async function requestMidi() {
  if (!navigator.requestMIDIAccess) { midi.message = 'Web MIDI: this browser has none'; drawStrip(); return; }
  midi.message = 'Web MIDI: asking for access';
  drawStrip();
  try {
    midi.access = await navigator.requestMIDIAccess({ sysex: false });
    midi.access.onstatechange = () => listInputs();
    listInputs();
  } catch (e) {
    midi.message = 'Web MIDI: not allowed';
    strip.querySelector('[data-midi-message]').title = e.message || e.name;
    drawStrip();
  }
}

function listInputs() {
  midi.inputs = [];
  for (const input of midi.access.inputs.values()) {
    midi.inputs.push({ id: input.id, name: input.name || input.id });
    input.onmidimessage = (m) => midiMessage(m.data, input.id);
  }
  midi.message = midi.inputs.length ? `Web MIDI: ${midi.inputs.length} input(s)` : 'Web MIDI: no inputs connected';
  drawStrip(true);
}

// ---- the on-screen strip -------------------------------------------------------------------------------
let strip = null;
function buildStrip() {
  const style = document.createElement('style');
  style.textContent = `
#live-strip { position: fixed; left: 50%; bottom: 8px; transform: translateX(-50%); background: #232329f2; border: 1px solid #3a3a44;
  border-radius: 6px; padding: 6px 10px; font: 12px system-ui, sans-serif; color: #ccc; display: flex; gap: 10px; align-items: center; z-index: 5; user-select: none; }
#live-strip button { background: #3a3a46; color: #ddd; border: 1px solid #4a4a58; border-radius: 4px; padding: 3px 9px; font: inherit; cursor: pointer; }
#live-strip button.on { background: #3d6fb8; border-color: #5b8fd8; color: #fff; }
#live-strip select { background: #2c2c34; color: #ddd; border: 1px solid #4a4a58; border-radius: 3px; font: inherit; }
#live-strip .piano { position: relative; height: 44px; flex-shrink: 0; }
#live-strip .k { position: absolute; top: 0; box-sizing: border-box; border: 1px solid #111; border-radius: 0 0 3px 3px; font-size: 9px;
  display: flex; align-items: flex-end; justify-content: center; padding-bottom: 2px; }
#live-strip .w { width: 20px; height: 44px; background: #e8e8ea; color: #555; }
#live-strip .b { width: 14px; height: 27px; background: #222; color: #aaa; z-index: 1; }
#live-strip .k.lit { background: #e0a030; color: #000; }
#live-strip .info { display: flex; flex-direction: column; gap: 2px; white-space: nowrap; flex-shrink: 0; }
#live-strip .info.wide { width: 190px; overflow: hidden; }
#live-strip .info.wide span { overflow: hidden; text-overflow: ellipsis; }
#live-strip .dim { color: #888; }
#live-strip .hidden { display: none; }
#live-strip.collapsed { left: auto; right: 10px; bottom: 40px; transform: none; padding: 3px; }
#live-strip.collapsed > :not([data-keys]) { display: none; }`;
  document.head.appendChild(style);
  strip = document.createElement('div');
  strip.id = 'live-strip';
  strip.innerHTML = `<button data-keys title="The computer keyboard as a piano (\`)">Keys</button>
<div class="info" data-info><span data-octave></span><span data-velocity></span></div>
<div class="piano" data-piano></div>
<div class="info wide"><span data-target></span><span class="dim" data-midi-message></span></div>
<label>MIDI in <select data-device></select></label>
<label>Ch <select data-channel></select></label>`;
  document.body.appendChild(strip);
  strip.querySelector('[data-keys]').addEventListener('click', () => setKeys(!keys.on));
  const channel = strip.querySelector('[data-channel]');
  channel.innerHTML = ['<option value="0">All</option>', ...Array.from({ length: 16 }, (_, i) => `<option value="${i + 1}">${i + 1}</option>`)].join('');
  channel.addEventListener('change', () => { midi.channel = Number(channel.value); });
  strip.querySelector('[data-device]').addEventListener('change', (e) => { midi.device = e.target.value; });
  // The piano: 17 keys, C to E an octave up, labelled with the computer key that plays each.
  const piano = strip.querySelector('[data-piano]');
  let x = 0;
  for (let k = 0; k <= 16; ++k) {
    const black = [1, 3, 6, 8, 10].includes(k % 12);
    const el = document.createElement('div');
    el.className = `k ${black ? 'b' : 'w'}`;
    el.dataset.offset = k;
    el.textContent = KEY_LABELS[k];
    el.style.left = `${black ? x - 7 : x}px`;
    if (!black) x += 20;
    // A click plays the key, as a person would try it.
    el.addEventListener('pointerdown', (e) => { e.preventDefault(); noteOn(`pointer:${k}`, 12 * (keys.octave + 1) + k, keys.velocity); });
    for (const up of ['pointerup', 'pointerleave']) el.addEventListener(up, () => noteOff(`pointer:${k}`));
    piano.appendChild(el);
  }
  piano.style.width = `${x}px`;
  drawStrip(true);
}

function drawStrip(inputsChanged = false) {
  if (!strip) return;
  strip.querySelector('[data-keys]').classList.toggle('on', keys.on);
  // Folded to its Keys button while the piano is off, so it covers none of the studio.
  strip.classList.toggle('collapsed', !keys.on);
  const base = 12 * (keys.octave + 1);
  strip.querySelector('[data-octave]').textContent = `Octave ${NOTE_NAMES[0]}${keys.octave}  (Z / X)`;
  strip.querySelector('[data-velocity]').textContent = `Velocity ${keys.velocity}  (C / V)`;
  for (const el of strip.querySelectorAll('.k')) el.classList.toggle('lit', sounding.has(base + Number(el.dataset.offset)));
  const target = env && env.studio ? liveState().target : '';
  lastTarget = target;
  strip.querySelector('[data-target]').textContent = take ? (take.waiting ? 'Record: counting in' : `Recording on ${trackName(take.track || take.audioTrack)}`)
    : target ? `Plays ${trackName(target)}` : 'Select an instrument track';
  strip.querySelector('[data-midi-message]').textContent = midi.message;
  if (inputsChanged) {
    const device = strip.querySelector('[data-device]');
    device.innerHTML = [`<option value="all">All inputs</option>`, ...midi.inputs.map((i) => `<option value="${i.id}">${i.name.replace(/[<>&"]/g, '')}</option>`)].join('');
    device.value = midi.inputs.some((i) => i.id === midi.device) ? midi.device : 'all';
  }
}

// The target's name, looked up when the target changes (the project's JSON is not read at every key).
const names = { id: '', name: '' };
function trackName(id) {
  if (names.id === id) return names.name;
  let name = id;
  try {
    const t = JSON.parse(env.studio.projectJson()).tracks.find((x) => x.id === id);
    if (t) name = t.name || t.id;
  } catch { /* the id will do */ }
  Object.assign(names, { id, name });
  return name;
}

// The target can change with a click in the studio; the strip follows a few times a second.
function followTarget() {
  if (env && env.studio && liveState().target !== lastTarget) drawStrip();
}

// ---- installation ----------------------------------------------------------------------------------------
// Registered when this module loads, before the studio's own key handlers (installed when it starts), so a
// piano key can be kept from the studio's shortcuts.
window.addEventListener('keydown', onKeyDown, true);
window.addEventListener('keyup', onKeyUp, true);
window.addEventListener('blur', releaseAllKeys);

export function installLiveInput(environment) {
  env = environment;
  env.watchStatus(onStatus);
  buildStrip();
  setInterval(followTarget, 250);
  requestMidi();
  window.mixdown.live = {
    midiMessage: (bytes, deviceId) => midiMessage(Array.from(bytes), deviceId),
    setKeys,
    state: liveState,  // {target, armed, textInput, mode, quantize} as the studio says
    keys: () => ({ ...keys }),
    toggleRecord,
    stopRecording: () => stopRecording(),
    capture,
    recording: () => (take ? { track: take.track, waiting: take.waiting, fromFrame: take.fromFrame } : null),
    captureRing: () => ring.map((n) => ({ track: n.track, pitch: n.pitch, velocity: n.velocity, on: n.on, off: n.off })),
    // Every live note the worklet played: {id, ok, position, playing, countingIn, frame, waitMs}.
    events: () => events.map((e) => ({ ...e })),
    // The transport position now (frames) by the audio clock: the last status's position moved on by the
    // context frames rendered since it (AudioContext.currentTime, which the audio thread advances), so it
    // does not lag by the status's way to this thread.
    transportNow() {
      const s = env.status(), ctx = env.audioContext();
      if (!s.playing || !ctx || !Number.isFinite(s.contextFrame)) return s.position;
      return s.position + (ctx.currentTime * ctx.sampleRate - s.contextFrame);
    },
    held: () => [...held.values(), ...sustained].map((n) => ({ track: n.track, pitch: n.pitch })),
    settings: () => ({ device: midi.device, channel: midi.channel, sustain: midi.sustain }),
    setMidiInput(device = 'all', channel = 0) { midi.device = device; midi.channel = channel; drawStrip(true); },
    // The live path's latency (ms, over the last 200 notes): pathMs from sending a note to the first
    // frame of the quantum that played it, by the audio clock (the context frame at sending, from
    // currentTime, to the worklet's currentFrame for that quantum); waitMs in the worklet from the
    // message's arrival to that quantum's process() call (its clock); the round trip back to this
    // thread (which waits for this thread's own work: not part of the sound's path); and what the audio
    // context adds after the quantum (baseLatency + outputLatency).
    latency() {
      const ctx = env.audioContext();
      const sorted = (k) => latencies.map((l) => l[k]).sort((a, b) => a - b);
      const median = (k) => { const s = sorted(k); return s.length ? s[Math.floor(s.length / 2)] : null; };
      const max = (k) => { const s = sorted(k); return s.length ? s[s.length - 1] : null; };
      return { notes: latencies.length, pathMs: median('pathMs'), maxPathMs: max('pathMs'), roundTripMs: median('roundTripMs'), maxRoundTripMs: max('roundTripMs'),
        waitMs: median('waitMs'), maxWaitMs: max('waitMs'),
        quantumMs: ctx ? 128 / ctx.sampleRate * 1000 : null, baseLatencyMs: ctx ? (ctx.baseLatency || 0) * 1000 : null,
        outputLatencyMs: ctx ? (ctx.outputLatency || 0) * 1000 : null, correctionFrames: latencyFrames() };
    },
  };
}

export function liveFromEngine(msg) { if (env) fromEngine(msg); }

// The studio's Record and Capture buttons.
export function liveFromStudio(msg) {
  if (!env) return;
  if (msg.type === 'record') toggleRecord();
  else if (msg.type === 'capture') capture();
}
