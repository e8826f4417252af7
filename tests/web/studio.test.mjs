// The studio in real Chromium (Debian's, driven by playwright-core): loading, drawing, real mouse
// clicks, the offline render against the native render, share links good and bad.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFloatWav, peakDifferenceDb, peakDb, wavFloat } from './wav.mjs';
import { MIXDOWN, BASE, env, startBrowser, stopBrowser, openStudio, clickWidget, renderBoth, settled, dropFile, statusesOver, highest } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

async function status(page) {
  const s = await page.evaluate(() => window.mixdown.status());
  return s;
}

test('the studio loads the demo with no console errors and draws it', async () => {
  const { page, problems } = await openStudio();
  const project = await page.evaluate(() => window.mixdown.project());
  assert.equal(project.title, 'First Light');
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  // Every track has its mixer strip; the rows the arrangement shows have their buttons (rectangles are of
  // what is on screen: rows below the arrangement's height are a scroll away), the first four at least.
  for (let i = 0; i < project.tracks.length; ++i) assert.ok(rects[`fader:${i}`], `track ${i} strip`);
  const rows = project.tracks.filter((_, i) => rects[`mute:${i}`]).length;
  assert.ok(rows >= 4, `${rows} track rows on screen`);
  for (let i = 0; i < rows; ++i) assert.ok(rects[`mute:${i}`], `track ${i} row`);
  // The canvas shows clips: count pixels in the clips' colours (each track's palette colour, shaded to
  // 60 % for a clip's body).
  const palette = [[0xe8, 0x68, 0x4a], [0xf0, 0xa2, 0x3b], [0xe8, 0xd1, 0x4a], [0x8f, 0xd1, 0x4f], [0x3f, 0xbf, 0x8f]];
  const bodies = palette.map((c) => c.map((v) => Math.round(v * 0.6)));
  const png = await page.locator('#canvas').screenshot();
  writeFileSync(join(env.tmp, 'studio.png'), png);
  const colours = await page.evaluate(async ([b64, bodies]) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const cv = new OffscreenCanvas(img.width, img.height);
    const g = cv.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    let clip = 0, distinct = new Set();
    for (let i = 0; i < d.length; i += 4) {
      if (bodies.some((b) => Math.abs(d[i] - b[0]) < 6 && Math.abs(d[i + 1] - b[1]) < 6 && Math.abs(d[i + 2] - b[2]) < 6)) ++clip;
      if (i % 64 === 0) distinct.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { clip, distinct: distinct.size };
  }, [png.toString('base64'), bodies]);
  assert.ok(colours.clip > 5000, `clip pixels ${colours.clip}`);
  assert.ok(colours.distinct > 20, `distinct colours ${colours.distinct}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking Play starts the engine and clicking Mute silences that track', async () => {
  const { page, problems } = await openStudio();
  assert.equal((await status(page)).playing, false);
  await clickWidget(page, 'play');
  // Poll rather than sleep: a loaded machine may start the audio device late.
  await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 12000, null, { timeout: 15000 });
  // The kick (track 0) is playing: its meter moves (a kick every 0.54 s).
  const kickPeak = highest(await statusesOver(page, 2), 'peaks', 2);
  assert.ok(kickPeak > 0.05, `kick peak before mute ${kickPeak}`);
  await clickWidget(page, 'mute:0');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[0].strip.mute, true);
  await page.evaluate(() => window.mixdown.engineProject());  // the engine has the mute
  await statusesOver(page, 0.1);  // the 5 ms mute ramp, and statuses that began before it
  const muted = await statusesOver(page, 1.5);
  const after = Math.max(highest(muted, 'peaks', 2), highest(muted, 'peaks', 3)), others = highest(muted, 'peaks', 6);
  assert.equal(after, 0, 'muted kick meter reads silence');
  assert.ok(others > 0.01, 'the bass still plays');
  await clickWidget(page, 'play'); // now labelled Stop
  await page.waitForFunction(() => !window.mixdown.status().playing, null, { timeout: 15000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('renderOffline in the browser equals the native render within -120 dBFS', async () => {
  const { page } = await openStudio();
  const seconds = 12;
  const r = await renderBoth(page, seconds, 'song', { watchProgress: true });
  // The studio shows progress while it renders, and hides it after.
  assert.ok(r.progress.some((t) => /^Rendering \d+%$/.test(t)), `progress shown (saw ${r.progress.join(', ')})`);
  assert.ok(r.progressHidden, 'progress hidden after the render');
  assert.ok(peakDb(r.native) > -10);
  const diff = peakDifferenceDb(r.browser, r.native);
  console.log(`browser renderOffline vs native: ${seconds} s, peak difference ${diff} dBFS`);
  assert.ok(diff <= -120, `difference ${diff} dBFS`);
  await page.close();
});

test('a share URL round-trips the project', async () => {
  const { page } = await openStudio();
  await clickWidget(page, 'solo:2'); // an edit, so the link carries more than the demo
  const original = await page.evaluate(() => window.mixdown.project());
  const url = await page.evaluate(() => window.mixdown.shareUrl());
  assert.match(url, /#p2=[A-Za-z0-9_-]+$/); // v2 (tests/web/sharelink.test.mjs has the rest)
  await page.close();
  const { page: second, problems } = await openStudio(url);
  assert.deepEqual(await second.evaluate(() => window.mixdown.project()), original);
  assert.equal(await second.evaluate(() => window.mixdown.error()), '');
  assert.deepEqual(problems, []);
  await second.close();
});

test('a corrupt share URL shows the error and the studio still plays', async () => {
  for (const hash of ['#p=%%%not-base64', '#p=AAAAAAAAAAAA', '#p=', '#p=' + 'A'.repeat(5)]) {
    const { page } = await openStudio(BASE + hash);
    const error = await page.evaluate(() => window.mixdown.error());
    assert.match(error, /This share link could not be opened/, hash);
    assert.ok(await page.evaluate(() => window.mixdown.widgetRects().error), 'the error banner is drawn');
    assert.equal((await page.evaluate(() => window.mixdown.project())).title, 'First Light');
    await clickWidget(page, 'play');
    await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 0, null, { timeout: 15000 });
    await page.close();
  }
});

test('dropping an audio file adds an asset, a track and a clip that the engine plays', async () => {
  const { page, problems } = await openStudio();
  const before = (await page.evaluate(() => window.mixdown.project())).tracks.length;
  const samples = Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * i) / 48000));
  const bytes = wavFloat(samples, 48000);
  writeFileSync(join(env.tmp, 'tone.wav'), bytes);
  await dropFile(page, bytes, 'tone.wav');
  await page.waitForFunction((n) => window.mixdown.project().tracks.length === n + 1, before, { timeout: 10000 });
  const project = await page.evaluate(() => window.mixdown.project());
  const track = project.tracks[before];
  assert.equal(track.kind, 'audio');
  assert.equal(track.clips[0].asset, project.assets[0].id);
  const { createHash } = await import('node:crypto');
  assert.equal(project.assets[0].sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(project.assets[0].frames, 48000);
  assert.equal(project.assets[0].channels, 1);
  // Solo the new track and compare the browser's render with the native one (same file, no resampling).
  await clickWidget(page, `solo:${before}`);
  const b64 = await page.evaluate(async () => {
    const r = await window.mixdown.renderOffline({ seconds: 1.5 });
    const u = new Uint8Array(r.channels[0].buffer); let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const b = Buffer.from(b64, 'base64');
  const left = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
  writeFileSync(join(env.tmp, 'dropped.json'), JSON.stringify(await page.evaluate(() => window.mixdown.project())));
  execFileSync(MIXDOWN, ['render', join(env.tmp, 'dropped.json'), '-o', join(env.tmp, 'dropped.wav'), '--seconds', '1.5']);
  const native = readFloatWav(join(env.tmp, 'dropped.wav'));
  assert.ok(peakDb([native.channels[0]]) > -20, 'the soloed audio track sounds'); // -6 dBFS tone, -3 dB pan law, -2 dB master
  const diff = peakDifferenceDb([left], [native.channels[0]]);
  let firstDiff = -1; for (let i = 0; i < left.length; ++i) if (left[i] !== native.channels[0][i]) { firstDiff = i; break; }
  assert.ok(diff <= -120, `difference ${diff} dBFS, first at frame ${firstDiff}: ${left[firstDiff]} vs ${native.channels[0][firstDiff]}`);
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), []);
  // After a reload the project comes back (autosave, written with every edit) with its audio (kept in the
  // browser; reconnecting missing audio by a drop: tests/web/persistence.test.mjs).
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  assert.deepEqual(await page.evaluate(() => window.mixdown.missingAssets()), [], 'the audio is back after the reload');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks.length, before + 1, 'with its track');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad project file is refused with its problems and the current work is kept', async () => {
  const { page } = await openStudio();
  await clickWidget(page, 'mute:3');
  const before = await page.evaluate(() => window.mixdown.project());
  const bad = { ...before, tempo: -5 };
  bad.tracks = before.tracks.map((t, i) => (i === 1 ? { ...t, clips: [{ ...t.clips[0], length: 0 }] } : t));
  const message = await page.evaluate(async (json) => {
    try { await window.mixdown.loadProject(json); return 'accepted'; } catch (e) { return e.message; }
  }, JSON.stringify(bad));
  assert.match(message, /tempo: must be between 20 and 999 BPM \(got -5\)/);
  assert.match(message, /tracks\[1\]\.clips\[0\]\.length: must be > 0/);
  assert.deepEqual(await page.evaluate(() => window.mixdown.project()), before);
  const garbage = await page.evaluate(async () => {
    try { await window.mixdown.loadProject('{"format": "mixdown-project", "tracks": ['); return 'accepted'; } catch (e) { return e.message; }
  });
  assert.match(garbage, /not valid JSON at line 1/);
  await page.close();
});

test('a share link to an invalid project names the problem by its path', async () => {
  const { page } = await openStudio();
  const url = await page.evaluate(async () => {
    const p = window.mixdown.project();
    p.tempo = 0;
    const bytes = new TextEncoder().encode(JSON.stringify(p));
    const packed = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
    let s = ''; for (const b of packed) s += String.fromCharCode(b);
    return `${location.origin}/#p=${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  });
  await page.close();
  const { page: second } = await openStudio(url);
  assert.match(await second.evaluate(() => window.mixdown.error()), /tempo: must be between 20 and 999 BPM \(got 0\)/);
  await second.close();
});

test('Save downloads the project and Open reads it back', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'solo:4');
  const expected = await page.evaluate(() => window.mixdown.project());
  const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'save')]);
  const saved = join(env.tmp, download.suggestedFilename());
  await download.saveAs(saved);
  assert.match(download.suggestedFilename(), /^First_Light\.mixdown\.json$/);
  const { readFileSync } = await import('node:fs');
  assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), expected);
  await page.close();
  const { page: fresh } = await openStudio();
  assert.equal((await fresh.evaluate(() => window.mixdown.project())).tracks[4].strip.solo, false);
  const [chooser] = await Promise.all([fresh.waitForEvent('filechooser'), clickWidget(fresh, 'open')]);
  await chooser.setFiles(saved);
  await fresh.waitForFunction(() => window.mixdown.project().tracks[4].strip.solo === true, null, { timeout: 10000 });
  assert.deepEqual(await fresh.evaluate(() => window.mixdown.project()), expected);
  assert.deepEqual(problems, []);
  await fresh.close();
});

test('Shift+drag on the ruler sets the loop region and the engine loops it', async () => {
  const { page } = await openStudio();
  const ruler = (await page.evaluate(() => window.mixdown.widgetRects())).ruler;
  const ppb = 24; // pixels per beat at the default zoom
  await page.keyboard.down('Shift');
  await page.mouse.move(ruler.x + 0.3 * ppb, ruler.y + 8);
  await page.mouse.down();
  await page.mouse.move(ruler.x + 2.2 * ppb, ruler.y + 8, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await settled(page);
  const loop = (await page.evaluate(() => window.mixdown.project())).loop;
  assert.deepEqual(loop, { enabled: true, start: 0, end: 2 });
  await clickWidget(page, 'play');
  // Two beats at 112 BPM = 51429 frames at 48 kHz (whatever the device rate: check in beats).
  await page.waitForFunction(() => {
    const s = window.mixdown.status();
    return s.playing && s.position > 0;
  }, null, { timeout: 15000 });
  const maxBeat = Math.max(...(await statusesOver(page, 2)).map((s) => (s.position / s.sampleRate) * 112 / 60));
  assert.ok(maxBeat < 2.0 + 0.01, `playhead stays inside the loop (max beat ${maxBeat})`);
  assert.ok(maxBeat > 1.0, `playhead moved (max beat ${maxBeat})`);
  await page.close();
});

test('work survives a reload (autosave), and Demo brings the demo back as an undoable edit', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 760 } });
  const page = await context.newPage();
  await page.goto(BASE);
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
  await clickWidget(page, 'mute:1');
  // The autosave has the edit.
  await page.waitForFunction(() => { const t = localStorage.getItem('mixdown.autosave.v1'); return t && JSON.parse(t).tracks[1].strip.mute === true; }, null, { timeout: 15000 });
  await page.reload();
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[1].strip.mute, true);
  await clickWidget(page, 'demo');
  await page.waitForFunction(() => window.mixdown.project().tracks[1].strip.mute === false, null, { timeout: 10000 });
  await context.close();
});

test('a tab killed or closed right after an edit reopens with that edit', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 760 } });
  const mute = async (page, k) => (await page.evaluate(() => window.mixdown.project())).tracks[k].strip.mute;
  // Killed: the tab's renderer crashes (no pagehide, no unload) right after a click on Mute has reached
  // the widgets.
  let { page } = await openStudio(BASE, { context });
  await clickWidget(page, 'mute:1');
  const crashed = page.waitForEvent('crash');
  (await context.newCDPSession(page)).send('Page.crash').catch(() => { /* answered only when the session closes */ });
  await crashed;
  ({ page } = await openStudio(BASE, { context }));
  assert.equal(await mute(page, 1), true, 'the edit before the crash is kept');
  // Closed: an edit made by script and the tab closed at once, perhaps before the studio's next frame
  // has sent the edit out (pagehide writes the project as it is).
  await page.evaluate(() => {
    const track = window.mixdown.project().tracks[2];
    window.mixdown.applyEdits({ edits: [{ edit: 'strip', track: track.id, value: { ...track.strip, mute: true } }] }, 'Mute');
  });
  await page.close({ runBeforeUnload: false });
  ({ page } = await openStudio(BASE, { context }));
  assert.equal(await mute(page, 1), true);
  assert.equal(await mute(page, 2), true, 'the edit before closing is kept');
  await context.close();
});

test('a project too large for the browser\'s local storage says so and asks for Save', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 760 } });
  const { page, problems } = await openStudio(BASE, { context });
  // Fill the origin's local storage (Chromium's quota) with other data, to within a kilobyte, so the
  // project no longer fits.
  const filled = await page.evaluate(() => {
    localStorage.removeItem('mixdown.autosave.v1');
    let total = 0, n = 0;
    for (let size = 1 << 20; size >= 1024; size >>= 1) {
      for (;;) {
        try { localStorage.setItem(`fill${n++}`, 'x'.repeat(size)); total += size; } catch { break; }
      }
    }
    return total;
  });
  assert.ok(filled > 1e6, `filled ${filled} characters`);
  assert.equal(await page.evaluate(() => window.mixdown.error()), '');
  await clickWidget(page, 'mute:1');
  await page.waitForFunction(() => window.mixdown.error() !== '', null, { timeout: 10000 });
  const error = await page.evaluate(() => window.mixdown.error());
  assert.match(error, /too large for the browser's local storage/);
  assert.match(error, /use Save/);
  await settled(page);
  assert.ok((await page.evaluate(() => window.mixdown.widgetRects())).error, 'the studio shows it');
  // With room again, the next edit is kept.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('fill')) localStorage.removeItem(k); });
  await clickWidget(page, 'mute:2');
  await page.waitForFunction(() => { const t = localStorage.getItem('mixdown.autosave.v1'); return t && JSON.parse(t).tracks[2].strip.mute === true; }, null, { timeout: 10000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the studio follows the window size', async () => {
  const { page, problems } = await openStudio();
  await page.setViewportSize({ width: 900, height: 600 });
  await page.waitForFunction(() => { const c = document.getElementById('canvas'); return c.width === 900 && c.height === 600; }, null, { timeout: 10000 });
  await settled(page);  // a frame laid out for the new size has been drawn
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  // Rectangles are what the view shows of a widget: the whole fader (80 px at the least) inside the window.
  assert.ok(rects['fader:master'].y + rects['fader:master'].h <= 600 && rects['fader:master'].h >= 80, `the mixer is laid out inside the smaller window: ${JSON.stringify(rects['fader:master'])}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dragging a fader with the mouse changes the level the engine plays', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'play');
  await page.waitForFunction(() => window.mixdown.status().playing && window.mixdown.status().position > 12000, null, { timeout: 15000 });
  const bassLevel = async () => highest(await statusesOver(page, 1), 'peaks', 6);
  const before = await bassLevel();
  assert.ok(before > 0.05, `bass before ${before}`);
  const f = (await page.evaluate(() => window.mixdown.widgetRects()))['fader:2'];
  // Drag the bass fader from its handle to 20 dB lower: the fader spans -60..+12 dB over its height.
  const yOf = (db) => f.y + f.h * (1 - (db + 60) / 72);
  await page.mouse.move(f.x + f.w / 2, yOf(-9));
  await page.mouse.down();
  await page.mouse.move(f.x + f.w / 2, yOf(-29), { steps: 8 });
  await page.mouse.up();
  await settled(page);
  // The fader moves with the hand from where it was grabbed, over its travel (its height less the grab).
  const gain = (await page.evaluate(() => window.mixdown.project())).tracks[2].strip.gainDb;
  assert.ok(gain < -25 && gain > -40, `fader now at ${gain} dB`);
  await page.evaluate(() => window.mixdown.engineProject());  // the engine has the fader's last position
  await statusesOver(page, 0.1);  // its 20 ms ramp, and statuses that began before it
  const after = await bassLevel();
  const dropDb = 20 * Math.log10(after / before);
  assert.ok(dropDb < -14 && dropDb > -26, `bass meter moved by ${dropDb.toFixed(1)} dB for a ${(gain + 9).toFixed(1)} dB fader move`);
  // One undo brings the fader back.
  await clickWidget(page, 'undo');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[2].strip.gainDb, -9);
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a high-density screen the canvas has device pixels and clicks still land', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(BASE);
  await page.waitForFunction(() => window.mixdown && window.mixdown.ready, null, { timeout: 60000 });
  await settled(page);
  assert.deepEqual(await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]), [2000, 1400]);
  await clickWidget(page, 'mute:2');
  assert.equal((await page.evaluate(() => window.mixdown.project())).tracks[2].strip.mute, true);
  await clickWidget(page, 'play');
  await page.waitForFunction(() => window.mixdown.status().playing, null, { timeout: 15000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('Space plays and stops, Ctrl+Z undoes and Ctrl+Shift+Z redoes (each key pressed as quickly as a person does)', async () => {
  const { page, problems } = await openStudio();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.mixdown.status().playing, null, { timeout: 15000 });
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.mixdown.status().playing, null, { timeout: 15000 });
  const mute = async () => (await page.evaluate(() => window.mixdown.project())).tracks[1].strip.mute;
  assert.equal(await mute(), false);
  await clickWidget(page, 'mute:1');
  assert.equal(await mute(), true);
  await page.keyboard.press('Control+z');
  await settled(page);
  assert.equal(await mute(), false, 'Ctrl+Z undoes the mute');
  await page.keyboard.press('Control+Shift+z');
  await settled(page);
  assert.equal(await mute(), true, 'Ctrl+Shift+Z redoes it');
  assert.deepEqual(problems, []);
  await page.close();
});
