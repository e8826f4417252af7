// The AudioWorklet processor: runs the wasm engine (engine.mjs) in 128-frame render quanta.
// Control arrives on the port as small messages; structural changes arrive as a whole project, which
// the engine turns into a new plan between quanta. Meters and the playhead go back ~30 times a second.
import createEngine from './engine.mjs';

class MixdownProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.module = createEngine(); // synchronous compile (WASM_ASYNC_COMPILATION=0)
    this.engine = new this.module.WasmEngine(sampleRate, 128);
    this.framesSinceStatus = 0;
    this.statusEvery = Math.round(sampleRate / 30);
    this.port.onmessage = (e) => this.onMessage(e.data);
    for (const asset of opts.assets || []) this.addAsset(asset);
    if (opts.project) {
      const result = JSON.parse(this.engine.loadProject(opts.project));
      this.port.postMessage({ type: 'loaded', result });
    }
    if (opts.play) this.engine.play();
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
        case 'project': {
          const result = JSON.parse(e.loadProject(msg.json));
          this.port.postMessage({ type: 'loaded', result });
          break;
        }
        case 'asset': this.port.postMessage({ type: 'loaded', result: this.addAsset(msg) }); break;
        case 'play': e.play(); break;
        case 'stop': e.stop(); break;
        case 'seek': e.seekBeat(Number(msg.beat) || 0); break;
        case 'loop': e.setLoop(!!msg.enabled, Number(msg.start), Number(msg.end)); break;
        case 'strip': e.setTrackStrip(msg.track | 0, Number(msg.gainDb), Number(msg.pan), !!msg.mute, !!msg.solo); break;
        case 'master': e.setMasterGain(Number(msg.gainDb)); break;
        case 'masterChain': {
          const problem = e.setMasterChain(String(msg.json));
          if (problem) this.port.postMessage({ type: 'error', message: `master chain refused: ${problem}` });
          break;
        }
        case 'resetLoudness': e.resetLoudness(); break;
        case 'insertParam': e.setInsertParam(msg.track | 0, msg.insert | 0, String(msg.param), Number(msg.value)); break;
        case 'status': this.sendStatus(); break;
      }
    } catch (err) {
      this.port.postMessage({ type: 'error', message: `engine: ${err && err.message ? err.message : err}` });
    }
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
    this.port.postMessage({ type: 'status', playing: e.playing(), position: e.position(), sampleRate, peaks, loudness, reductions },
      [peaks.buffer, reductions.buffer]);
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    this.engine.process(n);
    const heap = this.module.HEAPF32; // re-read: memory may have grown during a message
    const l = this.engine.outputPointer(0) >> 2, r = this.engine.outputPointer(1) >> 2;
    out[0].set(heap.subarray(l, l + n));
    if (out[1]) out[1].set(heap.subarray(r, r + n));
    this.framesSinceStatus += n;
    if (this.framesSinceStatus >= this.statusEvery) {
      this.framesSinceStatus = 0;
      this.sendStatus();
    }
    return true;
  }
}

registerProcessor('mixdown-engine', MixdownProcessor);
