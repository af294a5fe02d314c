// Strict base64 for `b64_json`: providers add data-URL prefixes and line breaks, nothing else is tolerated.

const DATA_URL_PREFIX = /^\s*data:image\/[A-Za-z0-9.+-]+(?:;[A-Za-z0-9=._+-]+)*;base64,/i;

/**
 * The canonical base64 text (prefix `data:image/…;base64,` and white space removed) when it is
 * strictly valid: standard alphabet, padded to a multiple of 4, non-empty. Otherwise undefined.
 */
export function normalizeBase64(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const compact = text.replace(DATA_URL_PREFIX, '').replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return compact;
}

/** Bytes a valid base64 text decodes to, without decoding it. */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
