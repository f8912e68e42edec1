/**
 * @file Stream ids: a 32-bit Philox key word derived from names, so every weight and every random
 * op gets its own independent sequence that does not shift when other nodes are added.
 * streamId(...parts) = FNV-1a 32 over the UTF-8 bytes of the parts, each part followed by a 0x00
 * byte (so ("ab", "c") and ("a", "bc") differ). FNV-1a: h = 0x811c9dc5; per byte h = (h ⊕ byte)·0x01000193 mod 2³².
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV_PRIME) >>> 0;
}

/** 32-bit stream id from names, e.g. streamId(nodeId, 'kernel'). Deterministic across platforms. */
export function streamId(...parts: string[]): number {
  let h = FNV_OFFSET;
  for (const part of parts) {
    for (const ch of part) {
      const cp = ch.codePointAt(0) ?? 0;
      // UTF-8 encoding of one code point (lone surrogates encode as themselves, 3 bytes)
      if (cp < 0x80) {
        h = fnvByte(h, cp);
      } else if (cp < 0x800) {
        h = fnvByte(h, 0xc0 | (cp >> 6));
        h = fnvByte(h, 0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        h = fnvByte(h, 0xe0 | (cp >> 12));
        h = fnvByte(h, 0x80 | ((cp >> 6) & 0x3f));
        h = fnvByte(h, 0x80 | (cp & 0x3f));
      } else {
        h = fnvByte(h, 0xf0 | (cp >> 18));
        h = fnvByte(h, 0x80 | ((cp >> 12) & 0x3f));
        h = fnvByte(h, 0x80 | ((cp >> 6) & 0x3f));
        h = fnvByte(h, 0x80 | (cp & 0x3f));
      }
    }
    h = fnvByte(h, 0);
  }
  return h;
}
