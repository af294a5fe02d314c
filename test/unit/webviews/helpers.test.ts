import * as assert from 'node:assert/strict';
import {
  canInline,
  contentSecurityPolicy,
  createNonce,
  renderShell,
  scriptJson,
} from '../../../src/webviews/html';
import {
  formatBytes,
  formatDateTime,
  formatRelativeTime,
  safeLocale,
} from '../../../src/webviews/shared/format';
import { addGroup, restoredGroups } from '../../../src/webviews/generator/resultGroups';
import {
  ITEM_DRAG_MIME,
  itemDragData,
  itemMatches,
  parseItemDragData,
  type ItemView,
} from '../../../src/webviews/shared/itemView';
import {
  CHIP_GROUPS,
  appendTerm,
  chipLanguageFor,
  hasTerm,
  removeTerm,
  toggleTerm,
  toggleIdea,
  hasIdea,
  ideaTerms,
} from '../../../src/webviews/shared/promptHelpers';
import { normalizeSize, sizeAfterModelChange, sizesForModel } from '../../../src/webviews/shared/sizes';
import { scrollToReveal, visibleRange } from '../../../src/webviews/shared/virtualWindow';

suite('webview helpers', () => {
  suite('prompt chips', () => {
    test('the chips carry the seed’s quality, style and lighting words', () => {
      const zh = CHIP_GROUPS.flatMap((g) => g.terms.zh);
      for (const word of [
        '高质量',
        '超详细',
        '8K分辨率',
        '电影级画质',
        '精美插画',
        '油画风格',
        '中国风',
        '赛博朋克',
        '柔和光线',
        '蓝调时刻',
        '霓虹灯光',
      ]) {
        assert.ok(zh.includes(word), word);
      }
      const en = CHIP_GROUPS.flatMap((g) => g.terms.en);
      for (const word of [
        'high quality',
        'ultra detailed',
        'oil painting',
        'watercolor',
        'anime style',
        'photorealistic',
        'golden hour',
      ]) {
        assert.ok(en.includes(word), word);
      }
    });

    test('Chinese after Chinese gets a full-width comma, everything else ", "', () => {
      assert.equal(
        appendTerm('一只可爱的小猫在花园里玩耍', '油画风格'),
        '一只可爱的小猫在花园里玩耍，油画风格',
      );
      assert.equal(appendTerm('一只猫，油画风格', '8K分辨率'), '一只猫，油画风格，8K分辨率');
      assert.equal(appendTerm('a cat in a garden', 'oil painting'), 'a cat in a garden, oil painting');
      assert.equal(appendTerm('a cat', '油画风格'), 'a cat, 油画风格');
      assert.equal(appendTerm('一只猫', 'high quality'), '一只猫, high quality');
      assert.equal(appendTerm('🐱 emoji', 'cinematic'), '🐱 emoji, cinematic');
    });

    test('no doubled separator after one the user typed, and an empty prompt gets the bare term', () => {
      assert.equal(appendTerm('一只猫，', '高质量'), '一只猫，高质量');
      assert.equal(appendTerm('a cat,  ', '4K'), 'a cat, 4K');
      assert.equal(appendTerm('a cat.', 'sketch'), 'a cat. sketch');
      assert.equal(appendTerm('   ', '高质量'), '高质量');
    });

    test('chips are toggles: present terms are found by whole segment and removed with their separator', () => {
      assert.ok(hasTerm('一只猫，油画风格，高质量', '高质量'));
      assert.ok(hasTerm('a cat, Oil Painting', 'oil painting'));
      assert.ok(!hasTerm('8K分辨率', '8K'), 'a term inside another is not the term');
      assert.equal(removeTerm('一只猫，油画风格，高质量', '油画风格'), '一只猫，高质量');
      assert.equal(removeTerm('一只猫，油画风格，高质量', '高质量'), '一只猫，油画风格');
      assert.equal(removeTerm('high quality, a cat', 'high quality'), 'a cat');
      assert.equal(removeTerm('a (cat), 8K', '8K'), 'a (cat)');
      assert.equal(removeTerm('a cat', 'dog'), 'a cat');
      assert.equal(toggleTerm(toggleTerm('a cat', 'golden hour'), 'golden hour'), 'a cat');
    });

    test('a chip is one idea in both languages: pressed in either, never added twice', () => {
      const watercolor = { group: 'style', index: 1 } as const;
      assert.deepEqual(ideaTerms(watercolor), ['watercolor', '水彩画']);
      assert.ok(hasIdea('a cat, watercolor', watercolor));
      assert.ok(hasIdea('一只猫，水彩画', watercolor));
      assert.ok(!hasIdea('一只猫', watercolor));
      // Pressed in English, shown in Chinese: pressing it takes the English term out, adds nothing.
      assert.equal(toggleIdea('a cat, watercolor', watercolor, 'zh'), 'a cat');
      assert.equal(toggleIdea('一只猫', watercolor, 'zh'), '一只猫，水彩画');
      assert.equal(toggleIdea('a cat', watercolor, 'en'), 'a cat, watercolor');
      // Both spellings present (typed by hand): one press removes both.
      assert.equal(toggleIdea('a cat, watercolor, 水彩画, 4K', watercolor, 'en'), 'a cat, 4K');
      assert.equal(toggleIdea('a cat', { group: 'style', index: 99 }, 'en'), 'a cat');
    });

    test('chip language follows the prompt, then the UI language', () => {
      assert.equal(chipLanguageFor('一只猫', 'en'), 'zh');
      assert.equal(chipLanguageFor('a cat', 'zh-cn'), 'en');
      assert.equal(chipLanguageFor('', 'zh-cn'), 'zh');
      assert.equal(chipLanguageFor('123', 'en'), 'en');
    });
  });

  suite('sizes', () => {
    test('typed sizes are normalized or refused by the same rule as the commands', () => {
      assert.equal(normalizeSize(' 1024 × 768 '), '1024x768');
      assert.equal(normalizeSize('1792X1024'), '1792x1024');
      // The core's leniency: leading zeros and full-width digits are what people paste.
      assert.equal(normalizeSize('1024x0768'), '1024x768');
      assert.equal(normalizeSize('１０２４x768'), '1024x768');
      for (const bad of [
        '',
        '1024',
        '1024x',
        'x768',
        '0x768',
        '10x10',
        '99999x99999',
        '123456x1',
        '1024x768x2',
      ]) {
        assert.equal(normalizeSize(bad), undefined, bad);
      }
    });

    test('sizes follow the model', () => {
      assert.deepEqual(sizesForModel(['1024x1024']), ['1024x1024']);
      assert.ok(sizesForModel([]).includes('720x1280'));
      assert.equal(sizeAfterModelChange('720x1280', ['1024x1024', '1792x1024'], '1024x1024'), '1024x1024');
      assert.equal(sizeAfterModelChange('720x1280', ['1792x1024'], '1024x1024'), '1792x1024');
      assert.equal(sizeAfterModelChange('1792x1024', ['1024x1024', '1792x1024'], '1024x1024'), '1792x1024');
      assert.equal(
        sizeAfterModelChange('333x444', [], '1024x1024'),
        '333x444',
        'free sizes stay when the model lists none',
      );
    });
  });

  suite('formatting', () => {
    test('bytes in binary steps with the locale’s digits', () => {
      assert.equal(formatBytes(0, 'en'), '0 B');
      assert.equal(formatBytes(1023, 'en'), '1,023 B');
      assert.equal(formatBytes(1536, 'en'), '1.5 KB');
      assert.equal(formatBytes(5 * 1024 * 1024, 'zh-cn'), '5 MB');
      assert.equal(formatBytes(150 * 1024 * 1024, 'en'), '150 MB');
      assert.equal(formatBytes(Number.NaN, 'en'), '0 B');
    });

    test('relative times in English and Chinese', () => {
      const now = Date.UTC(2026, 0, 10);
      assert.equal(formatRelativeTime(now - 10_000, now, 'en'), 'now');
      assert.equal(formatRelativeTime(now - 3 * 60_000, now, 'en'), '3 minutes ago');
      assert.equal(formatRelativeTime(now - 2 * 3_600_000, now, 'en'), '2 hours ago');
      assert.equal(formatRelativeTime(now - 86_400_000, now, 'en'), 'yesterday');
      assert.equal(formatRelativeTime(now - 3 * 60_000, now, 'zh-cn'), '3分钟前');
      assert.equal(formatRelativeTime(now - 400 * 86_400_000, now, 'en'), 'last year');
    });

    test('dates in full as toLocaleString writes them, per locale, with formatters made once', () => {
      const at = Date.UTC(2026, 0, 10, 15, 4, 5);
      for (const locale of ['en', 'zh-cn', 'de', undefined])
        for (let i = 0; i < 2; i++)
          assert.equal(formatDateTime(at, locale), new Date(at).toLocaleString(safeLocale(locale)));
      assert.equal(formatDateTime(at, 'not a locale!'), new Date(at).toLocaleString());
    });

    test('unknown locales fall back instead of throwing', () => {
      assert.equal(safeLocale('zh-cn'), 'zh-CN');
      assert.equal(safeLocale('not a locale!'), undefined);
      assert.equal(formatBytes(2048, 'not a locale!'), '2 KB');
    });
  });

  suite('virtual list window', () => {
    test('only the rows in view plus overscan, clamped to the list', () => {
      assert.deepEqual(visibleRange(0, 600, 60, 1000, 4), { start: 0, end: 14 });
      assert.deepEqual(visibleRange(6000, 600, 60, 1000, 4), { start: 96, end: 114 });
      assert.deepEqual(visibleRange(59_400, 600, 60, 1000, 4), { start: 986, end: 1000 });
      assert.deepEqual(visibleRange(99_999, 600, 60, 1000, 4), { start: 1000, end: 1000 });
      assert.deepEqual(visibleRange(0, 600, 60, 0), { start: 0, end: 0 });
      assert.deepEqual(visibleRange(-50, 120, 60, 3, 0), { start: 0, end: 2 });
    });

    test('revealing a row scrolls only as far as needed', () => {
      assert.equal(scrollToReveal(5, 0, 600, 60), undefined);
      assert.equal(scrollToReveal(10, 0, 600, 60), 60);
      assert.equal(scrollToReveal(2, 600, 600, 60), 120);
    });
  });

  suite('search', () => {
    const view: ItemView = {
      id: 'a',
      prompt: '一只可爱的小猫',
      revisedPrompt: 'A cute kitten',
      model: 'qh-draw-x2-preview',
      size: '720x1280',
      createdAt: 0,
      cached: true,
      hasUrl: true,
      saved: false,
    };
    test('matches prompt, revised prompt, model and size ignoring case', () => {
      for (const q of ['小猫', 'KITTEN', 'x2', '720x', '  ']) assert.ok(itemMatches(view, q), q);
      assert.ok(!itemMatches(view, 'dog'));
    });
  });

  suite('HTML shell', () => {
    const shell = renderShell({
      view: 'gallery',
      cspSource: 'https://*.vscode-cdn.net',
      nonce: 'abc+/=',
      scriptUri: 'https://x.vscode-cdn.net/dist/webviews/gallery.js',
      styleUri: 'https://x.vscode-cdn.net/dist/webviews/gallery.style.css',
      codiconsUri: 'https://x.vscode-cdn.net/dist/webviews/codicons/codicon.css',
      language: 'zh-cn',
      title: '<Gallery>',
    });

    test('the CSP allows nothing inline and scripts only by nonce', () => {
      const csp = contentSecurityPolicy('https://*.vscode-cdn.net', 'N1');
      assert.match(csp, /^default-src 'none'; /);
      assert.match(csp, /script-src 'nonce-N1'/);
      assert.match(csp, /img-src https:\/\/\*\.vscode-cdn\.net;/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|data:|blob:|\bhttps:(?!\/\/)/);
    });

    test('the shell marks the view for the test bridge and loads everything by URI', () => {
      assert.match(shell, /<body data-image-gen-view="gallery">/);
      assert.match(
        shell,
        /<script nonce="abc\+\/=" src="https:\/\/x\.vscode-cdn\.net\/dist\/webviews\/gallery\.js"><\/script>/,
      );
      assert.match(shell, /<html lang="zh-cn">/);
      assert.match(shell, /<title>&lt;Gallery&gt;<\/title>/);
      assert.doesNotMatch(shell, /\sstyle=|\son\w+=|<style/);
      assert.equal((shell.match(/<script/g) ?? []).length, 1);
    });

    const inlined = renderShell({
      view: 'gallery',
      cspSource: 'https://*.vscode-cdn.net',
      nonce: 'N2',
      scriptUri: 'https://x.vscode-cdn.net/dist/webviews/gallery.js',
      styleUri: 'https://x.vscode-cdn.net/dist/webviews/gallery.style.css',
      codiconsUri: 'https://x.vscode-cdn.net/dist/webviews/codicons/codicon.css',
      language: 'en',
      title: 'Gallery',
      inline: { script: 'window.started = 1;', styles: ['.a{color:red}', '.b{color:blue}'] },
      initData: { type: 'init', prompt: '</script><script>alert(1)</script><!-- \u2028 & >' },
    });

    test('inline: script and styles under the nonce, nothing fetched, styles allowed only by nonce', () => {
      assert.match(
        inlined,
        /<style nonce="N2">\.a\{color:red\}<\/style>\n<style nonce="N2">\.b\{color:blue\}<\/style>/,
      );
      assert.match(inlined, /<script nonce="N2">window\.started = 1;<\/script>/);
      assert.doesNotMatch(inlined, /\ssrc=|<link/);
      const csp = contentSecurityPolicy('https://*.vscode-cdn.net', 'N2', true);
      assert.match(csp, /style-src https:\/\/\*\.vscode-cdn\.net 'nonce-N2';/);
      assert.ok(inlined.includes(csp.replace(/'/g, '&#39;')), 'the shell carries that CSP');
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    });

    test('inline: the first init is data that no string in it can end or escape', () => {
      const data = /<script nonce="N2" type="application\/json" id="image-gen-init">(.*?)<\/script>/s.exec(
        inlined,
      );
      assert.ok(data, 'the init data element');
      assert.doesNotMatch(data[1], /[<>&\u2028]/);
      assert.deepEqual(JSON.parse(data[1]), {
        type: 'init',
        prompt: '</script><script>alert(1)</script><!-- \u2028 & >',
      });
      assert.equal(JSON.parse(scriptJson('a</b>')), 'a</b>');
      // The data comes before the page's script, which reads it first.
      assert.ok(inlined.indexOf('image-gen-init') < inlined.indexOf('window.started'));
    });

    test('inline: assets that would end their own element are refused (the page then loads them by URI)', () => {
      assert.ok(canInline({ script: 'a', styles: ['b'] }));
      assert.ok(!canInline({ script: 'x = "</SCRIPT>"', styles: [] }));
      assert.ok(!canInline({ script: '', styles: ['</style><script>'] }));
      assert.throws(() =>
        renderShell({
          view: 'gallery',
          cspSource: 'c',
          nonce: 'n',
          scriptUri: '',
          styleUri: '',
          codiconsUri: '',
          language: 'en',
          title: 't',
          inline: { script: '</script>', styles: [] },
        }),
      );
    });

    test('nonces are fresh and unguessable', () => {
      const nonces = new Set(Array.from({ length: 50 }, createNonce));
      assert.equal(nonces.size, 50);
      for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
    });
  });
});

suite('panel result groups', () => {
  test('a new generation goes in front, repeats leave older groups, the total is bounded', () => {
    assert.deepEqual(addGroup([['a', 'b'], ['c']], ['d', 'e'], 10), [['d', 'e'], ['a', 'b'], ['c']]);
    assert.deepEqual(addGroup([['a', 'b'], ['c']], ['b'], 10), [['b'], ['a'], ['c']]);
    assert.deepEqual(addGroup([['a', 'b'], ['c']], ['d', 'e'], 3), [['d', 'e'], ['a']]);
  });

  test('restored results are split by the saved sizes, or kept as one group without them', () => {
    assert.deepEqual(restoredGroups({ resultIds: ['a', 'b', 'c'], resultGroups: [2, 1] }, 60), [
      ['a', 'b'],
      ['c'],
    ]);
    assert.deepEqual(restoredGroups({ resultIds: ['a', 'b', 'c'] }, 60), [['a', 'b', 'c']]);
    assert.deepEqual(restoredGroups({ resultIds: ['a', 'b', 'c'], resultGroups: [1] }, 60), [
      ['a'],
      ['b', 'c'],
    ]);
    assert.deepEqual(restoredGroups({ resultIds: ['a', 'b', 'c'], resultGroups: [5, 5] }, 2), [['a', 'b']]);
    assert.deepEqual(restoredGroups(undefined, 60), []);
  });
});

suite('item drag data', () => {
  test('carries the id only and refuses anything else', () => {
    assert.equal(parseItemDragData(itemDragData('3f2a-b_c')), '3f2a-b_c');
    assert.equal(parseItemDragData('{"id":"../../etc/passwd"}'), undefined);
    assert.equal(parseItemDragData('not json'), undefined);
    assert.equal(parseItemDragData('{"id":5}'), undefined);
    assert.equal(ITEM_DRAG_MIME, 'application/vnd.image-gen.item');
  });
});
