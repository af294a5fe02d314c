// Scrubs secrets out of text before it reaches a log or a message.

export const REDACTED = '[redacted]';

/** Known secrets shorter than this are not scrubbed: a 3-letter "key" would shred every log line. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces known secrets (also percent-encoded), `Bearer <token>`, `Authorization: …` header values,
 * `sk-…` keys, key-like query parameters and long random base62 runs (32+ characters mixing
 * letters and digits, e.g. hex ids) with `[redacted]`. Ordinary words, slugs with dashes and
 * URL paths of normal length are left alone.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  // `scheme://user:password@host`: the user info never reaches a log, whatever it looks like.
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`);
  const known = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    known.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) known.add(encoded);
  }
  // Longest first so a secret that contains another is scrubbed whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  out = out.replace(
    /\b(Authorization["']?\s*[:=]\s*["']?)(?!Bearer\b)(?:Basic\s+)?[^\s"',;]+/gi,
    `$1${REDACTED}`,
  );
  out = out.replace(/\b(Bearer)(\s+)(?!\[redacted\])[^\s"',;]+/gi, `$1$2${REDACTED}`);
  out = out.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED);
  out = out.replace(
    /([?&](?:api[_-]?key|key|token|access[_-]?token|sig|signature|secret)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  );
  out = out.replace(/(?<![A-Za-z0-9])[A-Za-z0-9]{32,}(?![A-Za-z0-9])/g, (run) =>
    /[0-9]/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run,
  );
  return out;
}
