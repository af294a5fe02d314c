// The generator panel's reference images and mask edit (PRODUCT.md §11), host side: strings,
// the open dialog for images, and turning the page's `edit` message into an edit request.
import * as vscode from 'vscode';
import { sniffImageType } from '../../core/imageType';
import type { EditingStrings, EditMessage, ImageFile } from './protocol';
import { MAX_EDIT_IMAGE_BYTES, MAX_EDIT_IMAGES } from './protocol';

export function editingStrings(): EditingStrings {
  return {
    images: vscode.l10n.t('Images to edit or use as reference'),
    addImages: vscode.l10n.t('Add images…'),
    dropHint: vscode.l10n.t(
      'Drop up to 16 images here. With images, Generate becomes Edit: the first image is edited, the others guide it.',
    ),
    remove: vscode.l10n.t('Remove {0}', '{0}'),
    paintMask: vscode.l10n.t('Paint a mask'),
    maskHint: vscode.l10n.t('Paint over the parts of the first image that should change; the rest stays.'),
    brushSize: vscode.l10n.t('Brush size'),
    undo: vscode.l10n.t('Undo'),
    clear: vscode.l10n.t('Clear'),
    edit: vscode.l10n.t('Edit'),
    tooMany: vscode.l10n.t('At most {0} images can be sent with one edit.', '{0}'),
    notImage: vscode.l10n.t('Only PNG, JPEG and WebP images can be used.'),
  };
}

const EDITABLE = new Set(['png', 'jpg', 'webp']);

/** Images picked in an open dialog, read and checked by their bytes; others are skipped. */
export async function pickImages(): Promise<ImageFile[]> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Add images…'),
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
  });
  const files: ImageFile[] = [];
  for (const uri of (picked ?? []).slice(0, MAX_EDIT_IMAGES)) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_EDIT_IMAGE_BYTES) continue;
      const data = await vscode.workspace.fs.readFile(uri);
      const type = sniffImageType(data);
      if (type && EDITABLE.has(type.ext)) files.push({ name: uri.path.split('/').pop() || 'image', data });
    } catch {
      // Unreadable: left out, as a non-image is.
    }
  }
  return files;
}

/** The edit request of the page's message; the page's images are checked by their bytes here. */
export function editRequestOf(message: EditMessage): PanelEditRequest | undefined {
  if (message.images.length === 0) return undefined;
  if (message.images.some((i) => !EDITABLE.has(sniffImageType(i.data)?.ext ?? ''))) return undefined;
  if (message.mask && sniffImageType(message.mask)?.ext !== 'png') return undefined;
  return {
    prompt: message.prompt,
    model: message.model,
    size: message.size,
    n: message.n,
    images: message.images.map((i) => ({ filename: i.name, bytes: i.data })),
    mask: message.mask && { filename: 'mask.png', bytes: message.mask },
    parent: message.images[0].name,
  };
}

export interface PanelEditRequest {
  prompt: string;
  model: string;
  size?: string;
  n: number;
  images: { filename: string; bytes: Uint8Array }[];
  mask?: { filename: string; bytes: Uint8Array };
  parent: string;
}
