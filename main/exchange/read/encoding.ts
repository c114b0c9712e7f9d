import type { TableEncoding } from './types';

/**
 * Text files from schools come as UTF-8 (with or without BOM) or Windows-1251. Any valid UTF-8
 * is taken as UTF-8: Windows-1251 Cyrillic text is practically never valid UTF-8 by accident.
 */

/** Offset of the first byte that breaks UTF-8, or -1 when the whole buffer is valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    // A sequence cut off by the end of the file.
    if (i + need >= bytes.length) return i;
    let code = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line of a byte offset, counting LF, CRLF and lone CR as one break each. */
export function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i += 1) {
    if (bytes[i] === 0x0a) line += 1;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line += 1;
  }
  return line;
}

export type Decoded = { ok: true; text: string; encoding: TableEncoding } | { ok: false; line: number };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Decodes as asked; `auto` picks UTF-8 when the bytes are valid UTF-8, else Windows-1251. */
export function decodeText(bytes: Buffer, wanted: 'auto' | TableEncoding): Decoded {
  if (wanted === 'windows-1251') return { ok: true, text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    if (wanted === 'utf-8') return { ok: false, line: lineOfOffset(bytes, bad) };
    return { ok: true, text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
  // TextDecoder drops a leading BOM itself.
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
}
