// Tiny DOM helpers: no framework, no innerHTML with data, no inline styles or handlers.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

/** Creates an element; `true` sets a boolean attribute, `false`/`undefined` leaves it out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** A codicon glyph, hidden from screen readers (the control carries the label). */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return h('span', {
    class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`,
    'aria-hidden': 'true',
  });
}

/** A real button with an icon and a visible label. */
export function textButton(
  label: string,
  iconName: string | undefined,
  attrs: Attrs = {},
): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', ...attrs },
    iconName ? icon(iconName) : undefined,
    h('span', { class: 'label' }, label),
  );
}

/** An icon-only button: the label goes to `aria-label` and the tooltip. */
export function iconButton(label: string, iconName: string, attrs: Attrs = {}): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': label, title: label, ...attrs },
    icon(iconName),
  );
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
}

/** Announces text in a live region, clearing it after a while so the same text can be announced again. */
export function announcer(region: HTMLElement, clearAfterMs = 6000): (text: string) => void {
  let timer: number | undefined;
  return (text) => {
    region.textContent = text;
    window.clearTimeout(timer);
    if (text) timer = window.setTimeout(() => (region.textContent = ''), clearAfterMs);
  };
}

export const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Runs `fn` once the document has loaded (at once when it has). */
export function onLoad(fn: () => void): void {
  if (document.readyState === 'complete') fn();
  else window.addEventListener('load', fn, { once: true });
}
