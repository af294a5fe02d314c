// What may be used as an API key: it travels in an HTTP header, so only visible ASCII.

/**
 * Why a key cannot be sent, or undefined when it can. Header values allow visible ASCII only:
 * a zero-width space, full-width letters or a line break pasted with the key would make every
 * request fail (and some HTTP stacks quote the offending value in their error).
 */
export function apiKeyProblem(key: string): 'empty' | 'invalidCharacters' | undefined {
  if (key.trim() === '') return 'empty';
  return /^[\x21-\x7e]+$/.test(key) ? undefined : 'invalidCharacters';
}
