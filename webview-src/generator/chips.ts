// Prompt helper chips: one toolbar per group (one tab stop each, arrow keys inside), toggle
// buttons whose pressed state follows the prompt in either language.
import type { GeneratorStrings } from '../../src/webviews/generator/protocol';
import { CHIP_GROUPS, hasIdea } from '../../src/webviews/shared/promptHelpers';
import type { ChipIdea, ChipLanguage } from '../../src/webviews/shared/promptHelpers';
import { h, icon } from '../shared/dom';

const ideaKey = (idea: ChipIdea) => `${idea.group}:${idea.index}`;

function ideaOf(chip: HTMLElement): ChipIdea | undefined {
  const [group, index] = (chip.dataset.idea ?? '').split(':');
  const n = Number(index);
  return CHIP_GROUPS.some((g) => g.id === group) && Number.isInteger(n)
    ? { group: group as ChipIdea['group'], index: n }
    : undefined;
}

export class ChipBar {
  private language: ChipLanguage | undefined;
  /** The chip of each group that holds the group's tab stop, by idea key. */
  private readonly tabStops = new Map<string, string>();

  constructor(
    private readonly host: HTMLElement,
    private readonly strings: () => GeneratorStrings,
    onToggle: (idea: ChipIdea) => void,
  ) {
    host.addEventListener('click', (e) => {
      const chip = (e.target as HTMLElement).closest<HTMLButtonElement>('button.chip');
      const idea = chip && ideaOf(chip);
      if (!chip || !idea) return;
      this.setTabStop(chip);
      onToggle(idea);
    });
    host.addEventListener('keydown', (e) => this.onKey(e));
    host.addEventListener('focusin', (e) => {
      const chip = (e.target as HTMLElement).closest<HTMLButtonElement>('button.chip');
      if (chip) this.setTabStop(chip);
    });
  }

  /** Rebuilds the chips when the language changes, otherwise updates only their pressed state. */
  render(prompt: string, language: ChipLanguage, force = false): void {
    const s = this.strings();
    if (force || language !== this.language) {
      const hadFocus = this.host.contains(document.activeElement);
      const focusedIdea = hadFocus ? (document.activeElement as HTMLElement).dataset.idea : undefined;
      this.language = language;
      const titles = { quality: s.quality, style: s.style, lighting: s.lighting };
      this.host.replaceChildren(
        ...CHIP_GROUPS.map((group) =>
          h(
            'div',
            { class: 'chip-group', role: 'toolbar', 'aria-labelledby': `chips-${group.id}` },
            h('span', { id: `chips-${group.id}`, class: 'chip-group-title' }, titles[group.id]),
            ...group.terms[language].map((term, index) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip',
                  'data-chip': term,
                  'data-group': group.id,
                  'data-idea': ideaKey({ group: group.id, index }),
                  lang: language === 'zh' ? 'zh-CN' : 'en',
                },
                icon('check', 'chip-check'),
                h('span', { class: 'chip-label' }, term),
              ),
            ),
          ),
        ),
      );
      // The same idea keeps focus across the language switch.
      if (focusedIdea)
        this.host.querySelector<HTMLElement>(`button.chip[data-idea="${CSS.escape(focusedIdea)}"]`)?.focus();
    }
    for (const chip of this.chips()) {
      const idea = ideaOf(chip);
      const pressed = !!idea && hasIdea(prompt, idea);
      chip.setAttribute('aria-pressed', String(pressed));
      chip.title = pressed ? s.chipToggleRemove : s.chipToggleAdd;
    }
    this.applyTabStops();
  }

  private chips(root: ParentNode = this.host): HTMLButtonElement[] {
    return [...root.querySelectorAll<HTMLButtonElement>('button.chip')];
  }

  private setTabStop(chip: HTMLElement): void {
    const group = chip.dataset.group;
    if (!group || !chip.dataset.idea) return;
    this.tabStops.set(group, chip.dataset.idea);
    this.applyTabStops();
  }

  /** One chip per group is tabbable: the one last used, else the first pressed, else the first. */
  private applyTabStops(): void {
    for (const group of this.host.querySelectorAll<HTMLElement>('.chip-group')) {
      const chips = this.chips(group);
      const wanted = this.tabStops.get(chips[0]?.dataset.group ?? '');
      const stop =
        chips.find((c) => c.dataset.idea === wanted) ??
        chips.find((c) => c.getAttribute('aria-pressed') === 'true') ??
        chips[0];
      for (const c of chips) c.tabIndex = c === stop ? 0 : -1;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const chip = (e.target as HTMLElement).closest<HTMLButtonElement>('button.chip');
    const group = chip?.closest<HTMLElement>('.chip-group');
    if (!chip || !group) return;
    const chips = this.chips(group);
    const i = chips.indexOf(chip);
    const rtl = getComputedStyle(group).direction === 'rtl';
    const next: Record<string, number> = {
      ArrowRight: rtl ? i - 1 : i + 1,
      ArrowDown: i + 1,
      ArrowLeft: rtl ? i + 1 : i - 1,
      ArrowUp: i - 1,
      Home: 0,
      End: chips.length - 1,
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    const target = chips[(next[e.key] + chips.length) % chips.length];
    this.setTabStop(target);
    target.focus();
  }
}
