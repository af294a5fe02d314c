// Aspect-ratio labels for image sizes (PRODUCT.md §15: "sizes carry their aspect ratio").

/** Ratios people know by name; a size within 1% of one is labelled with it. */
const NAMED: readonly (readonly [number, number])[] = [
  [1, 1],
  [16, 9],
  [9, 16],
  [4, 3],
  [3, 4],
  [3, 2],
  [2, 3],
  [21, 9],
  [9, 21],
  [5, 4],
  [4, 5],
  [2, 1],
  [1, 2],
];

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** `1792x1024` → `7:4`, `1280x720` → `16:9`, `1000x750` → `4:3`; undefined for anything not W×H. */
export function aspectRatioLabel(size: string): string | undefined {
  const m = /^\s*(\d{1,6})\s*[x×*]\s*(\d{1,6})\s*$/i.exec(size);
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  if (!w || !h) return undefined;
  const g = gcd(w, h);
  const exact = [w / g, h / g] as const;
  if (NAMED.some(([a, b]) => a === exact[0] && b === exact[1])) return `${exact[0]}:${exact[1]}`;
  const near = NAMED.find(([a, b]) => Math.abs(w / h / (a / b) - 1) <= 0.01);
  if (near) return `≈${near[0]}:${near[1]}`;
  // Small reduced ratios read well (7:4); large ones (683:384) are shown as a decimal.
  return exact[0] <= 32 && exact[1] <= 32 ? `${exact[0]}:${exact[1]}` : `${(w / h).toFixed(2)}:1`;
}
