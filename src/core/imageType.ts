// Image type by magic bytes: the server's Content-Type is not trusted.
import type { ImageType } from './types';

export const PNG: ImageType = Object.freeze({ ext: 'png', mime: 'image/png' });
export const JPEG: ImageType = Object.freeze({ ext: 'jpg', mime: 'image/jpeg' });
export const WEBP: ImageType = Object.freeze({ ext: 'webp', mime: 'image/webp' });
export const GIF: ImageType = Object.freeze({ ext: 'gif', mime: 'image/gif' });

/** Bytes needed to recognise every supported type (WebP needs 12). */
export const SNIFF_BYTES = 12;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** PNG, JPEG, WebP (RIFF….WEBP) or GIF (87a/89a); undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return GIF;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return WEBP;
  return undefined;
}
