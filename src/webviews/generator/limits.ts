// The panel's limits, apart from protocol.ts so the page bundles these numbers and not the
// message table's validators (the page imports only types from protocol.ts).
/** At most this many images per edit (OpenAI): the one edited plus 15 references. */
export const MAX_EDIT_IMAGES = 16;
/** Largest image the page may send (OpenAI's limit per file). */
export const MAX_EDIT_IMAGE_BYTES = 50 * 1024 * 1024;
