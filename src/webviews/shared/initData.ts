// Where the host writes a page's first `init` into its HTML (src/webviews/html.ts) for the page
// to render before its `ready` has been answered. Pure: bundled into the pages too.
export const INIT_DATA_ID = 'image-gen-init';
