// "Export stems" in the page: the song rendered offline by the same worklet engine (OfflineAudioContext),
// which taps every track's output where the mix sums it (core/engine/Stems.h: post-insert, post-fader,
// post-pan, delay-compensated, before the master chain; buses and returns as their own stems, tracks that
// feed a bus under "inside buses/"), one WAV per track in one zip (archive.js). The top-level files sum to
// the mix before the master chain. `page` is boot.js's: {studio, renderSetup, encodeWav, progress}.
import { writeZip } from './archive.js';

// Resolves to {files: [{path, kind, inMix, channels: [Float32Array, Float32Array]}], zip (Uint8Array),
// sampleRate, frames}. bits: 16 | 24 | 32 (float, the default: stems that sum exactly); seconds: the song's length by default.
export async function exportStems(page, { sampleRate = 48000, bits = 32, seconds } = {}) {
  const plan = JSON.parse(page.studio.songStemFiles(true));
  if (!plan.length) throw new Error('the song has no tracks to export stems of');
  const { ctx, node, frames } = await page.renderSetup({ seconds, sampleRate, stems: true });
  const tracks = JSON.parse(page.studio.projectJson()).tracks.length;
  const stems = Array.from({ length: tracks }, () => [new Float32Array(frames), new Float32Array(frames)]);
  let received = 0, allIn = null;
  const arrived = new Promise((resolve) => { allIn = resolve; });
  node.port.onmessage = (e) => {
    const m = e.data;
    if (m.type !== 'stems') return;
    const n = Math.min(m.frames, frames - m.at);
    m.stems.forEach((pair, k) => pair.forEach((data, c) => stems[k][c].set(data.subarray(0, n), m.at)));
    received += n;
    if (received >= frames) allIn();
  };
  page.progress(`Rendering stems 0%`);
  const total = frames / sampleRate;
  for (let t = 1; t < total; t += 1) {
    ctx.suspend(t).then(() => { page.progress(`Rendering stems ${Math.round((100 * t) / total)}%`); ctx.resume(); });
  }
  try {
    await ctx.startRendering();
    await arrived;
    page.progress('Writing the stems zip...');
    await new Promise((r) => setTimeout(r, 30));  // let the text paint: the zip is one long call
    const files = plan.map((f) => ({ ...f, channels: stems[f.track] }));
    const zip = writeZip(files.map((f) => [`${f.path}.wav`, new Uint8Array(page.encodeWav(f.channels, sampleRate, bits))]));
    return { files, zip, sampleRate, frames };
  } finally {
    page.progress(null);
  }
}
