/** A range of a document as character offsets, kept valid while the document is edited. */
export interface Anchor {
  start: number;
  end: number;
}

/** One content change as VS Code reports it, in offsets of the text before the change. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * Moves an anchor through one edit. Text typed right before the anchor pushes it down; text
 * typed right after it does not grow it; an edit overlapping it clamps to the edit's bounds.
 */
export function adjustAnchor(anchor: Anchor, change: TextChange): Anchor {
  const changeStart = change.rangeOffset;
  const changeEnd = change.rangeOffset + change.rangeLength;
  const delta = change.text.length - change.rangeLength;
  const moveBoundary = (offset: number, isStart: boolean): number => {
    if (
      changeEnd < offset ||
      (changeEnd === offset && (isStart || change.rangeLength > 0 || changeStart < offset))
    ) {
      return offset + delta;
    }
    if (changeStart >= offset) return offset;
    // The edit swallowed this boundary: the start goes to where the edit began, the end to where it stopped.
    return isStart ? changeStart : changeStart + change.text.length;
  };
  const start = moveBoundary(anchor.start, true);
  const end = Math.max(start, moveBoundary(anchor.end, false));
  return { start, end };
}

/** Applies the changes of one change event in the order VS Code lists them. */
export function adjustAnchorForChanges(anchor: Anchor, changes: readonly TextChange[]): Anchor {
  return changes.reduce(adjustAnchor, anchor);
}
