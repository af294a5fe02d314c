// Thumbnails of the gallery's list rows: the host's stored copy when there is one, otherwise made
// here once (a centred square crop) for the rows in view, and sent to the host to store.
import { THUMBNAIL_SIZE } from '../../src/webviews/gallery/limits';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { h, icon } from '../shared/dom';

const THUMB_CONCURRENCY = 2;
/** Freshly made thumbnails shown until the host's stored copy is known. */
const MADE_THUMBS_KEPT = 200;

export class Thumbnails {
  /** Items whose stored thumbnail failed to load; they get a new one made from the image. */
  private readonly failed = new Set<string>();
  private readonly made = new Map<string, HTMLCanvasElement>();
  private readonly queue: ItemView[] = [];
  private readonly inFlight = new Set<string>();
  /** Making one takes the main thread for a while: none is made before the first screen is painted. */
  private started = false;

  constructor(
    /** The slot of a row in view, or undefined when it scrolled away. */
    private readonly slotOf: (id: string) => HTMLElement | undefined,
    private readonly store: (id: string, data: Uint8Array) => void,
  ) {}

  /** The host stored a thumbnail: the next render uses it. */
  stored(id: string): void {
    this.failed.delete(id);
  }

  fill(slot: HTMLElement, item: ItemView): void {
    const made = this.made.get(item.id);
    if (made) {
      slot.replaceChildren(made);
      return;
    }
    if (item.thumb && !this.failed.has(item.id)) {
      const img = h('img', {
        class: 'thumb-image',
        src: item.thumb,
        alt: '',
        decoding: 'async',
        draggable: 'false',
      });
      img.addEventListener(
        'error',
        () => {
          this.failed.add(item.id);
          slot.replaceChildren(icon('file-media', 'thumb-placeholder'));
          this.enqueue(item);
          this.pump();
        },
        { once: true },
      );
      slot.replaceChildren(img);
      return;
    }
    slot.replaceChildren(icon(item.cached ? 'file-media' : 'cloud', 'thumb-placeholder'));
    if (item.cached && item.src) this.enqueue(item);
  }

  /** Queued while a row is built; `pump()` starts the work once the row is in place. */
  private enqueue(item: ItemView): void {
    if (this.inFlight.has(item.id) || this.queue.some((q) => q.id === item.id)) return;
    this.queue.push(item);
  }

  /** The first screen is painted: thumbnails may be made from now on. */
  start(): void {
    this.started = true;
    this.pump();
  }

  pump(): void {
    while (this.started && this.inFlight.size < THUMB_CONCURRENCY && this.queue.length) {
      const item = this.queue.shift() as ItemView;
      // Scrolled away meanwhile: it is queued again when it comes back into view.
      if (!this.slotOf(item.id)) continue;
      this.inFlight.add(item.id);
      this.make(item)
        .then((canvas) => {
          if (!canvas) return;
          this.made.set(item.id, canvas);
          if (this.made.size > MADE_THUMBS_KEPT) this.made.delete(this.made.keys().next().value as string);
          this.slotOf(item.id)?.replaceChildren(canvas);
        })
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(item.id);
          this.pump();
        });
    }
  }

  /** A centred square crop, THUMBNAIL_SIZE pixels wide, sent to the host as WebP (PNG if WebP is unavailable). */
  private async make(item: ItemView): Promise<HTMLCanvasElement | undefined> {
    if (!item.src) return undefined;
    const img = new Image();
    // Webview resources are served with CORS headers; without this the canvas would be tainted.
    img.crossOrigin = 'anonymous';
    img.src = item.src;
    await img.decode();
    const side = Math.min(img.naturalWidth, img.naturalHeight);
    if (!side) return undefined;
    const sx = (img.naturalWidth - side) / 2;
    const sy = (img.naturalHeight - side) / 2;
    const size = Math.min(THUMBNAIL_SIZE, side);
    const bitmap = await createImageBitmap(img, sx, sy, side, side, {
      resizeWidth: size,
      resizeHeight: size,
      resizeQuality: 'high',
    });
    const canvas = h('canvas', { class: 'thumb-image', width: size, height: size, 'aria-hidden': 'true' });
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.82));
    if (blob) this.store(item.id, new Uint8Array(await blob.arrayBuffer()));
    return canvas;
  }
}
