// Human-readable numbers and times. Pure: used by the host and bundled into the pages.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `1536` → `1.5 KB` (binary steps, as the file explorer shows sizes), with the locale's digits. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = Math.max(0, Number.isFinite(bytes) ? bytes : 0);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(safeLocale(locale), { maximumFractionDigits: digits }).format(value);
  return `${number} ${UNITS[unit]}`;
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** Formatters by locale: making one costs far more than formatting with it (a screen of rows formats dozens). */
const relativeFormats = new Map<string | undefined, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string | undefined, Intl.DateTimeFormat>();

/** `now - time` as "3 minutes ago" / "3分钟前" in the given locale. */
export function formatRelativeTime(time: number, now: number, locale?: string): string {
  const tag = safeLocale(locale);
  let rtf = relativeFormats.get(tag);
  if (!rtf) relativeFormats.set(tag, (rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' })));
  let delta = (time - now) / 1000;
  if (Math.abs(delta) < 45) return rtf.format(0, 'second');
  for (const [unit, size] of STEPS) {
    if (Math.abs(delta) < size) return rtf.format(Math.round(delta), unit);
    delta /= size;
  }
  return rtf.format(Math.round(delta), 'year');
}

/** Date and time in full, as `Date.prototype.toLocaleString` writes them, in the given locale. */
export function formatDateTime(time: number, locale?: string): string {
  const tag = safeLocale(locale);
  let dtf = dateTimeFormats.get(tag);
  if (!dtf)
    dateTimeFormats.set(
      tag,
      (dtf = new Intl.DateTimeFormat(tag, {
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })),
    );
  return dtf.format(time);
}

/** VS Code language ids (`zh-cn`) are valid BCP 47 tags; anything else falls back to the default locale. */
export function safeLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}
