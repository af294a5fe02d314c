// How one history item is shown in a webview. Pure: shared by the host and both pages.
// Never carries a file path: images come as webview URIs, actions name the item by id.

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
