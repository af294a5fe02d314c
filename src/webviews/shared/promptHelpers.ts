// Prompt helper chips (the quality, style and lighting words of the API documentation) and the
// text rules for adding and removing them. Pure: bundled into the generator page, unit-tested.

export type ChipGroupId = 'quality' | 'style' | 'lighting';
export type ChipLanguage = 'zh' | 'en';

export interface ChipGroup {
  id: ChipGroupId;
  terms: Record<ChipLanguage, readonly string[]>;
}

export const CHIP_GROUPS: readonly ChipGroup[] = [
  {
    id: 'quality',
    terms: {
      zh: ['高质量', '超详细', '8K分辨率', '4K分辨率', '电影级画质', '专业摄影', '精美插画'],
      en: [
        'high quality',
        'ultra detailed',
        '8K',
        '4K',
        'cinematic',
        'professional photography',
        'beautiful illustration',
      ],
    },
  },
  {
    id: 'style',
    terms: {
      zh: [
        '油画风格',
        '水彩画',
        '素描',
        '动漫风格',
        '赛博朋克',
        '蒸汽朋克',
        '写实风格',
        '日系',
        '韩系',
        '中国风',
      ],
      en: [
        'oil painting',
        'watercolor',
        'sketch',
        'anime style',
        'cyberpunk',
        'steampunk',
        'photorealistic',
        'Japanese style',
        'Korean style',
        'Chinese style',
      ],
    },
  },
  {
    id: 'lighting',
    terms: {
      zh: ['柔和光线', '戏剧性光影', '逆光', '黄金时刻', '蓝调时刻', '霓虹灯光'],
      en: ['soft light', 'dramatic lighting', 'backlight', 'golden hour', 'blue hour', 'neon lights'],
    },
  },
];

// Han, kana, Hangul, CJK punctuation and full-width forms.
const CJK = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;
/** Characters that already end a prompt segment. */
const SEPARATORS = ',，、;；.。!！?？\n';
const SEP_CLASS = `[${SEPARATORS.replace('\n', '\\n')}]`;

export function containsCjk(text: string): boolean {
  return CJK.test(text);
}

/**
 * Appends a term the way people write prompts: `一只猫，油画风格` between Chinese text and a
 * Chinese term, `a cat, oil painting` otherwise; no doubled separator after one already typed.
 */
export function appendTerm(prompt: string, term: string): string {
  const head = prompt.replace(/\s+$/u, '');
  if (!head) return term;
  const last = head[head.length - 1];
  if (SEPARATORS.includes(last)) return CJK.test(last) ? head + term : `${head} ${term}`;
  return CJK.test(last) && containsCjk(term) ? `${head}，${term}` : `${head}, ${term}`;
}

const segmentsOf = (prompt: string) =>
  prompt
    .split(new RegExp(`${SEP_CLASS}+`, 'u'))
    .map((s) => s.trim().toLocaleLowerCase())
    .filter(Boolean);

/** Whether the term is already one of the prompt's comma-separated segments (case-insensitive). */
export function hasTerm(prompt: string, term: string): boolean {
  const t = term.trim().toLocaleLowerCase();
  return segmentsOf(prompt).includes(t);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes the segment equal to the term together with the separator before it (or after it, at the start). */
export function removeTerm(prompt: string, term: string): string {
  const re = new RegExp(`(^|${SEP_CLASS})\\s*${escapeRegExp(term.trim())}\\s*(?=${SEP_CLASS}|$)`, 'iu');
  const m = re.exec(prompt);
  if (!m) return prompt;
  const start = m.index;
  let end = m.index + m[0].length;
  if (m[1] === '') {
    const next = new RegExp(`^${SEP_CLASS}\\s*`, 'u').exec(prompt.slice(end));
    if (next) end += next[0].length;
  }
  return (prompt.slice(0, start) + prompt.slice(end)).trim();
}

/** Adds the term, or removes it when the prompt already has it: chips are toggles. */
export function toggleTerm(prompt: string, term: string): string {
  return hasTerm(prompt, term) ? removeTerm(prompt, term) : appendTerm(prompt, term);
}

/** Chips in the prompt's own script; for an empty prompt, in the UI language. */
export function chipLanguageFor(prompt: string, uiLanguage: string): ChipLanguage {
  if (containsCjk(prompt)) return 'zh';
  if (/\p{L}/u.test(prompt)) return 'en';
  return uiLanguage.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** One chip = one idea, named the same in both languages (`quality:0` is "high quality" and "高质量"). */
export interface ChipIdea {
  group: ChipGroupId;
  index: number;
}

/** Every way the idea is written, in either language. */
export function ideaTerms(idea: ChipIdea): string[] {
  const group = CHIP_GROUPS.find((g) => g.id === idea.group);
  if (!group) return [];
  return [group.terms.en[idea.index], group.terms.zh[idea.index]].filter((t): t is string => !!t);
}

/** Whether the prompt holds the idea in either language, so a chip stays pressed across the switch. */
export function hasIdea(prompt: string, idea: ChipIdea): boolean {
  return ideaTerms(idea).some((t) => hasTerm(prompt, t));
}

/**
 * Adds the idea in the chips' language, or removes it in whichever language the prompt has it:
 * "watercolor" and "水彩画" never both end up in the prompt.
 */
export function toggleIdea(prompt: string, idea: ChipIdea, language: ChipLanguage): string {
  const terms = ideaTerms(idea);
  if (terms.some((t) => hasTerm(prompt, t))) {
    let next = prompt;
    // Bounded: a term written several times goes, and a rule mismatch can never loop forever.
    for (const t of terms) for (let k = 0; k < 8 && hasTerm(next, t); k++) next = removeTerm(next, t);
    return next;
  }
  const group = CHIP_GROUPS.find((g) => g.id === idea.group);
  const term = group?.terms[language][idea.index];
  return term ? appendTerm(prompt, term) : prompt;
}
