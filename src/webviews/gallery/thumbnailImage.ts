/** Only image bytes are stored: WebP (RIFF….WEBP) or PNG, as the page's canvas encodes them. */
export function isThumbnailImage(data: Uint8Array): boolean {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => data[i] === b)) return true;
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
}
