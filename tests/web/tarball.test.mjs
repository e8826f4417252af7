// The page's .tar.gz reader (web/tarball.js: Hydrogen's .h2drumkit files) under Node, on archives GNU tar
// makes of the real Audiophob kit: GNU and POSIX formats read back byte for byte, and hostile or damaged
// archives are refused naming the file, with the zip reader's rules (archive.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from './browser.mjs';

const { readTarGz } = await import(pathToFileURL(join(ROOT, 'build', 'web', 'tarball.js')).href);
const KIT = join(ROOT, '..', 'shared', 'testdata', 'drumkit-audiophob-cc0');
const tmp = mkdtempSync(join(tmpdir(), 'mixdown-tarball-'));
const tarOf = (name, ...args) => { execFileSync('tar', ['-czf', join(tmp, name), ...args]); return new Uint8Array(readFileSync(join(tmp, name))); };

test('a kit folder packed by GNU tar, in GNU and POSIX formats, reads back byte for byte', async () => {
  for (const format of ['gnu', 'posix']) {
    const files = await readTarGz(tarOf(`kit-${format}.h2drumkit`, `--format=${format}`, '-C', join(KIT, '..'), 'drumkit-audiophob-cc0'), 'Audiophob.h2drumkit');
    const names = readdirSync(KIT).sort();
    assert.deepEqual([...files.keys()].sort(), names.map((n) => `drumkit-audiophob-cc0/${n}`), format);
    for (const n of names) assert.deepEqual(files.get(`drumkit-audiophob-cc0/${n}`), new Uint8Array(readFileSync(join(KIT, n))), `${format}: ${n}`);
  }
});

test('hostile and damaged archives are refused naming the file', async () => {
  const evil = tarOf('evil.tgz', '-P', '--transform', 's,^,../,', '-C', KIT, 'drumkit.xml');
  await assert.rejects(readTarGz(evil, 'evil.h2drumkit'), /^Error: evil\.h2drumkit: "\.\.\/drumkit\.xml" points outside the archive/);
  await assert.rejects(readTarGz(new TextEncoder().encode('not gzip at all, just text'), 'x.h2drumkit'), /x\.h2drumkit: not a readable \.tar\.gz file \(no gzip signature\)/);
  const whole = tarOf('one.tgz', '-C', KIT, 'drumkit.xml');
  await assert.rejects(readTarGz(whole.subarray(0, whole.length >> 1), 'cut.h2drumkit'), /cut\.h2drumkit: not a readable gzip file/);
  // A valid gzip of a tar cut inside its file's data.
  const tar = execFileSync('tar', ['-cf', '-', '-C', KIT, 'drumkit.xml']);
  await assert.rejects(readTarGz(new Uint8Array(gzipSync(tar.subarray(0, 2048))), 'short.h2drumkit'), /short\.h2drumkit: not a readable tar file \(the entry at byte 0 is cut short\)/);
  rmSync(tmp, { recursive: true, force: true });
});
