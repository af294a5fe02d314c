// node-fetch v2 only needs whatwg-url's URL class; Node's own is equivalent and saves ~250 KB of tr46 tables.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
