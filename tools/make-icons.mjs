#!/usr/bin/env node
// Draws the studio's icon (five level bars on a dark rounded square: a mixer's meters) as SVG and as the
// PNGs a web app manifest needs (192 and 512 px, and a maskable 512 px with the bars inside the safe
// circle). No image library: shapes are rasterised here with 4x4 supersampling and written as RGBA
// PNG through node:zlib. Usage: node tools/make-icons.mjs OUT_DIR   (writes icon.svg, icons/*.png)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const out = process.argv[2] || 'build/web';
const BACK = [23, 23, 26];
// Bars in a unit square: [x, width, top] (bottom at 0.78), each with its colour (orange, the studio's accents).
const BARS = [[0.22, 0.08, 0.50, [242, 160, 60]], [0.34, 0.08, 0.30, [242, 190, 80]], [0.46, 0.08, 0.22, [140, 217, 153]],
  [0.58, 0.08, 0.38, [242, 190, 80]], [0.70, 0.08, 0.56, [242, 160, 60]]];
const BOTTOM = 0.78;

// The shape at (u, v) in the unit square: a colour or null. `inset` shrinks the bars towards the centre
// (maskable icons keep their content in the middle 80 %); `full` fills the whole square (no rounding).
function colourAt(u, v, inset, full) {
  const r = 0.18;  // corner radius
  if (!full) {
    const cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
    if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return null;
  }
  const s = 1 - 2 * inset;
  const x = (u - inset) / s, y = (v - inset) / s;
  for (const [bx, bw, top, c] of BARS) if (x >= bx && x < bx + bw && y >= top && y < BOTTOM) return c;
  return BACK;
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) { c ^= b; for (let k = 0; k < 8; ++k) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, inset, full) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const n = 4;  // supersampling per axis
  for (let y = 0; y < size; ++y) {
    raw[y * (size * 4 + 1)] = 0;  // filter: none
    for (let x = 0; x < size; ++x) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let j = 0; j < n; ++j) for (let i = 0; i < n; ++i) {
        const c = colourAt((x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size, inset, full);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
      const at = y * (size * 4 + 1) + 1 + x * 4;
      raw[at] = a ? Math.round(r / a) : 0; raw[at + 1] = a ? Math.round(g / a) : 0; raw[at + 2] = a ? Math.round(b / a) : 0;
      raw[at + 3] = Math.round((255 * a) / (n * n));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;  // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function svg() {
  const hexOf = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const bars = BARS.map(([x, w, top, c]) => `<rect x="${x * 512}" y="${top * 512}" width="${w * 512}" height="${((BOTTOM - top) * 512).toFixed(2)}" fill="${hexOf(c)}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="${0.18 * 512}" fill="${hexOf(BACK)}"/>${bars}</svg>\n`;
}

mkdirSync(join(out, 'icons'), { recursive: true });
writeFileSync(join(out, 'icon.svg'), svg());
writeFileSync(join(out, 'icons', 'icon-192.png'), png(192, 0, false));
writeFileSync(join(out, 'icons', 'icon-512.png'), png(512, 0, false));
writeFileSync(join(out, 'icons', 'icon-maskable-512.png'), png(512, 0.1, true));
