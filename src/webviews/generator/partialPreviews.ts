// Partial images of a streamed generation, for the panel (PRODUCT.md §13): each is checked like a
// final image (base64, PNG/JPEG/WebP, at most 50 megapixels), written beside the image cache (the
// page may load nothing else) and handed to the page as a webview URI; removed when it ends.
import * as vscode from 'vscode';
import { decodeB64Image } from '../../core/download';
import type { PartialImage } from '../../core/imageStream';
import { imageDimensions } from '../../core/imageType';
import { MAX_PREVIEW_PIXELS } from '../shared/itemView';

/** A partial image larger than this is not shown (the final one still is). */
const MAX_PARTIAL_BYTES = 50 * 1024 * 1024;

export class PartialPreviews {
  private queue: Promise<unknown> = Promise.resolve();
  private written: vscode.Uri[] = [];

  constructor(
    /** A folder inside the page's resource roots, owned by this panel. */
    private readonly dir: vscode.Uri,
    private readonly webview: vscode.Webview,
    private readonly log: { warn(message: string): void },
  ) {}

  /** Writes `partial` and calls `show` with its URI, in arrival order; a bad partial is skipped. */
  add(requestId: number, partial: PartialImage, show: (src: string) => void): void {
    this.queue = this.queue
      .then(async () => {
        const decoded = decodeB64Image(partial.b64Json, 'partial', MAX_PARTIAL_BYTES);
        if (!decoded.ok || decoded.value.type.ext === 'gif') {
          this.log.warn(
            `Generator panel: partial image ${partial.index + 1} is not a usable image; not shown`,
          );
          return;
        }
        const size = imageDimensions(decoded.value.bytes);
        if (size && size.width * size.height > MAX_PREVIEW_PIXELS) {
          this.log.warn(
            `Generator panel: partial image ${partial.index + 1} declares ${size.width}×${size.height}; not shown`,
          );
          return;
        }
        const index = Math.max(0, Math.min(99, Math.floor(partial.index) || 0));
        const uri = vscode.Uri.joinPath(
          this.dir,
          `${requestId}-${index}-${Date.now()}.${decoded.value.type.ext}`,
        );
        await vscode.workspace.fs.createDirectory(this.dir);
        await vscode.workspace.fs.writeFile(uri, decoded.value.bytes);
        this.written.push(uri);
        show(this.webview.asWebviewUri(uri).toString());
      })
      .catch((e: unknown) => this.log.warn(`Generator panel: could not show a partial image: ${String(e)}`));
  }

  /** Waits for pending writes, then deletes every partial written so far. */
  async clear(): Promise<void> {
    await this.queue;
    const files = this.written;
    this.written = [];
    await Promise.all(files.map((f) => vscode.workspace.fs.delete(f).then(undefined, () => undefined)));
  }
}
