// How one history item is shown in a webview. Pure: shared by the host and both pages.
// Never carries a file path: images come as webview URIs, actions name the item by id.

/**
 * Webviews do not decode images whose header declares more pixels than this (PRODUCT.md §10).
 * Here, not beside the header parser in core/imageType: the gallery's first screen then needs
 * nothing of the engine bundle.
 */
export const MAX_PREVIEW_PIXELS = 50_000_000;

export interface ItemView {
  id: string;
  prompt: string;
  revisedPrompt?: string;
  model: string;
  size: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** `asWebviewUri` of the cached image; absent when there is no local copy. */
  src?: string;
  /** `asWebviewUri` of the stored thumbnail, when one exists. */
  thumb?: string;
  /** A local copy exists (Insert as file / thumbnail possible). */
  cached: boolean;
  /** The provider's URL is known (Insert URL possible). */
  hasUrl: boolean;
  /** Saved into the workspace at least once (Reveal in Explorer possible). */
  saved: boolean;
  /** Localized reason why no local copy exists. */
  problem?: string;
  /** Localized token usage the answer reported, for the details. */
  usage?: string;
}

/** Same fields as `matchesQuery` in src/core/history.ts: prompt, revised prompt, model and size. */
export function itemMatches(item: ItemView, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [item.prompt, item.revisedPrompt ?? '', item.model, item.size].some((s) =>
    s.toLocaleLowerCase().includes(q),
  );
}

/**
 * The drag data of an item dragged out of a webview: a type of our own, so only this extension's
 * drop provider acts on it (a `text/uri-list` would make the editor open the file instead).
 */
export const ITEM_DRAG_MIME = 'application/vnd.image-gen.item';

/** What the drag carries: the item's id only, never a path. */
export function itemDragData(id: string): string {
  return JSON.stringify({ id });
}

/** The item id of a drag, or undefined when the data is not ours. */
export function parseItemDragData(data: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
