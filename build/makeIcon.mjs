/**
 * @file Draws the app icon, `build/icons/icon.png` (512x512 RGBA), with nothing but Node: shapes
 * as signed distance fields, one-pixel anti-aliasing, a hand-written PNG encoder over zlib.
 * The picture: a small layered network (3 -> 2 -> 1 nodes) on a rounded indigo tile.
 * Run once and commit the result: `node build/makeIcon.mjs`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;

// ---- shapes: signed distance in pixels, negative inside ----
const roundedRect = (cx, cy, half, radius) => (x, y) => {
  const qx = Math.abs(x - cx) - half + radius;
  const qy = Math.abs(y - cy) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const segment = (ax, ay, bx, by, halfWidth) => (x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - halfWidth;
};

/** Coverage of a pixel by a shape: 1 inside, 0 outside, linear across the one-pixel edge. */
const coverage = (d) => Math.max(0, Math.min(1, 0.5 - d));

// ---- the picture ----
const layers = [
  [[150, 150], [150, 256], [150, 362]],
  [[256, 203], [256, 309]],
  [[362, 256]],
];
const edges = [];
for (let l = 0; l + 1 < layers.length; l++) {
  for (const [ax, ay] of layers[l]) for (const [bx, by] of layers[l + 1]) edges.push(segment(ax, ay, bx, by, 7));
}
const nodes = layers.flat();
const tile = roundedRect(256, 256, 240, 96);

/** Straight-alpha "over" compositing of colour `c` (rgb 0..1) with alpha `a` onto `dst`. */
function over(dst, c, a) {
  const outA = a + dst[3] * (1 - a);
  if (outA === 0) return [0, 0, 0, 0];
  return [0, 1, 2].map((i) => (c[i] * a + dst[i] * dst[3] * (1 - a)) / outA).concat(outA);
}

function shade(x, y) {
  let px = [0, 0, 0, 0];
  const t = y / SIZE; // vertical gradient: indigo to violet
  px = over(px, [0.16 + 0.18 * t, 0.14 + 0.02 * t, 0.42 + 0.2 * t], coverage(tile(x, y)));
  const edge = Math.max(...edges.map((e) => coverage(e(x, y))));
  px = over(px, [0.62, 0.78, 1.0], 0.85 * edge);
  for (const [cx, cy] of nodes) {
    px = over(px, [0.36, 0.86, 0.98], coverage(circle(cx, cy, 38)(x, y))); // cyan ring
    px = over(px, [1, 1, 1], coverage(circle(cx, cy, 27)(x, y))); // white core
  }
  return px;
}

// ---- PNG encoding ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}
function encodePng(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const [r, g, b, a] = shade(x + 0.5, y + 0.5);
    rgba.set([r, g, b, a].map((v) => Math.round(Math.max(0, Math.min(1, v)) * 255)), (y * SIZE + x) * 4);
  }
}
const out = new URL('icons/icon.png', import.meta.url);
mkdirSync(new URL('icons/', import.meta.url), { recursive: true });
writeFileSync(out, encodePng(SIZE, SIZE, rgba));
process.stdout.write(`wrote ${out.pathname} (${SIZE}x${SIZE})\n`);
