// Project bundles and stems in the studio: a bundle made by `mixdown bundle` opens with its audio (one
// undo step, nothing missing) and renders in the browser as natively; "Save bundle" writes a file that
// `mixdown render` plays as the studio does; a damaged bundle is refused naming the entry; "Export stems"
// downloads a zip with a WAV per track whose top-level files sum to the browser's mix before the master
// chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser, stopBrowser, openStudio, clickWidget, settled, dropFile, MIXDOWN, ROOT, env } from './browser.mjs';
import { readFloatWav, peakDifferenceDb, wavFloat } from './wav.mjs';

before(startBrowser);
after(stopBrowser);

const project = (page) => page.evaluate(() => window.mixdown.project());
const enc = `(f) => { const u = new Uint8Array(f.buffer, f.byteOffset, f.byteLength); let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000)); return btoa(s); }`;
const dec = (x) => { const b = Buffer.from(x, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };

// The demo with two audio tracks (a 48 kHz float WAV through a lookahead limiter with a send to the
// demo's reverb, a 48 kHz FLAC grouped into a new bus), as files beside a .json, then bundled natively.
function makeBundle() {
  const tone = Array.from({ length: 72000 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 220 * i) / 48000) * Math.exp(-i / 30000));
  writeFileSync(join(env.tmp, 'b-tone.wav'), wavFloat(tone, 48000));
  execFileSync(MIXDOWN, ['render', join(ROOT, 'web', 'demos', 'first-light.json'), '-o', join(env.tmp, 'b-loop.flac'), '--format', 'flac24', '--seconds', '2']);
  const song = JSON.parse(readFileSync(join(ROOT, 'web', 'demos', 'first-light.json'), 'utf8'));
  const sha = (f) => createHash('sha256').update(readFileSync(join(env.tmp, f))).digest('hex');
  song.title = 'Bundle Test';
  song.assets = [
    { id: 'tone', name: 'b-tone.wav', sha256: sha('b-tone.wav'), sampleRate: 48000, channels: 1, frames: 72000, path: 'b-tone.wav' },
    { id: 'loop', name: 'b-loop.flac', sha256: sha('b-loop.flac'), sampleRate: 48000, channels: 2, frames: 96000, path: 'b-loop.flac' },
  ];
  const verb = song.tracks.find((t) => t.kind === 'bus');
  song.tracks.push({ id: 'tone', name: 'Tone', kind: 'audio', clips: [{ start: 0, length: 3, asset: 'tone' }, { start: 6, length: 3, asset: 'tone' }],
    inserts: [{ type: 'mixdown.limiter', params: { ceiling: -9 } }], sends: [{ target: verb.id, levelDb: -6 }] });
  song.tracks.push({ id: 'loop', name: 'Loop', kind: 'audio', clips: [{ start: 2, length: 4, asset: 'loop' }], output: 'grp', strip: { gainDb: -6, pan: 0.3 } });
  song.tracks.push({ id: 'grp', name: 'Group', kind: 'bus', inserts: [{ type: 'mixdown.compressor', params: { threshold: -20 } }] });
  writeFileSync(join(env.tmp, 'b-song.json'), JSON.stringify(song));
  execFileSync(MIXDOWN, ['bundle', join(env.tmp, 'b-song.json'), '-o', join(env.tmp, 'b-song.mixdown')]);
  return readFileSync(join(env.tmp, 'b-song.mixdown'));
}

async function browserRender(page, seconds) {
  const got = await page.evaluate(async ([sec, e]) => {
    const encode = eval(e);
    const r = await window.mixdown.renderOffline({ seconds: sec });
    return [encode(r.channels[0]), encode(r.channels[1])];
  }, [seconds, enc]);
  return got.map(dec);
}

test('a bundle from mixdown bundle opens with its audio, one undo step, and renders as natively', async () => {
  const bundle = makeBundle();
  const { page, problems } = await openStudio();
  const demo = await project(page);
  await dropFile(page, bundle, 'b-song.mixdown');
  await page.waitForFunction(() => window.mixdown.project().title === 'Bundle Test', null, { timeout: 30000 });
  const song = await project(page);
  assert.equal(song.tracks.length, demo.tracks.length + 3);
  assert.match(song.assets[0].path, /^audio\/[0-9a-f]{64}\.wav$/);
  assert.match(song.assets[1].path, /^audio\/[0-9a-f]{64}\.flac$/);
  await page.waitForFunction(() => window.mixdown.status().sampleRate > 0, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'no missing audio');
  // The browser's render against `mixdown render` of the same bundle file.
  const seconds = 8;
  const browser = await browserRender(page, seconds);
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'b-song.mixdown'), '-o', join(env.tmp, 'b-native.wav'), '--seconds', String(seconds)]);
  const native = readFloatWav(join(env.tmp, 'b-native.wav')).channels;
  const diff = peakDifferenceDb(browser, native);
  console.log(`bundle: browser render vs native render of the .mixdown, ${seconds} s: peak difference ${diff} dBFS`);
  assert.ok(diff <= -120, `difference ${diff} dBFS`);
  // Save bundle (the studio's own zip, its hashes from crypto.subtle) renders natively as the studio does.
  const saved = await page.evaluate(async (e) => {
    const r = await window.mixdown.saveBundle({ download: false });
    return { filename: r.filename, bytes: eval(e)(r.bytes) };
  }, enc);
  assert.equal(saved.filename, 'Bundle_Test.mixdown');
  writeFileSync(join(env.tmp, 'b-saved.mixdown'), Buffer.from(saved.bytes, 'base64'));
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'b-saved.mixdown'), '-o', join(env.tmp, 'b-saved.wav'), '--seconds', String(seconds)]);
  const fromSaved = readFloatWav(join(env.tmp, 'b-saved.wav')).channels;
  assert.equal(peakDifferenceDb(fromSaved, native), -Infinity, 'the saved bundle renders bit-identically');
  // Undo brings the demo back in one step.
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.deepEqual(await project(page), demo, 'Undo brings the song that was open back');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a tampered or broken bundle is refused naming the entry, and the song stays', async () => {
  const bundle = makeBundle();
  const { page } = await openStudio();
  const demo = await project(page);
  // Cut in half: not a readable zip.
  await dropFile(page, bundle.subarray(0, bundle.length >> 1), 'cut.mixdown');
  await page.waitForFunction(() => window.mixdown.error() !== '', null, { timeout: 30000 });
  assert.match(await page.evaluate(() => window.mixdown.error()), /^cut\.mixdown: /);
  // A zip whose WAV entry was swapped (the project still names the old hash).
  const swapped = await page.evaluate(async (b64) => {
    const { readZip, writeZip } = await import('./archive.js');
    const entries = readZip(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), 'x');
    for (const [path, data] of entries) if (path.endsWith('.wav')) data[100] ^= 1;
    const out = writeZip([...entries]);
    const r = await window.mixdown.openBundle(out, 'swapped.mixdown');
    return r.error;
  }, bundle.toString('base64'));
  assert.match(swapped, /^swapped\.mixdown: audio\/[0-9a-f]{64}\.wav: SHA-256 [0-9a-f]{64} is not the [0-9a-f]{64} that project\.json: assets\[0\] \("tone"\) names: the file was damaged or replaced$/);
  assert.deepEqual(await project(page), demo, 'the song is unchanged');
  await page.close();
});

test('Export stems: a WAV per track in one zip, the top-level ones summing to the pre-master mix', async () => {
  const bundle = makeBundle();
  const { page, problems } = await openStudio();
  await dropFile(page, bundle, 'b-song.mixdown');
  await page.waitForFunction(() => window.mixdown.project().title === 'Bundle Test', null, { timeout: 30000 });
  // Watch the progress display while the button's export runs, then take the result as a script would.
  const result = await page.evaluate(async ([e]) => {
    const seen = new Set();
    const watch = setInterval(() => { const el = document.getElementById('progress'); if (el.style.display !== 'none') seen.add(el.textContent.replace(/\d+%/, 'N%')); }, 5);
    const r = await window.mixdown.exportStems({ download: false, bits: 32, seconds: 6 });
    clearInterval(watch);
    const { readZip } = await import('./archive.js');
    const zip = readZip(r.zip, 'stems.zip');
    return { names: [...zip.keys()], progress: [...seen], frames: r.frames, top: r.files.filter((f) => f.inMix).map((f) => [f.path, eval(e)(f.channels[0]), eval(e)(f.channels[1])]) };
  }, [enc]);
  const song = await project(page);
  assert.equal(result.names.length, song.tracks.length, 'one WAV per track, buses and returns included');
  assert.ok(result.names.includes('inside buses/09 Loop.wav'), result.names.join(', '));
  assert.ok(result.names.includes('10 Group (bus).wav'), result.names.join(', '));
  assert.ok(result.progress.includes('Rendering stems N%'), result.progress.join(' | '));
  // The reference: the same song without its master chain, rendered by the browser.
  const pre = { ...song, master: { ...song.master, devices: [] } };
  await page.evaluate((json) => window.mixdown.loadProject(json), JSON.stringify(pre));
  const frames = result.frames;
  const reference = await page.evaluate(async ([f, e]) => {
    const r = await window.mixdown.renderOffline({ seconds: f / 48000 });
    return [eval(e)(r.channels[0]), eval(e)(r.channels[1])];
  }, [frames, enc]);
  const ref = reference.map(dec);
  const sum = [new Float64Array(frames), new Float64Array(frames)];
  for (const [, l, r] of result.top) [dec(l), dec(r)].forEach((ch, c) => { for (let i = 0; i < frames; ++i) sum[c][i] += ch[i]; });
  let worst = 0, peak = 0;
  for (let c = 0; c < 2; ++c) for (let i = 0; i < frames; ++i) { worst = Math.max(worst, Math.abs(sum[c][i] - ref[c][i])); peak = Math.max(peak, Math.abs(ref[c][i])); }
  const db = 20 * Math.log10(worst);
  console.log(`browser stems: ${result.top.length} top-level stems of ${result.names.length} sum to the pre-master mix within ${db.toFixed(1)} dBFS (mix peak ${(20 * Math.log10(peak)).toFixed(1)} dBFS)`);
  assert.ok(peak > 0.05);
  assert.ok(db < -120, `residual ${db} dBFS`);
  // And the page's stems are the command line's (wasm = native), file by file.
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'b-song.mixdown'), '--stems', join(env.tmp, 'b-stems'), '--stems-buses', '--format', 'wav32f', '--seconds', '6']);
  let worstFile = -Infinity;
  for (const [path, l, r] of result.top) {
    const native = readFloatWav(join(env.tmp, 'b-stems', `${path}.wav`)).channels;
    worstFile = Math.max(worstFile, peakDifferenceDb([dec(l), dec(r)], native));
  }
  console.log(`browser stems vs mixdown render --stems: worst peak difference ${worstFile} dBFS`);
  assert.ok(worstFile <= -120, `${worstFile} dBFS`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the File menu has Save bundle and Export stems, and Save bundle downloads', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'file');
  await settled(page);
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  assert.ok(rects['save-bundle'] && rects['export-stems'], Object.keys(rects).join(', '));
  assert.ok(rects['export-midi'].x + rects['export-midi'].w / 2 < 1280, 'Export MIDI is still on the screen');
  await page.screenshot({ path: join(ROOT, 'build', 'bundles-menu.png') });
  // The demo holds no audio: its bundle is the project alone.
  const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'save-bundle')]);
  assert.equal(download.suggestedFilename(), 'First_Light.mixdown');
  const path = join(env.tmp, 'menu.mixdown');
  await download.saveAs(path);
  const out = execFileSync(MIXDOWN, ['analyze', path, '--json']).toString();
  assert.ok(JSON.parse(out)[0].integratedLufs < -5, out);
  assert.deepEqual(problems, []);
  await page.close();
});
