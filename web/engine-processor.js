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
// Frames of a recorded take per message (~0.26 s at 48 kHz): the page stores each as it arrives, so a
// tab that dies mid-take loses less than a second. A multiple of the 128-frame quantum.
const INPUT_CHUNK = 12288;
const INPUT_POOL = 8;     // chunk buffers the page sends with a take (and each back once stored); at most twice as many kept

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
    // The audio input (input 0: the device web/audio-input.js chose): its peak per channel since the
    // last status, direct monitoring, the take being recorded and the chunk buffers it fills.
    this.input = { peak: [0, 0], channels: 0, monitor: false, take: null, pool: [], allocated: 0 };
    this.calibration = null;  // the loopback calibration running (see 'calibrate')
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
        // {type:'input', monitor}: the input mixed into the output (at unity, after the master) or not.
        case 'input': this.input.monitor = !!msg.monitor; break;
        // {type:'inputRecord', id, on, buffers: [[left, right] Float32Array(INPUT_CHUNK)]}: on, the input is recorded as take `id` from the first quantum the
        // transport plays (after any count-in); off (or the transport stopping) ends the take. Recorded
        // audio goes back in chunks: {type:'inputChunk', id, seq, position (the transport frame of the
        // chunk's first frame), contextFrame, frames, channelCount, buffers: [2 Float32Array, INPUT_CHUNK
        // long: the first `frames` of the first `channelCount` are the take], last}. The page sends the
        // buffers back ({type:'inputBuffers', buffers: [[left, right]]}) for the next chunks.
        case 'inputRecord': {
          const inp = this.input;
          if (msg.on) {
            if (inp.take) this.endTake();
            // The chunk buffers come with the message (made on the page: nothing is allocated here
            // unless the page falls behind in sending them back).
            for (const b of msg.buffers || []) if (b.length === 2 && b[0].length === INPUT_CHUNK && inp.pool.length < 2 * INPUT_POOL) inp.pool.push(b);
            inp.take = { id: msg.id, seq: 0, started: false, fill: 0, chunk: null, position: 0, contextFrame: 0, channels: 1 };
          } else if (inp.take && inp.take.id === msg.id) this.endTake();
          break;
        }
        // {type:'calibrate', id, clicks: [frames from the start], click: Float32Array (the click's shape),
        // buffer: Float32Array}: the loopback calibration. From the next quantum, the clicks play into the
        // output (over whatever it has; the page asks with the transport stopped and monitoring off) while
        // the input's first channel is recorded into `buffer`; when it is full it goes back as
        // {type:'calibrated', id, contextFrame (of its first frame), buffer}.
        case 'calibrate':
          this.calibration = { id: msg.id, clicks: msg.clicks || [], click: msg.click || new Float32Array(1),
            buffer: msg.buffer || new Float32Array(1), fill: 0, contextFrame: -1 };
          break;
        case 'inputBuffers': for (const b of msg.buffers || []) if (b.length === 2 && b[0].length === INPUT_CHUNK && this.input.pool.length < 2 * INPUT_POOL) this.input.pool.push(b); break;
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
    const inp = this.input;
    const input = { peak: inp.peak.slice(), channels: inp.channels, monitor: inp.monitor, take: inp.take ? inp.take.id : null,
      recording: !!(inp.take && inp.take.started), allocated: inp.allocated };
    inp.peak[0] = inp.peak[1] = 0;
    this.port.postMessage({ type: 'status', playing: e.playing(), countingIn: e.countingIn(), countIn: [e.countInBeat(), e.countInBeats()], position: e.position(), contextFrame: currentFrame, sampleRate, peaks, loudness, reductions, load, input },
      [peaks.buffer, reductions.buffer]);
  }

  // This quantum's input (`channels`: the arrays of input 0, none while nothing is connected): its
  // peaks, and into the take's running chunk while the transport plays (`position`: its frame there).
  takeInput(channels, n, position, rolling) {
    const inp = this.input;
    const k = Math.min(2, channels.length);
    inp.channels = k;
    for (let c = 0; c < k; ++c) {
      const x = channels[c];
      let p = inp.peak[c];
      for (let i = 0; i < n; ++i) { const a = Math.abs(x[i]); if (a > p) p = a; }
      inp.peak[c] = p;
    }
    const t = inp.take;
    if (!t) return;
    if (!rolling) { if (t.started) this.endTake(); return; }
    if (!t.started) { t.started = true; t.channels = Math.max(1, k); }
    if (!t.chunk) {
      if (!inp.pool.length) { inp.pool.push([new Float32Array(INPUT_CHUNK), new Float32Array(INPUT_CHUNK)]); inp.allocated += 1; }
      t.chunk = inp.pool.pop();
      t.position = position;
      t.contextFrame = currentFrame;
    }
    // A device that stops delivering (unplugged) records silence, so the take keeps its time.
    for (let c = 0; c < t.channels; ++c) {
      const src = channels[Math.min(c, k - 1)];
      if (src) t.chunk[c].set(src.subarray(0, n), t.fill); else t.chunk[c].fill(0, t.fill, t.fill + n);
    }
    t.fill += n;
    if (t.fill + 128 > INPUT_CHUNK) this.sendChunk(false);
  }

  sendChunk(last) {
    const t = this.input.take;
    const chunk = t.chunk || [];  // none running (an end right after a full chunk, or before the song played): frames 0
    this.port.postMessage({ type: 'inputChunk', id: t.id, seq: t.seq, position: t.position, contextFrame: t.contextFrame, frames: t.fill,
      channelCount: t.channels, buffers: chunk, last }, chunk.map((a) => a.buffer));
    t.seq += 1;
    t.fill = 0;
    t.chunk = null;
  }

  // Ends the take: what its running chunk holds goes with last: true (frames 0 when nothing was recorded).
  endTake() {
    if (!this.input.take) return;
    this.sendChunk(true);
    this.input.take = null;
  }

  // One quantum of the loopback calibration: the clicks due in it added to the output, the input's
  // first channel (silence while nothing is connected) recorded.
  calibrate(input, out, n) {
    const c = this.calibration;
    if (c.contextFrame < 0) c.contextFrame = currentFrame;
    const len = c.click.length;
    for (const at of c.clicks) {
      const from = Math.max(0, at - c.fill), to = Math.min(n, at + len - c.fill);
      for (let i = from; i < to; ++i) { const v = c.click[c.fill + i - at]; for (const o of out) o[i] += v; }
    }
    const k = Math.min(n, c.buffer.length - c.fill);
    if (input[0]) c.buffer.set(input[0].subarray(0, k), c.fill);
    c.fill += k;
    if (c.fill >= c.buffer.length) {
      this.port.postMessage({ type: 'calibrated', id: c.id, contextFrame: c.contextFrame, buffer: c.buffer }, [c.buffer.buffer]);
      this.calibration = null;
    }
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
    // The transport as this quantum starts (after the messages before it): the input is recorded only
    // while it plays the song (not during a count-in), timed by its frame.
    const inputPosition = this.input.take ? this.engine.position() : 0;
    const rolling = this.input.take ? this.engine.playing() && !this.engine.countingIn() : false;
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
    const input = inputs[0] || [];
    if (input.length || this.input.take || this.input.channels) this.takeInput(input, n, inputPosition, rolling);
    if (this.calibration) this.calibrate(input, out, n);
    else if (this.input.monitor && input.length) {
      for (let c = 0; c < out.length; ++c) {
        const src = input[Math.min(c, input.length - 1)], o = out[c];
        for (let i = 0; i < n; ++i) o[i] += src[i];
      }
    }
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
