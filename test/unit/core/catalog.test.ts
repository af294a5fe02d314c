import * as assert from 'node:assert/strict';
import {
  BUILTIN_MODELS,
  COMMON_SIZES,
  findModel,
  mergeCatalog,
  normalizeSize,
  parseSize,
  runWithConcurrency,
  splitCount,
} from '../../../src/core/catalog';

const deferred = <T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

suite('core/catalog', () => {
  suite('built-ins', () => {
    test('the four models of the seed, in order, with their labels', () => {
      assert.deepEqual(
        BUILTIN_MODELS.slice(0, 4).map((m) => [m.id, m.label]),
        [
          ['qh-draw-x2-preview', '启航绘图 X2 Preview'],
          ['qh-draw-x1-pro', '启航绘图 X1 Pro'],
          ['dall-e-3', 'DALL·E 3'],
          ['nano-banana-2', 'Nano Banana 2'],
        ],
      );
      assert.ok(BUILTIN_MODELS.every((m) => m.source === 'builtin'));
    });
    test('DALL·E 3: one image per request, three sizes', () => {
      const dalle = BUILTIN_MODELS.find((m) => m.id === 'dall-e-3');
      assert.equal(dalle?.maxPerRequest, 1);
      assert.deepEqual(dalle?.sizes, ['1024x1024', '1792x1024', '1024x1792']);
    });
    test("the seed's others: common sizes and 10 per request", () => {
      for (const m of BUILTIN_MODELS.slice(0, 4).filter((x) => x.id !== 'dall-e-3')) {
        assert.deepEqual(m.sizes, [...COMMON_SIZES], m.id);
        assert.equal(m.maxPerRequest, 10, m.id);
      }
    });
    test('common sizes: square first, then the seed list', () => {
      assert.deepEqual([...COMMON_SIZES], ['1024x1024', '720x1280', '1280x720', '1024x1792', '1792x1024']);
    });
    test('built-ins cannot be mutated by accident', () => {
      assert.throws(() => (BUILTIN_MODELS[0].sizes as string[]).push('1x1'));
      assert.throws(() => ((BUILTIN_MODELS as unknown as unknown[]).length = 0));
    });
  });

  suite('parseSize / normalizeSize', () => {
    test('separators x, X, ×, * and blanks', () => {
      for (const text of [
        '1024x768',
        '1024X768',
        '1024×768',
        '1024*768',
        ' 1024 x 768 ',
        '１０２４ｘ７６８',
      ]) {
        assert.deepEqual(parseSize(text), { width: 1024, height: 768 }, text);
        assert.equal(normalizeSize(text), '1024x768', text);
      }
    });
    test('edges 64..8192', () => {
      assert.deepEqual(parseSize('64x8192'), { width: 64, height: 8192 });
      assert.equal(parseSize('63x1024'), undefined);
      assert.equal(parseSize('1024x8193'), undefined);
      assert.equal(parseSize('0x0'), undefined);
    });
    test('garbage', () => {
      for (const text of [
        '',
        '1024',
        'x1024',
        '1024x',
        '1024x1024x1',
        '-1024x1024',
        '1024.5x1024',
        'abcxdef',
        '1024 1024',
        '99999999x1',
      ]) {
        assert.equal(parseSize(text), undefined, text);
        assert.equal(normalizeSize(text), undefined, text);
      }
    });
    test('normalizeSize accepts auto (GPT image models), parseSize does not', () => {
      assert.equal(normalizeSize(' AUTO '), 'auto');
      assert.equal(parseSize('auto'), undefined);
    });
    test('leading zeros are normalized away', () => {
      assert.equal(normalizeSize('01024x0768'), '1024x768');
    });
  });

  suite('mergeCatalog', () => {
    test('no settings, no provider: a copy of the built-ins', () => {
      const catalog = mergeCatalog(undefined);
      assert.deepEqual(
        catalog.map((m) => m.id),
        BUILTIN_MODELS.map((m) => m.id),
      );
      catalog[0].sizes.push('64x64');
      assert.ok(!BUILTIN_MODELS[0].sizes.includes('64x64'), 'built-ins are not shared');
    });
    test('settings override a built-in field by field', () => {
      const catalog = mergeCatalog([{ id: 'dall-e-3', maxPerRequest: 2 }]);
      const dalle = findModel(catalog, 'dall-e-3');
      assert.equal(dalle.maxPerRequest, 2);
      assert.equal(dalle.label, 'DALL·E 3', 'label kept');
      assert.deepEqual(dalle.sizes, ['1024x1024', '1792x1024', '1024x1792'], 'sizes kept');
      assert.equal(dalle.source, 'settings');
      assert.equal(catalog.length, BUILTIN_MODELS.length);
    });
    test('settings add models after the built-ins, with defaults', () => {
      const catalog = mergeCatalog([
        { id: 'my-model', label: '我的模型', sizes: ['512×512', 'bad', '512x512', '2048X2048'] },
      ]);
      assert.equal(catalog.length, BUILTIN_MODELS.length + 1);
      assert.deepEqual(catalog[BUILTIN_MODELS.length], {
        id: 'my-model',
        label: '我的模型',
        sizes: ['512x512', '2048x2048'],
        maxPerRequest: 10,
        source: 'settings',
      });
    });
    test('invalid entries and invalid fields are ignored', () => {
      const catalog = mergeCatalog([
        null,
        42,
        'dall-e-3',
        [],
        { id: '' },
        { id: '   ' },
        { label: 'no id' },
        { id: 7 },
        { id: 'qh-draw-x1-pro', label: 42, sizes: 'big', maxPerRequest: 0 },
        { id: 'x-model', maxPerRequest: 11, sizes: [] },
        { id: 'y-model', maxPerRequest: 2.5, sizes: ['nope'] },
      ]);
      const x1 = findModel(catalog, 'qh-draw-x1-pro');
      assert.equal(x1.label, '启航绘图 X1 Pro');
      assert.deepEqual(x1.sizes, [...COMMON_SIZES]);
      assert.equal(x1.maxPerRequest, 10);
      assert.deepEqual(
        catalog.map((m) => m.id),
        [...BUILTIN_MODELS.map((m) => m.id), 'x-model', 'y-model'],
      );
      assert.equal(findModel(catalog, 'x-model').maxPerRequest, 10);
      assert.deepEqual(findModel(catalog, 'y-model').sizes, [...COMMON_SIZES]);
    });
    test('a non-array settings value is ignored', () => {
      assert.equal(mergeCatalog({ id: 'x' }).length, BUILTIN_MODELS.length);
      assert.equal(mergeCatalog('x').length, BUILTIN_MODELS.length);
    });
    test('provider ids: only image-like ones are added, after settings, without duplicates', () => {
      const catalog = mergeCatalog(
        [{ id: 'mine' }],
        [
          'gpt-4o',
          'text-embedding-3-small',
          'flux-pro',
          'dall-e-3',
          'FLUX-pro',
          'flux-pro',
          'stable-diffusion-xl',
          'midjourney',
          'whisper-1',
          'gpt-image-1',
          'kolors',
          '',
          '  ',
        ],
      );
      assert.deepEqual(
        catalog.map((m) => [m.id, m.source]),
        [
          ...BUILTIN_MODELS.map((m) => [m.id, 'builtin']),
          ['mine', 'settings'],
          ['flux-pro', 'provider'],
          ['FLUX-pro', 'provider'],
          ['stable-diffusion-xl', 'provider'],
          ['midjourney', 'provider'],
          ['kolors', 'provider'],
        ],
      );
      const flux = findModel(catalog, 'flux-pro');
      assert.deepEqual(flux.sizes, [...COMMON_SIZES]);
      assert.equal(flux.maxPerRequest, 10);
    });
    test('built-ins stay when the provider does not list them', () => {
      const catalog = mergeCatalog([], ['seedream-3']);
      assert.deepEqual(
        catalog.map((m) => m.id),
        [...BUILTIN_MODELS.map((m) => m.id), 'seedream-3'],
      );
    });
    test('a settings entry wins over a provider model of the same id', () => {
      const catalog = mergeCatalog([{ id: 'flux-dev', label: 'Flux (mine)' }], ['flux-dev']);
      const flux = catalog.filter((m) => m.id === 'flux-dev');
      assert.equal(flux.length, 1);
      assert.equal(flux[0].label, 'Flux (mine)');
      assert.equal(flux[0].source, 'settings');
    });
  });

  suite('findModel', () => {
    const catalog = mergeCatalog([]);
    test('known ids (exact, then trimmed)', () => {
      assert.equal(findModel(catalog, 'dall-e-3').maxPerRequest, 1);
      assert.equal(findModel(catalog, ' dall-e-3 ').id, 'dall-e-3');
    });
    test('an unknown id gets a synthetic entry', () => {
      assert.deepEqual(findModel(catalog, 'some-new-model'), {
        id: 'some-new-model',
        label: 'some-new-model',
        sizes: [...COMMON_SIZES],
        maxPerRequest: 10,
        source: 'settings',
      });
    });
    test('ids are case-sensitive', () => {
      assert.equal(findModel(catalog, 'DALL-E-3').maxPerRequest, 10);
    });
  });

  suite('splitCount', () => {
    test('examples', () => {
      assert.deepEqual(splitCount(5, 2), [2, 2, 1]);
      assert.deepEqual(splitCount(4, 1), [1, 1, 1, 1]);
      assert.deepEqual(splitCount(3, 10), [3]);
      assert.deepEqual(splitCount(10, 4), [4, 4, 2]);
      assert.deepEqual(splitCount(6, 3), [3, 3]);
    });
    test('degenerate input', () => {
      assert.deepEqual(splitCount(0, 2), []);
      assert.deepEqual(splitCount(-3, 2), []);
      assert.deepEqual(splitCount(3, 0), [1, 1, 1]);
      assert.deepEqual(splitCount(Number.NaN, 2), []);
    });
    test('the parts always add up to n', () => {
      for (let n = 1; n <= 10; n++)
        for (let max = 1; max <= 10; max++) {
          const parts = splitCount(n, max);
          assert.equal(
            parts.reduce((a, b) => a + b, 0),
            n,
          );
          assert.ok(parts.every((p) => p >= 1 && p <= max));
        }
    });
  });

  suite('runWithConcurrency', () => {
    test('results in task order, whatever order tasks finish in', async () => {
      const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
      const run = runWithConcurrency(
        gates.map((g) => () => g.promise),
        3,
      );
      gates[2].resolve('c');
      gates[0].resolve('a');
      gates[1].resolve('b');
      assert.deepEqual(await run, ['a', 'b', 'c']);
    });
    test('never more than limit in flight, and the limit is used', async () => {
      let inFlight = 0;
      let peak = 0;
      const gates = Array.from({ length: 7 }, () => deferred<number>());
      const started: number[] = [];
      const tasks = gates.map((g, i) => async () => {
        started.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return await g.promise;
        } finally {
          inFlight--;
        }
      });
      const run = runWithConcurrency(tasks, 4);
      await tick();
      assert.deepEqual(started, [0, 1, 2, 3]);
      gates[1].resolve(1);
      await tick();
      assert.deepEqual(started, [0, 1, 2, 3, 4]);
      gates.forEach((g, i) => g.resolve(i));
      assert.deepEqual(await run, [0, 1, 2, 3, 4, 5, 6]);
      assert.equal(peak, 4);
    });
    test('limit below 1 runs one at a time', async () => {
      let inFlight = 0;
      let peak = 0;
      const tasks = Array.from({ length: 3 }, (_, i) => async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        inFlight--;
        return i;
      });
      assert.deepEqual(await runWithConcurrency(tasks, 0), [0, 1, 2]);
      assert.equal(peak, 1);
    });
    test('no tasks', async () => {
      assert.deepEqual(await runWithConcurrency([], 4), []);
    });
    test('rejects with the first error and starts nothing more', async () => {
      const started: number[] = [];
      const tasks = [0, 1, 2, 3].map((i) => async () => {
        started.push(i);
        if (i === 0) throw new Error('boom');
        await tick();
        return i;
      });
      await assert.rejects(runWithConcurrency(tasks, 1), /boom/);
      await tick();
      assert.deepEqual(started, [0]);
    });
    test('a task that throws synchronously rejects too', async () => {
      const tasks = [
        (): Promise<number> => {
          throw new Error('sync');
        },
      ];
      await assert.rejects(runWithConcurrency(tasks, 2), /sync/);
    });
  });
});
