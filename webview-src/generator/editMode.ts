// Reference images and the mask brush of the generator panel (PRODUCT.md §11). Images live in the
// page as bytes (dropped, or picked through the host's dialog) and are drawn with canvases, so the
// CSP needs no blob: or data: image sources. The mask is a PNG of the first image's size: opaque,
// and transparent where the user painted (transparent = change).
import type { EditingStrings, ImageFile } from '../../src/webviews/generator/protocol';
import { MAX_EDIT_IMAGES } from '../../src/webviews/generator/limits';
import { h, iconButton, textButton } from '../shared/dom';
import { format } from '../shared/i18n';

interface Stroke {
  size: number;
  points: { x: number; y: number }[];
}

interface Held extends ImageFile {
  bitmap: ImageBitmap;
}

const THUMB = 56;
const EDITABLE_MIME = /^image\/(png|jpeg|webp)$/;

function sniffMime(data: Uint8Array): string | undefined {
  const at = (i: number, s: string) => [...s].every((c, k) => data[i + k] === c.charCodeAt(0));
  if (data[0] === 0x89 && at(1, 'PNG')) return 'image/png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'image/webp';
  return undefined;
}

export interface ImageInputsOptions {
  strings: EditingStrings;
  announce(text: string): void;
  /** Asks the host for its open dialog. */
  pick(): void;
  /** Images were added or removed, or edit mode toggled. */
  onChange(): void;
}

export class ImageInputs {
  readonly element: HTMLElement;
  private readonly images: Held[] = [];
  private strokes: Stroke[] = [];
  private painting: Stroke | undefined;
  private maskMode = false;
  private readonly list: HTMLElement;
  private readonly editor: HTMLElement;
  private readonly base: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly brush: HTMLInputElement;
  private readonly maskToggle: HTMLButtonElement;

  constructor(private readonly o: ImageInputsOptions) {
    const s = o.strings;
    this.list = h('ul', { id: 'references', class: 'references', 'aria-label': s.images });
    this.maskToggle = textButton(s.paintMask, 'edit', {
      id: 'mask-mode',
      class: 'secondary small',
      'aria-pressed': 'false',
      hidden: true,
    });
    this.base = h('canvas', { id: 'mask-base', class: 'mask-base' });
    this.overlay = h('canvas', { id: 'mask-canvas', class: 'mask-overlay', 'aria-label': s.maskHint });
    this.brush = h('input', { id: 'brush-size', type: 'range', min: 4, max: 256, value: 48 });
    const undo = textButton(s.undo, 'discard', { id: 'mask-undo', class: 'secondary small' });
    const clear = textButton(s.clear, 'clear-all', { id: 'mask-clear', class: 'secondary small' });
    this.editor = h(
      'div',
      { id: 'mask-editor', class: 'mask-editor', hidden: true },
      h('p', { class: 'hint' }, s.maskHint),
      h('div', { class: 'mask-stage' }, this.base, this.overlay),
      h(
        'div',
        { class: 'mask-tools' },
        h('label', { for: 'brush-size', class: 'field-label' }, s.brushSize),
        this.brush,
        undo,
        clear,
      ),
    );
    const drop = h(
      'div',
      // Not a tab stop of its own: dropping is for the pointer, Add images… is the keyboard's way.
      { id: 'drop-zone', class: 'drop-zone' },
      h('span', { class: 'hint' }, s.dropHint),
      textButton(s.addImages, 'add', { id: 'add-images', class: 'secondary small' }),
    );
    this.element = h(
      'div',
      { class: 'image-inputs', role: 'group', 'aria-label': s.images },
      h(
        'div',
        { class: 'image-inputs-header' },
        h('span', { class: 'field-label' }, s.images),
        this.maskToggle,
      ),
      drop,
      this.list,
      this.editor,
    );

    drop.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('#add-images')) o.pick();
    });
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      void this.addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    this.list.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-remove]');
      if (button) this.remove(Number(button.dataset.remove));
    });
    this.maskToggle.addEventListener('click', () => this.setMaskMode(!this.maskMode));
    undo.addEventListener('click', () => {
      this.strokes.pop();
      this.redraw();
    });
    clear.addEventListener('click', () => {
      this.strokes = [];
      this.redraw();
    });
    this.overlay.addEventListener('pointerdown', (e) => this.startStroke(e));
    this.overlay.addEventListener('pointermove', (e) => this.extendStroke(e));
    for (const end of ['pointerup', 'pointercancel', 'pointerleave'])
      this.overlay.addEventListener(end, () => (this.painting = undefined));
  }

  get count(): number {
    return this.images.length;
  }

  /** Files dropped on the page (File objects) are read and checked by their bytes. */
  async addFiles(files: File[]): Promise<void> {
    const read = await Promise.all(
      files.map(async (f) => ({ name: f.name || 'image', data: new Uint8Array(await f.arrayBuffer()) })),
    );
    await this.add(read);
  }

  async add(files: ImageFile[]): Promise<void> {
    let refused = false;
    for (const file of files) {
      if (this.images.length >= MAX_EDIT_IMAGES) {
        this.o.announce(format(this.o.strings.tooMany, String(MAX_EDIT_IMAGES)));
        break;
      }
      const mime = sniffMime(file.data);
      if (!mime || !EDITABLE_MIME.test(mime)) {
        refused = true;
        continue;
      }
      try {
        const bitmap = await createImageBitmap(new Blob([file.data.slice()], { type: mime }));
        this.images.push({ ...file, bitmap });
      } catch {
        refused = true;
      }
    }
    if (refused) this.o.announce(this.o.strings.notImage);
    this.changed(true);
  }

  private remove(index: number): void {
    const [gone] = this.images.splice(index, 1);
    gone?.bitmap.close();
    this.changed(index === 0);
  }

  private changed(firstMayHaveChanged: boolean): void {
    if (firstMayHaveChanged) this.strokes = [];
    if (this.images.length === 0) this.maskMode = false;
    this.renderList();
    this.renderEditor();
    this.o.onChange();
  }

  private renderList(): void {
    this.maskToggle.hidden = this.images.length === 0;
    this.list.replaceChildren(
      ...this.images.map((image, i) => {
        const canvas = h('canvas', { class: 'reference-thumb', width: THUMB, height: THUMB });
        const ctx = canvas.getContext('2d');
        const scale = Math.min(THUMB / image.bitmap.width, THUMB / image.bitmap.height);
        const w = image.bitmap.width * scale;
        const hgt = image.bitmap.height * scale;
        ctx?.drawImage(image.bitmap, (THUMB - w) / 2, (THUMB - hgt) / 2, w, hgt);
        return h(
          'li',
          { class: i === 0 ? 'reference first' : 'reference', title: image.name, 'data-index': i },
          canvas,
          h('span', { class: 'reference-name' }, image.name),
          iconButton(format(this.o.strings.remove, image.name), 'close', { 'data-remove': i }),
        );
      }),
    );
  }

  setMaskMode(on: boolean): void {
    this.maskMode = on && this.images.length > 0;
    this.maskToggle.setAttribute('aria-pressed', String(this.maskMode));
    this.renderEditor();
    this.o.onChange();
  }

  private renderEditor(): void {
    const first = this.images[0];
    this.editor.hidden = !this.maskMode || !first;
    if (!first) return;
    for (const c of [this.base, this.overlay]) {
      if (c.width !== first.bitmap.width) c.width = first.bitmap.width;
      if (c.height !== first.bitmap.height) c.height = first.bitmap.height;
    }
    this.base.getContext('2d')?.drawImage(first.bitmap, 0, 0);
    this.redraw();
  }

  /** The pointer in image pixels (the canvases are scaled by CSS to the panel's width). */
  private at(e: PointerEvent): { x: number; y: number } {
    const rect = this.overlay.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * this.overlay.width,
      y: ((e.clientY - rect.top) / rect.height) * this.overlay.height,
    };
  }

  private brushPixels(): number {
    // The slider is in screen pixels; the stroke is stored in image pixels.
    const rect = this.overlay.getBoundingClientRect();
    return (Number(this.brush.value) * this.overlay.width) / Math.max(1, rect.width);
  }

  private startStroke(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.overlay.setPointerCapture?.(e.pointerId);
    this.painting = { size: this.brushPixels(), points: [this.at(e)] };
    this.strokes.push(this.painting);
    this.redraw();
  }

  private extendStroke(e: PointerEvent): void {
    if (!this.painting) return;
    this.painting.points.push(this.at(e));
    this.redraw();
  }

  private drawStrokes(ctx: CanvasRenderingContext2D, style: string): void {
    ctx.strokeStyle = style;
    ctx.fillStyle = style;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const s of this.strokes) {
      ctx.lineWidth = s.size;
      ctx.beginPath();
      ctx.arc(s.points[0].x, s.points[0].y, s.size / 2, 0, Math.PI * 2);
      ctx.fill();
      ctx.beginPath();
      ctx.moveTo(s.points[0].x, s.points[0].y);
      for (const p of s.points.slice(1)) ctx.lineTo(p.x, p.y);
      ctx.stroke();
    }
  }

  private redraw(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.drawStrokes(ctx, 'rgba(255, 64, 160, 0.55)');
    document.body.dataset.maskStrokes = String(this.strokes.length);
  }

  /** The mask PNG: opaque everywhere but where painted; undefined without mask mode or strokes. */
  private async mask(): Promise<Uint8Array | undefined> {
    const first = this.images[0];
    if (!this.maskMode || !first || this.strokes.length === 0) return undefined;
    const canvas = h('canvas', { width: first.bitmap.width, height: first.bitmap.height });
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.globalCompositeOperation = 'destination-out';
    this.drawStrokes(ctx, '#000');
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
  }

  /** What an edit sends: every image, first one edited, and the mask when painted. */
  async request(): Promise<{ images: ImageFile[]; mask?: Uint8Array }> {
    return {
      images: this.images.map((i) => ({ name: i.name, data: i.data })),
      mask: await this.mask(),
    };
  }
}
