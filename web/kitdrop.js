// Sample kits dropped on the page: an SFZ instrument or a Hydrogen drum kit (drumkit.xml) together with its
// samples, in one drop: loose files, a whole folder (walked with webkitGetAsEntry, so the kit's relative
// paths such as "samples/kick.wav" resolve), a .zip of the kit's folder, or a Hydrogen .h2drumkit (tarball.js). The studio's wasm module reads
// the kit with the same core readers as `mixdown import-kit` (wasm/studio/KitDrop.cpp); the samples it
// names are decoded into assets as dropped audio is (boot.js), and the kit is loaded as one undo step:
// on the sampler it was dropped on, or as a new sampler track named after the kit. A refused kit, a
// missing or undecodable sample: one message naming the kit file (and the line or element) and the
// sample, and nothing of the kit is left behind.
import { readZip, MAX_ENTRIES, MAX_BYTES } from './archive.js';
import { readTarGz } from './tarball.js';

const KIT_TEXT_BYTES = 16 * 1024 * 1024;   // one kit file or #include, as natively (native-host/KitImport.cpp)
const ALL_TEXT_BYTES = 64 * 1024 * 1024;   // every text file of one drop together
// Read as audio, never as a kit's text (an #include may have any other name).
const AUDIO = /\.(wav|wave|flac|ogg|oga|opus|mp3|aif|aiff|aifc|wv|m4a|caf|w64|au|snd|zip|h2drumkit|tgz|tar\.gz)$/i;
// Archives opened as folders: zips, and Hydrogen's .h2drumkit (a kit's folder as a .tar.gz).
const ZIP = /\.zip$/i, TARBALL = /\.(h2drumkit|tgz|tar\.gz)$/i;
const KIT = /(^|\/)drumkit\.xml$|\.sfz$/i;

// What a drop event holds, taken while the event runs (a DataTransfer's items are gone after it):
// [{entry (a FileSystemEntry or null), file (a File or null)}].
export function captureDrop(dataTransfer) {
  const items = [];
  for (const item of dataTransfer.items || []) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    items.push({ entry, file: item.getAsFile() });
  }
  if (!items.length) for (const file of dataTransfer.files || []) items.push({ entry: null, file });
  return items;
}

// Whether a captured drop goes to the kit loader: it holds a folder, a zip or .h2drumkit, an .sfz or a
// drumkit.xml.
export function isKitDrop(items) {
  return items.some(({ entry, file }) => (entry && entry.isDirectory) || (file && (KIT.test(file.name) || ZIP.test(file.name) || TARBALL.test(file.name))));
}

// Every file of the drop as [{path, file}]: folders walked (paths relative to the drop: "Kit/kick.wav"),
// zips and .h2drumkit files opened (their entries' paths), with the zip reader's limits on count and size.
async function gatherFiles(items) {
  const out = [];
  let bytes = 0;
  const add = (path, file) => {
    if (out.length >= MAX_ENTRIES) throw new Error(`the drop holds more than ${MAX_ENTRIES} files`);
    if ((bytes += file.size) > MAX_BYTES) throw new Error(`the drop holds more than ${MAX_BYTES >> 20} MiB`);
    out.push({ path, file });
  };
  const fileOf = (entry) => new Promise((resolve, reject) => entry.file(resolve, () => reject(new Error(`${entry.fullPath}: cannot be read`))));
  const walk = async (dir) => {
    const reader = dir.createReader();
    for (;;) {  // readEntries gives a folder's entries in batches, then an empty one
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, () => reject(new Error(`${dir.fullPath}: cannot be listed`))));
      if (!batch.length) return;
      for (const e of batch) {
        if (e.isDirectory) await walk(e);
        else add(e.fullPath.replace(/^\//, ''), await fileOf(e));
      }
    }
  };
  for (const { entry, file } of items) {
    if (entry && entry.isDirectory) { await walk(entry); continue; }
    const f = file || (entry ? await fileOf(entry) : null);
    if (!f) continue;
    const path = entry ? entry.fullPath.replace(/^\//, '') : f.name;
    if (ZIP.test(path) || TARBALL.test(path)) {
      const bytes = new Uint8Array(await f.arrayBuffer());
      const entries = ZIP.test(path) ? readZip(bytes, path) : await readTarGz(bytes, path);
      for (const [name, data] of entries) add(name, new File([data], name.split('/').pop()));
    } else {
      add(path, f);
    }
  }
  return out;
}

// The kit file of a drop: a drumkit.xml or .sfz, the one nearest the top of the drop. Several at that
// depth are refused (a folder of many instruments: drop one of them with its samples).
function chooseKit(files) {
  const kits = files.filter((f) => KIT.test(f.path));
  if (!kits.length) return { kit: null };
  const depth = (p) => p.split('/').length;
  const top = Math.min(...kits.map((k) => depth(k.path)));
  const nearest = kits.filter((k) => depth(k.path) === top);
  if (nearest.length > 1) {
    const names = nearest.slice(0, 3).map((k) => k.path).join(', ') + (nearest.length > 3 ? ', ...' : '');
    return { error: `the drop holds ${nearest.length} kits side by side (${names}): drop one kit file with its samples, or one kit's folder` };
  }
  return { kit: nearest[0].path };
}

// What the wasm readers take for each dropped file: {path, text?} (the text of files that are not audio).
async function readerFiles(files) {
  let total = 0;
  const out = [];
  for (const { path, file } of files) {
    const entry = { path };
    if (!AUDIO.test(path) && file.size <= KIT_TEXT_BYTES && (total += file.size) <= ALL_TEXT_BYTES) entry.text = new Uint8Array(await file.arrayBuffer());
    out.push(entry);
  }
  return out;
}

// What a sample file says of itself for the kit readers (KitFiles::sampleInfo), as libsndfile tells the
// native host: the smpl chunk's root key and first loop, the loop's end cut to the file's length.
function sampleInfo(header, frames) {
  const info = { rootKey: header.rootKey ?? -1 };
  if (header.loop) {
    const end = Math.min(header.loop.end, frames);
    if (end > header.loop.start + 1) info.loop = { ...header.loop, end };
  }
  return info;
}

// Loads the kit of a captured drop (see captureDrop) at `at` ({x, y} in CSS pixels of the canvas, or null).
// `host` is the page's: {studio, decodeAudio(file, path) -> {described, header, commit()}, addAudioFiles,
// showError, showNotice, progress(text or null)}. Resolves to {error} or {name, kit, zones, samples, warnings, track, notice}.
export async function dropKit(items, at, host) {
  const { studio } = host;
  let files;
  try {
    files = await gatherFiles(items);
  } catch (e) {
    host.showError(`The dropped files could not be read: ${e.message}`);
    return { error: e.message };
  }
  const chosen = chooseKit(files);
  if (chosen.error) { host.showError(`No kit was loaded: ${chosen.error}`); return { error: chosen.error }; }
  if (!chosen.kit) {
    // A folder or zip of plain audio files: dropped audio, in path order.
    const audio = files.filter((f) => AUDIO.test(f.path) && !ZIP.test(f.path) && !TARBALL.test(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
    if (audio.length) { await host.addAudioFiles(audio.map((f) => new File([f.file], f.path.split('/').pop()))); return { audio: audio.length }; }
    const error = 'the drop holds no SFZ file, Hydrogen drumkit.xml or audio file';
    host.showError(`Nothing was loaded: ${error}`);
    return { error };
  }
  const kitPath = chosen.kit;
  const refuse = (error) => { host.showError(`${error} (nothing was loaded)`); return { error }; };
  const list = await readerFiles(files);
  const read = studio.readKit(kitPath, list);
  if (read.error) return refuse(read.error);
  // Each sample the kit plays, decoded (nothing kept yet: a sample that fails refuses the whole kit).
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  const entryOf = new Map(list.map((e) => [e.path, e]));
  const decoded = [];
  try {
    for (const [k, path] of read.samples.entries()) {
      host.progress(`Loading ${read.name}: sample ${k + 1} of ${read.samples.length}`);
      let d;
      try {
        d = await host.decodeAudio(byPath.get(path), path);
      } catch (e) {
        return refuse(`${kitPath}: sample ${path} could not be decoded (${e.message.replace(/^.*?: /, '')})`);
      }
      const entry = entryOf.get(path);
      entry.info = sampleInfo(d.header, d.described.frames);
      entry.asset = d.described;
      decoded.push(d);
    }
  } finally {
    host.progress(null);
  }
  const done = studio.addKit(kitPath, list, at ? at.x : -1, at ? at.y : -1);
  if (done.error) return refuse(done.error);
  for (const d of decoded) await d.commit();  // the engine plays the zones once their audio arrives
  const warnings = [...done.warnings];
  const notice = `Loaded ${done.name} (${kitPath}): ${done.zones} zones, ${read.samples.length} samples` +
    (warnings.length ? `; ${warnings.length} warning${warnings.length > 1 ? 's' : ''}, the first: ${warnings[0]}` : '');
  host.showNotice(notice);
  for (const w of warnings) console.warn(`mixdown: ${w}`);
  return { name: done.name, kit: kitPath, zones: done.zones, samples: read.samples, warnings, track: done.track, notice };
}
