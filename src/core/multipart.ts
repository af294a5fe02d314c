// multipart/form-data bodies (RFC 7578), as `POST /images/edits` takes them. Pure: bytes in, bytes out.

export interface FormField {
  name: string;
  value: string;
}

export interface FormFile {
  name: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export type FormPart = FormField | FormFile;

export interface MultipartBody {
  body: Uint8Array;
  contentType: string;
  boundary: string;
}

const encoder = new TextEncoder();

function isFile(part: FormPart): part is FormFile {
  return (part as FormFile).data !== undefined;
}

/** A boundary of 24 random hex digits after a fixed prefix (70 characters at most per RFC 2046). */
export function randomBoundary(random: () => number = Math.random): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += Math.floor(random() * 16).toString(16);
  return `----ImageGenBoundary${hex}`;
}

/** Quotes a name or file name as browsers do (WHATWG): `"` → %22, CR → %0D, LF → %0A. */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** A content type cannot carry line breaks into the part's headers. */
function cleanContentType(value: string): string {
  const clean = value.replace(/[\r\n]/g, '').trim();
  return clean || 'application/octet-stream';
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function partHead(part: FormPart): string {
  const disposition = `Content-Disposition: form-data; name=${quoteHeaderValue(part.name)}`;
  return isFile(part)
    ? `${disposition}; filename=${quoteHeaderValue(part.filename)}\r\nContent-Type: ${cleanContentType(part.contentType)}\r\n\r\n`
    : `${disposition}\r\n\r\n`;
}

/**
 * The body and its `Content-Type` header. Field values are UTF-8; file data is copied as is. When
 * the boundary occurs inside any part (practically never with a random one), another is drawn.
 */
export function buildMultipart(
  parts: readonly FormPart[],
  boundary: () => string = () => randomBoundary(),
): MultipartBody {
  const payloads = parts.map((part) => ({
    head: encoder.encode(partHead(part)),
    data: isFile(part) ? part.data : encoder.encode(part.value),
  }));
  let chosen = boundary();
  for (let tries = 0; payloads.some((p) => contains(p.data, encoder.encode(chosen))); tries++) {
    if (tries >= 8) throw new Error('multipart: no boundary absent from the data');
    chosen = boundary();
  }
  const open = encoder.encode(`--${chosen}\r\n`);
  const crlf = encoder.encode('\r\n');
  const close = encoder.encode(`--${chosen}--\r\n`);
  const total =
    payloads.reduce((sum, p) => sum + open.length + p.head.length + p.data.length + crlf.length, 0) +
    close.length;
  const body = new Uint8Array(total);
  let offset = 0;
  const put = (bytes: Uint8Array): void => {
    body.set(bytes, offset);
    offset += bytes.length;
  };
  for (const p of payloads) {
    put(open);
    put(p.head);
    put(p.data);
    put(crlf);
  }
  put(close);
  return { body, contentType: `multipart/form-data; boundary=${chosen}`, boundary: chosen };
}
