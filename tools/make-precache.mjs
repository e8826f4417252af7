#!/usr/bin/env node
// Writes the service worker of one build: the files of the built site (DIR) with the sha-256 of each, and
// a version that is a hash of that list, put into SW_SOURCE's `const PRECACHE = null;` line and written
// as DIR/sw.js. The same files give the same version (a rebuild with no change is not a new version);
// any changed file gives a new one. Usage: node tools/make-precache.mjs web/sw.js build/web
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const [source = 'web/sw.js', dir = 'build/web'] = process.argv.slice(2);
// Not served to the page from the cache: the worker itself (the browser keeps it) and notes for people.
const skip = (path) => path === 'sw.js' || /(^|\/)README\.md$/.test(path);

function walk(at) {
  return readdirSync(at).sort().flatMap((name) => {
    const full = join(at, name);
    return statSync(full).isDirectory() ? walk(full) : [relative(dir, full).split(sep).join('/')];
  });
}

const files = walk(dir).filter((p) => !skip(p)).map((url) => {
  const bytes = readFileSync(join(dir, url));
  return { url, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
});
const version = createHash('sha256').update(files.map((f) => `${f.url} ${f.sha256}\n`).join('')).digest('hex').slice(0, 16);
const text = readFileSync(source, 'utf8');
const marker = /^const PRECACHE = null;.*$/m;
if (!marker.test(text)) throw new Error(`${source}: no "const PRECACHE = null;" line to replace`);
writeFileSync(join(dir, 'sw.js'), text.replace(marker, `const PRECACHE = ${JSON.stringify({ version, files })};`));
console.log(`sw.js: build ${version}, ${files.length} files, ${(files.reduce((a, f) => a + f.size, 0) / 1048576).toFixed(1)} MB`);
