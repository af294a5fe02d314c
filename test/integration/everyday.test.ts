// PRODUCT.md §15 in the webviews, driven through the browser bridge like a user: chips that look
// and stay pressed, a short keyboard path, the reason of a failure beside Generate, results
// grouped by generation, Reuse prompt with model and size, the gallery's grid, preview and
// labels. Page functions are strings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HistoryItem } from '../../src/core/history';
import { GENERATOR_VIEW_TYPE } from '../../src/webviews/generator/protocol';
import { browserBridge } from './support/bridge';
import { useWebviewFixture } from './support/fixture';
import { closeAllEditors, openDocument, waitFor } from './support/env';

const KEY = 'sk-test-everyday-0123456789abcdef';
const G = 'generator';
const V = 'gallery';
const READY = "() => document.body.dataset.ready === 'true'";

/** Attribute and the computed look of one chip, by its term. */
const CHIP_LOOK = `(term) => {
  const chip = document.querySelector('button.chip[data-chip="' + term + '"]');
  if (!chip) return undefined;
  const cs = getComputedStyle(chip);
  return { pressed: chip.getAttribute('aria-pressed'), background: cs.backgroundColor,
    border: cs.borderTopStyle, weight: cs.fontWeight, tabIndex: chip.tabIndex };
}`;

suite('Everyday feel: panel and gallery (PRODUCT.md §15)', () => {
  const fx = useWebviewFixture({ key: KEY, folder: 'everyday' });
  const { server } = fx;
  const bridge = browserBridge();

  const value = (view: string, selector: string) =>
    bridge.evalWebview<string, string>(view, '(s) => document.querySelector(s).value', selector);
  const chipLook = (term: string) =>
    bridge.evalWebview<string, { pressed: string; background: string; border: string; weight: string }>(
      G,
      CHIP_LOOK,
      term,
    );

  async function openGenerator(prompt?: string): Promise<void> {
    await vscode.commands.executeCommand('imageGen.openGenerator', prompt);
    await bridge.waitWebview(G, READY);
  }

  async function showGallery(): Promise<void> {
    await vscode.commands.executeCommand('imageGen.gallery.focus');
    await bridge.waitWebview(V, READY);
  }

  async function generate(prompt: string, n = 1): Promise<void> {
    await openGenerator();
    await bridge.fillWebview(G, '#prompt', prompt);
    await bridge.evalWebview(
      G,
      `(n) => { const c = document.getElementById('count'); c.value = String(n); c.dispatchEvent(new Event('change', { bubbles: true })); }`,
      n,
    );
    await bridge.clickWebview(G, '#generate');
    await bridge.waitWebview(
      G,
      "() => document.getElementById('cancel').hidden && /Generated/.test(document.getElementById('progress').textContent)",
      undefined,
      30_000,
    );
  }

  test('chips look pressed in light and dark themes and stay pressed across the EN/中文 switch', async () => {
    await closeAllEditors();
    await openGenerator('A cat on a windowsill');
    await bridge.fillWebview(G, '#prompt', 'A cat on a windowsill');
    await bridge.clickWebview(G, 'button.chip[data-chip="watercolor"]');
    assert.equal(await value(G, '#prompt'), 'A cat on a windowsill, watercolor');
    const workbench = vscode.workspace.getConfiguration('workbench');
    for (const [theme, kind] of [
      ['Default Light Modern', 'light'],
      ['Default Dark Modern', 'dark'],
    ] as const) {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      await bridge.waitWebview(G, '(kind) => document.body.classList.contains(`vscode-${kind}`)', kind);
      const pressed = await chipLook('watercolor');
      const unpressed = await chipLook('sketch');
      assert.equal(pressed.pressed, 'true', kind);
      assert.equal(unpressed.pressed, 'false', kind);
      assert.notEqual(pressed.background, unpressed.background, `${kind}: background`);
      assert.notEqual(pressed.border, unpressed.border, `${kind}: border style`);
      assert.notEqual(pressed.weight, unpressed.weight, `${kind}: weight`);
    }
    await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);

    // 中文: the same idea is pressed under its Chinese name; pressing it takes "watercolor" out
    // rather than adding 水彩画 beside it.
    await bridge.clickWebview(G, '#chip-language');
    const zh = await bridge.waitWebview<string, { pressed: string }>(G, CHIP_LOOK, '水彩画');
    assert.equal(zh.pressed, 'true');
    await bridge.clickWebview(G, 'button.chip[data-chip="水彩画"]');
    assert.equal(await value(G, '#prompt'), 'A cat on a windowsill');
    await bridge.clickWebview(G, 'button.chip[data-chip="水彩画"]');
    assert.equal(await value(G, '#prompt'), 'A cat on a windowsill, 水彩画');
    await bridge.clickWebview(G, '#chip-language');
    assert.equal(
      (await bridge.waitWebview<string, { pressed: string }>(G, CHIP_LOOK, 'watercolor')).pressed,
      'true',
    );
    await bridge.clickWebview(G, 'button.chip[data-chip="watercolor"]');
    assert.equal(await value(G, '#prompt'), 'A cat on a windowsill');
  });

  test('keyboard: one tab stop per chip group, arrows inside, a short path from the prompt to Generate', async () => {
    await openGenerator('A fox');
    const stops = await bridge.evalWebview<undefined, number[]>(
      G,
      "() => [...document.querySelectorAll('.chip-group')].map((g) => [...g.querySelectorAll('button.chip')].filter((c) => c.tabIndex === 0).length)",
    );
    assert.deepEqual(stops, [1, 1, 1]);
    // Arrow keys move inside a group and Space presses; the group keeps one tab stop.
    await bridge.evalWebview(
      G,
      '() => document.querySelector(\'.chip-group button.chip[tabindex="0"]\').focus()',
    );
    await bridge.pressWebview(G, ':focus', 'ArrowRight');
    const focused = await bridge.evalWebview<undefined, string>(
      G,
      '() => document.activeElement.dataset.chip',
    );
    assert.equal(focused, 'ultra detailed');
    await bridge.pressWebview(G, ':focus', 'Space');
    assert.equal(await value(G, '#prompt'), 'A fox, ultra detailed');

    // From the prompt, Tab reaches Generate within a handful of stops (it took 25 before): Add
    // images…, the helper language, three chip groups, model, size, count.
    await bridge.evalWebview(G, "() => document.getElementById('prompt').focus()");
    let tabs = 0;
    for (; tabs < 12; tabs++) {
      if ((await bridge.evalWebview<undefined, string>(G, '() => document.activeElement.id')) === 'generate')
        break;
      await bridge.pressWebview(G, ':focus', 'Tab');
    }
    assert.ok(tabs <= 9, `${tabs} Tab presses from the prompt to Generate`);
    assert.equal(
      await bridge.evalWebview<undefined, string>(G, '() => document.activeElement.id'),
      'generate',
    );
  });

  test('panel: results are grouped by generation and show their prompt; a failure says why beside Generate', async () => {
    await generate('Two red kites over a hill', 2);
    await generate('A blue door in a white wall', 1);
    const groups = await bridge.evalWebview<undefined, { header: string; prompts: string[] }[]>(
      G,
      "() => [...document.querySelectorAll('#results > li.generation')].map((g) => ({ header: g.querySelector('.generation-header').textContent, prompts: [...g.querySelectorAll('li.tile .tile-prompt')].map((p) => p.textContent) }))",
    );
    assert.deepEqual(
      groups.slice(0, 2).map((g) => g.prompts),
      [['A blue door in a white wall'], ['Two red kites over a hill', 'Two red kites over a hill']],
    );
    assert.match(groups[1].header, /^2 images · /);

    server.options.keys = ['sk-another-key-000000000000000'];
    await bridge.fillWebview(G, '#prompt', 'A key the server refuses');
    await bridge.clickWebview(G, '#generate');
    const reason = await bridge.waitWebview<undefined, string>(
      G,
      "() => !document.getElementById('generate-error').hidden && document.getElementById('generate-error').textContent",
    );
    const notified = await fx.ui.waitForMessage(/rejected the API key/);
    assert.equal(reason, notified.message);
    assert.equal(
      await bridge.evalWebview(
        G,
        "() => document.getElementById('generate').getAttribute('aria-describedby')",
      ),
      'generate-error',
    );
    server.options.keys = undefined;
    await bridge.clickWebview(G, '#generate');
    await bridge.waitWebview(G, "() => document.getElementById('generate-error').hidden");
  });

  test('gallery: Reuse prompt brings back the model and size', async () => {
    await openGenerator();
    await bridge.evalWebview(
      G,
      `() => { const m = document.getElementById('model'); m.value = 'dall-e-3'; m.dispatchEvent(new Event('change', { bubbles: true })); }`,
    );
    await bridge.fillWebview(G, '#size', '1792x1024');
    await bridge.fillWebview(G, '#prompt', 'A wide harbour at dawn');
    await bridge.clickWebview(G, '#generate');
    await waitFor(
      () => fx.hooks.history.list().some((i) => i.prompt === 'A wide harbour at dawn'),
      'generated',
    );
    const item = fx.hooks.history.list().find((i) => i.prompt === 'A wide harbour at dawn') as HistoryItem;
    // Another model and size in the panel, then Reuse from the gallery.
    await bridge.evalWebview(
      G,
      `() => { const m = document.getElementById('model'); m.value = 'qh-draw-x2-preview'; m.dispatchEvent(new Event('change', { bubbles: true })); }`,
    );
    await bridge.fillWebview(G, '#size', '1024x1024');
    await bridge.fillWebview(G, '#prompt', 'something else');
    await showGallery();
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"]`);
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"] [data-action=reuse]`);
    await bridge.waitWebview(G, "() => document.getElementById('prompt').value === 'A wide harbour at dawn'");
    assert.equal(await value(G, '#model'), 'dall-e-3');
    assert.equal(await value(G, '#size'), '1792x1024');
  });

  test('gallery: action names in words on focus, a grid of big pictures that is remembered, a larger preview on Space', async () => {
    await showGallery();
    const first = fx.hooks.history.list()[0];
    await bridge.clickWebview(V, `#list .row[data-id="${first.id}"]`);
    const label = await bridge.evalWebview<string, { label: string; covers: boolean }>(
      V,
      `(id) => {
        const row = document.querySelector('#list .row[data-id="' + id + '"]');
        const button = row.querySelector('[data-action=insert]');
        button.focus();
        const prompt = row.querySelector('.prompt').getBoundingClientRect();
        const bar = row.querySelector('.row-actions').getBoundingClientRect();
        const covers = bar.top < prompt.bottom && bar.bottom > prompt.top && bar.left < prompt.right;
        return { label: getComputedStyle(button, '::after').content, covers };
      }`,
      first.id,
    );
    assert.equal(label.label, '"Insert"');
    assert.equal(label.covers, false, 'the toolbar does not cover the prompt');

    await bridge.clickWebview(V, '#view-mode');
    const cells = await bridge.waitWebview<undefined, { x: number; y: number; w: number; img: boolean }[]>(
      V,
      "() => { const c = [...document.querySelectorAll('#list .row.cell')].map((r) => { const b = r.getBoundingClientRect(); return { x: Math.round(b.left), y: Math.round(b.top), w: Math.round(b.width), img: !!r.querySelector('.thumb img') }; }); return c.length ? c : undefined; }",
    );
    assert.ok(
      cells.every((c) => c.w >= 100),
      `big cells: ${JSON.stringify(cells)}`,
    );
    assert.ok(cells.some((c) => c.img));
    if (cells.length > 1) assert.equal(cells[0].y, cells[1].y, 'cells side by side');
    await bridge.screenshot('gallery-grid', V);
    // Remembered: the view is rebuilt (hidden and shown) in grid mode.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await showGallery();
    await bridge.waitWebview(
      V,
      "() => document.body.dataset.mode === 'grid' && document.querySelectorAll('#list .row.cell').length > 0",
    );

    await bridge.evalWebview(V, "() => document.querySelector('#list .row.active').focus()");
    await bridge.pressWebview(V, '#list .row.active', ' ');
    const preview = await bridge.waitWebview<undefined, { width: number; src: string }>(
      V,
      "() => { const p = document.getElementById('preview'); const img = p && p.querySelector('img'); return p && !p.hidden && img && img.complete && img.naturalWidth ? { width: img.getBoundingClientRect().width, src: img.src } : undefined; }",
    );
    assert.ok(preview.width > 56, `preview ${preview.width}px wide`);
    await bridge.pressWebview(V, '#list .row.active', 'Escape');
    await bridge.waitWebview(V, "() => document.getElementById('preview').hidden");
    await bridge.clickWebview(V, '#view-mode');
    await bridge.waitWebview(V, "() => document.body.dataset.mode === 'list'");
  });
  test('one panel after a reload: Open Image Generator brings the restored tab forward', async () => {
    await closeAllEditors();
    assert.equal(fx.hooks.generatorPanel.current(), undefined, 'no panel open');
    // What a reload leaves: the panel's tab, revived through the serializer only once it is shown.
    const restored = vscode.window.createWebviewPanel(
      GENERATOR_VIEW_TYPE,
      'Image Generator',
      vscode.ViewColumn.One,
      {},
    );
    let revived = false;
    const watch = restored.onDidChangeViewState(() => {
      if (!restored.visible || revived) return;
      revived = true;
      void fx.hooks.generatorPanel.revive(restored, {
        prompt: 'a restored prompt',
        model: 'dall-e-3',
        size: '1024x1024',
        n: 1,
        resultIds: [],
      });
    });
    const generatorTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter(
          (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(GENERATOR_VIEW_TYPE),
        );
    try {
      // A document in front of it, in the same group.
      await openDocument('everyday/reload.md', '# Notes\n');
      await waitFor(() => !restored.visible, 'the restored tab to be behind the document');
      assert.equal(generatorTabs().length, 1);

      await vscode.commands.executeCommand('imageGen.openGenerator');
      await bridge.waitWebview(G, READY);
      assert.ok(revived, 'the restored tab was shown, so VS Code revived it');
      assert.equal(fx.hooks.generatorPanel.current(), restored, 'the restored panel is the one in use');
      assert.equal(generatorTabs().length, 1, 'no second panel');
      assert.equal(await value(G, '#prompt'), 'a restored prompt');
    } finally {
      watch.dispose();
      restored.dispose();
    }
  });

  test('drag from the gallery into a Markdown editor: inserted where it is dropped, the file saved first', async () => {
    const made = await vscode.commands.executeCommand<{ images: { historyId: string }[] } | undefined>(
      'imageGen.generate',
      { prompt: 'A kestrel over the dunes', model: 'qh-draw-x2-preview', size: '256x256', insertAs: 'none' },
    );
    const id = made?.images[0]?.historyId;
    assert.ok(id, JSON.stringify(fx.ui.shown));
    const text = '# Drop here\n\nAlpha Kestrel paragraph\nstill alpha.\n\nOmega.\n';
    const editor = await openDocument('everyday/drop.md', text);
    // The cursor elsewhere: the drop, not the cursor, says where the image goes.
    editor.selection = new vscode.Selection(5, 0, 5, 0);
    await showGallery();
    const row = `#list .row[data-id="${id}"][draggable="true"]`;
    await bridge.waitWebview(V, '(s) => !!document.querySelector(s)', row);

    await bridge.dragToWorkbench(
      V,
      row,
      `(word) => {
        const line = [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')].find((l) =>
          l.textContent.includes(word));
        if (!line) return undefined;
        const box = line.getBoundingClientRect();
        return { x: box.left + 30, y: box.top + box.height / 2 };
      }`,
      'Kestrel',
    );
    await waitFor(() => editor.document.getText() !== text, 'the dropped image in the document', 15_000);
    const link = /!\[A kestrel over the dunes\]\((images\/[^)]+\.png)\)/.exec(editor.document.getText());
    assert.ok(link, editor.document.getText());
    assert.equal(
      editor.document.getText(),
      `# Drop here\n\nAlpha Kestrel paragraph\nstill alpha.\n\n${link[0]}\n\nOmega.\n`,
    );
    const saved = vscode.Uri.joinPath(editor.document.uri, '..', link[1]);
    assert.ok((await vscode.workspace.fs.stat(saved)).size > 0, 'the file is saved before it is linked');
  });
});
