// The page's zip containers (web/archive.js, through fflate) under Node: what is written reads back, and
// hostile or damaged zips are refused naming the file, as the native reader (native-host/ZipArchive) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './browser.mjs';

const { readZip, writeZip, archivePathProblem } = await import(pathToFileURL(join(ROOT, 'build', 'web', 'archive.js')).href);
const { zipSync } = await import(pathToFileURL(join(ROOT, 'node_modules', 'fflate', 'esm', 'index.mjs')).href);

test('what the page writes reads back byte for byte', () => {
  const audio = new Uint8Array(70000).map((_, i) => (i * 7919) & 0xff);
  const zip = writeZip([['project.json', '{"tracks":[]}'], ['audio/ab12.wav', audio], ['audio/loop.flac', new Uint8Array([1, 2, 3])]]);
  const back = readZip(zip, 'song.mixdown');
  assert.deepEqual([...back.keys()], ['project.json', 'audio/ab12.wav', 'audio/loop.flac']);
  assert.equal(new TextDecoder().decode(back.get('project.json')), '{"tracks":[]}');
  assert.deepEqual(back.get('audio/ab12.wav'), audio);
});

test('a file that is not a zip, or a truncated one, is refused with its name', () => {
  assert.throws(() => readZip(new TextEncoder().encode('plainly not a zip file, just some text'), 'song.mixdown'), /^Error: song\.mixdown: not a readable zip file/);
  const zip = writeZip([['project.json', 'x'.repeat(3000)]]);
  assert.throws(() => readZip(zip.subarray(0, zip.length >> 1), 'song.mixdown'), /^Error: song\.mixdown: /);
});

test('entries that point outside the archive are refused', () => {
  for (const [path, why] of [['../evil.sh', /points outside the archive/], ['/etc/passwd', /absolute path/], ['a\\b.wav', /uses '\\'/], ['a/../../b', /points outside/]]) {
    const hostile = zipSync({ [path]: new Uint8Array([1]) });
    assert.throws(() => readZip(hostile, 'kit.zip'), why, path);
  }
  assert.equal(archivePathProblem('ok/..x/fine.txt'), '');
});
