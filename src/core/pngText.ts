// PNG `iTXt` chunks (PNG spec §11.3.4.5): UTF-8 text under a Latin-1 keyword, uncompressed. Pure:
// bytes in, bytes out; every other chunk is kept byte for byte, and every CRC is checked on read.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHUNK_OVERHEAD = 12; // length + type + CRC

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309) over the chunk type and data, as PNG stores it. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  type: string;
  /** Offset of the chunk (its length field) in the file. */
  offset: number;
  /** Offset and length of the chunk's data. */
  dataOffset: number;
  length: number;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** Whether the chunk's stored CRC matches its type and data (checked only where read, to keep saves cheap). */
export function crcOk(bytes: Uint8Array, c: PngChunk): boolean {
  return crc32(bytes, c.offset + 4, c.dataOffset + c.length) === u32(bytes, c.dataOffset + c.length);
}

/** The chunks of a PNG in order, or undefined when the bytes are not a well-formed chunk stream. */
export function readChunks(bytes: Uint8Array): PngChunk[] | undefined {
  if (!isPng(bytes)) return undefined;
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at + CHUNK_OVERHEAD <= bytes.length) {
    const length = u32(bytes, at);
    const dataOffset = at + 8;
    if (dataOffset + length + 4 > bytes.length) return undefined;
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    chunks.push({ type, offset: at, dataOffset, length });
    at = dataOffset + length + 4;
    if (type === 'IEND') return chunks;
  }
  return undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Keywords are 1–79 Latin-1 printable characters without leading, trailing or double spaces. */
export function validKeyword(keyword: string): boolean {
  return /^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) && !/^ | $| {2}/.test(keyword);
}

function chunkBytes(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_OVERHEAD + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** An uncompressed iTXt chunk: keyword, NUL, flag 0, method 0, empty language tag and translated keyword, text. */
export function itxtChunk(keyword: string, text: string): Uint8Array {
  if (!validKeyword(keyword)) throw new Error(`invalid PNG keyword: ${keyword}`);
  const key = Uint8Array.from([...keyword].map((c) => c.charCodeAt(0)));
  const body = encoder.encode(text);
  const data = new Uint8Array(key.length + 5 + body.length);
  data.set(key, 0);
  // key NUL, compression flag 0, method 0, language "" NUL, translated keyword "" NUL
  data.set(body, key.length + 5);
  return chunkBytes('iTXt', data);
}

/** Decodes one iTXt chunk's data; compressed text is not written by us and is skipped. */
function parseItxt(data: Uint8Array): { keyword: string; text: string } | undefined {
  const nul = data.indexOf(0);
  if (nul < 1 || nul + 2 >= data.length) return undefined;
  const keyword = String.fromCharCode(...data.subarray(0, nul));
  if (data[nul + 1] !== 0) return undefined;
  const langEnd = data.indexOf(0, nul + 3);
  if (langEnd < 0) return undefined;
  const transEnd = data.indexOf(0, langEnd + 1);
  if (transEnd < 0) return undefined;
  try {
    return { keyword, text: decoder.decode(data.subarray(transEnd + 1)) };
  } catch {
    return undefined;
  }
}

/** The text of the first intact iTXt chunk with this keyword, or undefined. */
export function readPngText(bytes: Uint8Array, keyword: string): string | undefined {
  for (const c of readChunks(bytes) ?? []) {
    if (c.type !== 'iTXt' || !crcOk(bytes, c)) continue;
    const parsed = parseItxt(bytes.subarray(c.dataOffset, c.dataOffset + c.length));
    if (parsed?.keyword === keyword) return parsed.text;
  }
  return undefined;
}

/**
 * The PNG with one iTXt chunk `keyword` = `text` placed right before IEND, replacing any earlier
 * chunk of that keyword; every other chunk is copied unchanged. Undefined when not a readable PNG.
 */
export function writePngText(bytes: Uint8Array, keyword: string, text: string): Uint8Array | undefined {
  const chunks = readChunks(bytes);
  const iend = chunks?.[chunks.length - 1];
  if (!chunks || iend?.type !== 'IEND') return undefined;
  const drop = chunks.filter((c) => {
    if (c.type !== 'iTXt') return false;
    return parseItxt(bytes.subarray(c.dataOffset, c.dataOffset + c.length))?.keyword === keyword;
  });
  const added = itxtChunk(keyword, text);
  const removed = drop.reduce((sum, c) => sum + CHUNK_OVERHEAD + c.length, 0);
  const out = new Uint8Array(iend.offset + added.length + (bytes.length - iend.offset) - removed);
  let at = 0;
  let from = 0;
  for (const c of drop) {
    out.set(bytes.subarray(from, c.offset), at);
    at += c.offset - from;
    from = c.offset + CHUNK_OVERHEAD + c.length;
  }
  out.set(bytes.subarray(from, iend.offset), at);
  at += iend.offset - from;
  out.set(added, at);
  at += added.length;
  out.set(bytes.subarray(iend.offset), at);
  return out;
}

/** The PNG without its iTXt chunks of this keyword (the picture as the provider sent it); other bytes as they were. */
export function withoutPngText(bytes: Uint8Array, keyword: string): Uint8Array {
  const chunks = readChunks(bytes);
  if (!chunks) return bytes;
  const drop = chunks.filter(
    (c) =>
      c.type === 'iTXt' &&
      parseItxt(bytes.subarray(c.dataOffset, c.dataOffset + c.length))?.keyword === keyword,
  );
  if (drop.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const c of drop) {
    parts.push(bytes.subarray(from, c.offset));
    from = c.offset + CHUNK_OVERHEAD + c.length;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
