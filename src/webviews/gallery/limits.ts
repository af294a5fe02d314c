// The gallery's limits, apart from protocol.ts so the page bundles these numbers and not the
// message table's validators (the page imports only types from protocol.ts).
/** Largest thumbnail the host accepts from the page. */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;
/** Longest side of a thumbnail in pixels. */
export const THUMBNAIL_SIZE = 96;
/** Most items the page may ask for at once (a screen of grid cells with room to spare). */
export const MAX_WINDOW_ITEMS = 1000;
/** Longest search the page may send. */
export const MAX_QUERY_LENGTH = 1000;
