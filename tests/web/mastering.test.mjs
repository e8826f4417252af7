// The mastering view in real Chromium: the live loudness the worklet's core meter reports agrees with
// `mixdown analyze` on the native render, the mastering chain is added with the mouse, and "Export master"
// downloads a file that meets its target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { MIXDOWN, ROOT, env, startBrowser, stopBrowser, openStudio, clickWidget } from './browser.mjs';

before(startBrowser);
after(stopBrowser);

function analyze(file) {
  return JSON.parse(execFileSync(MIXDOWN, ['analyze', file, '--json'], { encoding: 'utf8' }))[0];
}

test('integrated loudness shown after playing the demo equals mixdown analyze of the native render', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'tab:mastering');
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  for (const name of ['loudness-integrated', 'loudness-plot', 'preset', 'export-master', 'add-chain'])
    assert.ok(rects[name], `${name} is drawn in the mastering view`);
  const native = analyze(join(ROOT, 'web', 'demos', 'first-light.json'));
  await page.evaluate(async () => {
    window.mixdown.stop();
    window.mixdown.seek(0);
    window.mixdown.resetLoudness();
    await window.mixdown.play();
  });
  // Play the whole song (36.3 s) in real time, then read what the view shows.
  const endSeconds = native.seconds - 2;  // the native render adds a 2 s tail of silence
  await page.waitForFunction((s) => window.mixdown.status().position / window.mixdown.status().sampleRate > s, endSeconds, { timeout: 120000, polling: 250 });
  await page.waitForFunction((s) => window.mixdown.loudness().seconds > s, endSeconds - 1, { timeout: 30000, polling: 100 });
  const shown = await page.evaluate(() => window.mixdown.loudness());
  await page.evaluate(() => window.mixdown.stop());
  const diff = shown.integrated - native.integratedLufs;
  console.log(`browser integrated ${shown.integrated.toFixed(2)} LUFS, native analyze ${native.integratedLufs} LUFS (${diff.toFixed(3)} LU); ` +
    `LRA ${shown.range.toFixed(2)} vs ${native.loudnessRangeLu}; true peak ${shown.truePeak.toFixed(2)} vs ${native.truePeakDbtp} dBTP`);
  assert.ok(Math.abs(diff) <= 0.1, `integrated differs by ${diff} LU`);
  assert.ok(shown.seconds > endSeconds - 1, `measured ${shown.seconds} s of playing`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the mastering chain is added with the mouse and Export master downloads a file on target', async () => {
  const { page, problems } = await openStudio();
  await clickWidget(page, 'tab:mastering');
  await clickWidget(page, 'add-chain');
  const chain = (await page.evaluate(() => window.mixdown.project())).master.devices.map((d) => d.type);
  assert.deepEqual(chain, ['mixdown.multiband', 'mixdown.imager', 'mixdown.limiter']);
  const rects = await page.evaluate(() => window.mixdown.widgetRects());
  assert.ok(rects['master-param:2:ceiling'], 'the limiter ceiling control is drawn');
  // Default destination: Spotify, -14 LUFS / -1 dBTP, 24-bit.
  const downloadPromise = page.waitForEvent('download', { timeout: 180000 });
  await clickWidget(page, 'export-master');
  const download = await downloadPromise;
  const file = join(env.tmp, 'master.wav');
  await download.saveAs(file);
  const measured = analyze(file);
  console.log(`exported ${download.suggestedFilename()}: ${measured.integratedLufs} LUFS, ${measured.truePeakDbtp} dBTP, ${measured.seconds} s`);
  assert.ok(Math.abs(measured.integratedLufs - -14) <= 0.1, `integrated ${measured.integratedLufs}`);
  assert.ok(measured.truePeakDbtp <= -1.0, `true peak ${measured.truePeakDbtp}`);
  assert.ok(measured.seconds > 36, `length ${measured.seconds} s`);
  await page.waitForFunction(() => window.mixdown.error() === '' || window.mixdown.error() === undefined, null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.evaluate(() => window.mixdown.error()), '');
  assert.deepEqual(problems, []);
  await page.close();
});
