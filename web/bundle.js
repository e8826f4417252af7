// Project bundles in the page (core/interchange/Bundle.h): "Save bundle" zips the song with the audio the
// studio holds; opening a .mixdown checks it with the core's reader (the page unzips with archive.js and
// hashes with crypto.subtle), hands its audio to the engine and then opens the song as one undo step, so
// nothing plays a moment without its audio. `page` is boot.js's: {studio, assets, sha256Hex, decodeAt,
// sendAsset, sendPeaks, playRate}.
import { readZip, writeZip } from './archive.js';

// Opens the bundle in `bytes` (Uint8Array) read from `name`. Throws with the file and the entry to blame;
// the current song is unchanged then. Returns {files, warnings}.
export async function openBundle(page, bytes, name) {
  const entries = readZip(bytes, name);
  const json = entries.get('project.json');
  if (!json) throw new Error(`${name}: project.json: missing: this zip is not a Mixdown bundle (a bundle holds project.json and audio/)`);
  const text = new TextDecoder('utf-8').decode(json);
  const list = [];
  for (const [path, data] of entries) list.push({ path, sha256: path === 'project.json' ? '' : await page.sha256Hex(data) });
  const check = JSON.parse(page.studio.checkBundle(text, JSON.stringify(list)));
  if (check.error) throw new Error(`${name}: ${check.error}`);
  const rate = page.playRate();
  const decoded = [];
  for (const { assetId, entry } of check.audio) {
    const data = entries.get(entry);
    const fileBytes = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    let channels;
    try {
      channels = (await page.decodeAt(fileBytes, rate)).channels;
    } catch {
      throw new Error(`${name}: ${entry}: could not decode this audio file (unsupported or damaged)`);
    }
    decoded.push({ assetId, fileBytes, channels });
  }
  // Every file decoded: now the engine and the waveforms get them, then the song opens.
  for (const { assetId, fileBytes, channels } of decoded) {
    page.assets.set(assetId, { bytes: fileBytes, decoded: new Map([[rate, channels]]) });
    page.sendPeaks(assetId, channels, rate);
    await page.sendAsset(assetId, channels);
  }
  const problems = page.studio.openBundle(text);
  if (problems) throw new Error(`${name}: project.json: ${problems.split('\n').join('; ')}`);
  return { files: decoded.length, warnings: check.warnings };
}

// The open song as a bundle: {filename, bytes (Uint8Array)}. Throws naming an asset whose audio the page
// does not hold (a song opened from a .json without its files).
export async function saveBundle(page, filename) {
  const project = JSON.parse(page.studio.projectJson());
  const files = [];
  for (const a of project.assets) {
    const held = page.assets.get(a.id);
    if (!held) continue;
    const head = new Uint8Array(held.bytes, 0, Math.min(16, held.bytes.byteLength));
    files.push({ assetId: a.id, sha256: await page.sha256Hex(held.bytes), extension: page.studio.audioExtension(head, a.path || a.name || '') });
  }
  const plan = JSON.parse(page.studio.planSongBundle(JSON.stringify(files)));
  if (plan.error) throw new Error(plan.error);
  const bytes = writeZip([['project.json', plan.projectJson], ...plan.entries.map((e) => [e.entry, new Uint8Array(page.assets.get(e.assetId).bytes)])]);
  return { filename, bytes, files: plan.entries.length };
}
