import { readUsage } from './imageStream';
import type { DownloadProblem, ImageUsage } from './types';

/**
 * What a history change may have done. `grew`: items were only added or updated (no item gone, no
 * file moved or deleted), so what a page shows stays valid, just not complete. `changed`: anything else.
 */
export type HistoryChange = 'grew' | 'changed';

/** One image the extension generated; the gallery shows one tile per item. */
export interface HistoryItem {
  id: string;
  prompt: string;
  revisedPrompt?: string;
  model: string;
  size: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The provider's URL (absent for b64_json answers); expires after about an hour. */
  remoteUrl?: string;
  /** File name inside the extension's image cache (global storage), absent when the download failed. */
  cacheFile?: string;
  mime?: string;
  bytes?: number;
  /** `Uri.toString()` of every workspace file written from this image. */
  savedUris: string[];
  /** Why no copy could be kept, when the download failed. */
  problem?: DownloadProblem;
  /** Token counts the answer reported (shared by the images of one answer). */
  usage?: ImageUsage;
  /** For edits: file name (or gallery id) of the image this one was made from. */
  parent?: string;
  /** The user cancelled after the provider had answered: kept (it is paid for), never inserted. */
  cancelled?: boolean;
  /** What the image's header declares, read when it was cached. */
  width?: number;
  height?: number;
}

/** Case-insensitive search over prompt, revised prompt and model. */
export function matchesQuery(item: HistoryItem, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [item.prompt, item.revisedPrompt ?? '', item.model, item.size].some((s) =>
    s.toLocaleLowerCase().includes(q),
  );
}

/** Newest first, bounded by maxItems; returns what stays and what is evicted. */
export function boundHistory(
  items: readonly HistoryItem[],
  maxItems: number,
): { kept: HistoryItem[]; evicted: HistoryItem[] } {
  const sorted = [...items].sort((a, b) => b.createdAt - a.createdAt);
  const limit = Math.max(0, Math.floor(maxItems));
  return { kept: sorted.slice(0, limit), evicted: sorted.slice(limit) };
}

/** Defensive parse of what was persisted: unknown shapes are dropped, not trusted. */
export function parseHistory(raw: unknown): HistoryItem[] {
  if (!Array.isArray(raw)) return [];
  const out: HistoryItem[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.prompt !== 'string' || typeof o.model !== 'string') continue;
    if (typeof o.size !== 'string' || typeof o.createdAt !== 'number') continue;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    out.push({
      id: o.id,
      prompt: o.prompt,
      revisedPrompt: str(o.revisedPrompt),
      model: o.model,
      size: o.size,
      createdAt: o.createdAt,
      remoteUrl: str(o.remoteUrl),
      cacheFile: str(o.cacheFile),
      mime: str(o.mime),
      bytes: typeof o.bytes === 'number' ? o.bytes : undefined,
      savedUris: Array.isArray(o.savedUris)
        ? o.savedUris.filter((u): u is string => typeof u === 'string')
        : [],
      problem: str(o.problem) as HistoryItem['problem'],
      usage: readUsage(o.usage),
      parent: str(o.parent),
      cancelled: o.cancelled === true ? true : undefined,
      width: typeof o.width === 'number' ? o.width : undefined,
      height: typeof o.height === 'number' ? o.height : undefined,
    });
  }
  return out;
}
