/**
 * @file UTF-8 without the DOM or Node: core/ compiles against plain ES2023, which has no
 * TextEncoder. Surrogate pairs become 4-byte sequences; lone surrogates become U+FFFD.
 */

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export function decodeUtf8(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const extra = b < 0x80 ? 0 : b >= 0xf8 ? -1 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    let valid = extra >= 0 && i + extra < bytes.length;
    for (let k = 1; valid && k <= extra; k++) valid = (bytes[i + k] & 0xc0) === 0x80;
    if (!valid) {
      parts.push('\ufffd');
      i++;
      continue;
    }
    let c = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) c = (c << 6) | (bytes[i + k] & 63);
    parts.push(String.fromCodePoint(c));
    i += extra + 1;
  }
  return parts.join('');
}
