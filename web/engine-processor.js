// The AudioWorklet processor: runs the wasm engine (engine.mjs) in 128-frame render quanta.
// Control arrives on the port as small messages: transport, and edits encoded by the studio's module
// with the same C++ code that decodes them here (core/model/ProjectEdit.h), forwarded as they are. A
// whole project arrives only when another song is opened. Meters, the playhead and the engine's load
// go back ~30 times a second.
import createEngine from './engine.mjs';

// The clock for load figures: performance.now() where the worklet scope has it, else Date.now() (1 ms
// steps; averaged over many quanta it is still unbiased, as quanta start at random phases of it).
const now = globalThis.performance && typeof globalThis.performance.now === 'function'
  ? () => globalThis.performance.now() : () => Date.now();

const STEM_CHUNK = 16384;  // frames of stems per message of an offline stem export

class MixdownProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.module = createEngine(); // synchronous compile (WASM_ASYNC_COMPILATION=0)
    this.engine = new this.module.WasmEngine(sampleRate, 128);
    this.framesSinceStatus = 0;
    this.statusEvery = Math.round(sampleRate / 30);
    // Load: the engine's own time per quantum (ms summed since the last status), and the time spent
    // applying edits (message handling runs on this same audio thread).
    this.load = { ms: 0, quanta: 0, maxMs: 0, editMs: 0, edits: 0, maxEditMs: 0, clock: globalThis.performance ? 'performance' : 'date' };
    this.lastMissing = '[]';
    this.metronome = { on: false, levelDb: -6 };  // as the engine starts
    this.liveEchoes = [];  // live notes waiting for the quantum that plays them (see 'liveNote')
    this.port.onmessage = (e) => this.onMessage(e.data);
    for (const asset of opts.assets || []) this.addAsset(asset);
    if (opts.project) {
      const result = JSON.parse(this.engine.loadProject(opts.project));
      this.port.postMessage({ type: 'loaded', result });
    }
    if (opts.play) this.engine.play();
    // An offline stem export (web/stems.js): every track's stem goes back in chunks of STEM_CHUNK frames.
    if (opts.stems) this.stems = { count: this.engine.attachStems(), at: 0, fill: 0, chunk: null, frames: Number(opts.stemFrames) || Infinity };
  }

  // Copies this quantum's stems into the running chunk and posts it when full, and at the render's end.
  takeStems(heap, n) {
    const s = this.stems;
    if (!s.chunk) s.chunk = Array.from({ length: s.count }, () => [new Float32Array(STEM_CHUNK), new Float32Array(STEM_CHUNK)]);
    for (let k = 0; k < s.count; ++k)
      for (let c = 0; c < 2; ++c) {
        const p = this.engine.stemPointer(k, c) >> 2;
        s.chunk[k][c].set(heap.subarray(p, p + n), s.fill);
      }
    s.fill += n;
    if (s.fill + 128 > STEM_CHUNK || s.at + s.fill >= s.frames) {
      this.port.postMessage({ type: 'stems', at: s.at, frames: s.fill, stems: s.chunk }, s.chunk.flat().map((a) => a.buffer));
      s.at += s.fill;
      s.fill = 0;
      s.chunk = null;
    }
  }

  addAsset({ id, channels }) {
    this.engine.beginAsset(id, channels.length, channels[0].length);
    channels.forEach((data, c) => {
      const ptr = this.engine.assetChannelPointer(c) >> 2;
      this.module.HEAPF32.set(data, ptr);
    });
    return JSON.parse(this.engine.commitAsset());
  }

  onMessage(msg) {
    const e = this.engine;
    try {
      switch (msg.type) {
        case 'project': this.report(e.loadProject(String(msg.json)), true); e.warmUp(); break;
        case 'edits': {
          const t0 = now();
          const text = e.applyEdits(String(msg.edits));
          const ms = now() - t0;
          this.load.editMs += ms;
          this.load.edits += 1;
          this.load.maxEditMs = Math.max(this.load.maxEditMs, ms);
          this.report(text, false);
          break;
        }
        case 'asset': this.port.postMessage({ type: 'loaded', result: this.addAsset(msg) }); break;
        // A long asset in slices (boot.js sends the next one when this one is acknowledged).
        case 'assetBegin': e.beginAsset(String(msg.id), msg.channels | 0, Number(msg.frames)); this.port.postMessage({ type: 'assetAck' }); break;
        case 'assetSlice': {
          msg.channels.forEach((data, c) => {
            const ptr = e.assetSlicePointer(c, data.length) >> 2;
            if (ptr) this.module.HEAPF32.set(data, ptr);
          });
          this.port.postMessage({ type: 'assetAck' });
          break;
        }
        case 'assetCommit': this.report(e.commitAsset(), true); this.port.postMessage({ type: 'assetAck' }); break;
        // {type:'play'} counts in the bars the last 'metronome' message set; countInBars overrides it once.
        case 'play': if (Number.isFinite(msg.countInBars)) e.playWithCountIn(msg.countInBars | 0); else e.play(); break;
        // {type:'metronome', on, levelDb, countInBars}: clicks while playing (monitoring only, never in
        // exports) and the count-in (0..2 bars) of the next plays. Missing fields keep their values.
        case 'metronome': {
          if (msg.on !== undefined || msg.levelDb !== undefined) {
            if (msg.on !== undefined) this.metronome.on = !!msg.on;
            if (Number.isFinite(msg.levelDb)) this.metronome.levelDb = Number(msg.levelDb);
            e.setMetronome(this.metronome.on, this.metronome.levelDb);
          }
          if (Number.isFinite(msg.countInBars)) e.setCountIn(msg.countInBars | 0);
          break;
        }
        // {type:'liveNote', track, pitch, velocity}: a note played live on a track's instrument (auditioning,
        // keyboards), not an edit: velocity 0..1, 0 releases it.
        // With an `id` (live playing, web/live-input.js) the note comes back as {type:'live', id, ok, position,
        // playing, countingIn, frame, waitMs} once the quantum that plays it has rendered: `position` the
        // transport frame that quantum starts at (the audio clock the recording is timed by), `frame` the
        // context's (currentFrame: it runs while the transport stands), `waitMs` from the message's arrival
        // to that quantum's start.
        case 'liveNote': {
          const ok = e.liveNote(String(msg.track), msg.pitch | 0, Number(msg.velocity) || 0);
          if (msg.id !== undefined) this.liveEchoes.push({ type: 'live', id: msg.id, ok, position: e.position(), playing: e.playing(), countingIn: e.countingIn(), frame: currentFrame, arrived: now() });
          break;
        }
        // {type:'liveControl', track, control: 'bend' | 'mod', value}: a live wheel (bend -1..1, mod 0..1).
        case 'liveControl': e.liveControl(String(msg.track), String(msg.control), Number(msg.value) || 0); break;
        // {type:'tap', frames, id}: the next `frames` frames of the live output (after the metronome: what
        // the speakers get) come back as {type:'tap', id, position, sampleRate, channels}, with the
        // transport position of the first frame. For measuring the live path in tests and tools.
        case 'tap': this.tap = { id: msg.id, frames: Math.max(1, msg.frames | 0), at: 0, position: -1,
          channels: [new Float32Array(Math.max(1, msg.frames | 0)), new Float32Array(Math.max(1, msg.frames | 0))] }; break;
        case 'stop': e.stop(); break;
        case 'seek': e.seekBeat(Number(msg.beat) || 0); break;
        case 'resetLoudness': e.resetLoudness(); break;
        case 'status': this.sendStatus(); break;
        case 'projectJson': this.port.postMessage({ type: 'projectJson', json: e.projectJson(), id: msg.id }); break;
      }
    } catch (err) {
      this.port.postMessage({ type: 'error', message: `engine: ${err && err.message ? err.message : err}` });
    }
  }

  // Replies to a load or an edit only when there is news: a refusal, or other assets missing.
  report(text, always) {
    const result = JSON.parse(text);
    const missing = JSON.stringify(result.missingAssets || []);
    if (always || !result.ok || missing !== this.lastMissing) this.port.postMessage({ type: 'loaded', result });
    if (result.ok) this.lastMissing = missing;
  }

  sendStatus() {
    const e = this.engine;
    const n = e.takePeaks();
    const at = e.peaksPointer() >> 2;
    const peaks = this.module.HEAPF32.slice(at, at + n);
    // Gain reduction per insert: 16 values per track (dB, -1 where no insert plays).
    const nr = e.takeReductions();
    const rp = e.reductionsPointer() >> 2;
    const reductions = this.module.HEAPF32.slice(rp, rp + nr);
    // Master loudness: M, S, I, LRA, TP, max M, max S, seconds measured, limiter gain reduction, correlation.
    const lp = e.takeLoudness() >> 3;
    const loudness = Array.from(this.module.HEAPF64.subarray(lp, lp + 10), (v) => (Number.isFinite(v) ? v : null));
    const load = { ...this.load };
    Object.assign(this.load, { ms: 0, quanta: 0, maxMs: 0, editMs: 0, edits: 0, maxEditMs: 0 });
    this.port.postMessage({ type: 'status', playing: e.playing(), countingIn: e.countingIn(), countIn: [e.countInBeat(), e.countInBeats()], position: e.position(), contextFrame: currentFrame, sampleRate, peaks, loudness, reductions, load },
      [peaks.buffer, reductions.buffer]);
  }

  // Copies this quantum's output into the running tap (arrays made when it was asked for) and sends it
  // when full.
  takeTap(heap, l, r, n, position) {
    const tap = this.tap;
    if (tap.position < 0) tap.position = position;
    const k = Math.min(n, tap.frames - tap.at);
    tap.channels[0].set(heap.subarray(l, l + k), tap.at);
    tap.channels[1].set(heap.subarray(r, r + k), tap.at);
    tap.at += k;
    if (tap.at >= tap.frames) {
      this.tap = null;
      this.port.postMessage({ type: 'tap', id: tap.id, position: tap.position, sampleRate, channels: tap.channels },
        tap.channels.map((c) => c.buffer));
    }
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    const started = this.liveEchoes.length ? now() : 0;
    const tapPosition = this.tap ? this.engine.position() : 0;
    const t0 = now();
    this.engine.process(n);
    const ms = now() - t0;
    this.load.ms += ms;
    this.load.quanta += 1;
    if (ms > this.load.maxMs) this.load.maxMs = ms;
    const heap = this.module.HEAPF32; // re-read: memory may have grown during a message
    const l = this.engine.outputPointer(0) >> 2, r = this.engine.outputPointer(1) >> 2;
    out[0].set(heap.subarray(l, l + n));
    if (out[1]) out[1].set(heap.subarray(r, r + n));
    if (this.tap) this.takeTap(heap, l, r, n, tapPosition);
    if (this.stems) this.takeStems(heap, n);
    if (this.liveEchoes.length) {
      for (const echo of this.liveEchoes) {
        echo.waitMs = started - echo.arrived;
        this.port.postMessage(echo);
      }
      this.liveEchoes.length = 0;
    }
    this.framesSinceStatus += n;
    if (this.framesSinceStatus >= this.statusEvery) {
      this.framesSinceStatus = 0;
      this.sendStatus();
    }
    return true;
  }
}

registerProcessor('mixdown-engine', MixdownProcessor);
