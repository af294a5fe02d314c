// The wire contract: every request body the client builds is checked against OpenAI's own
// `CreateImageRequest` (test/fixtures/contracts/openai-images.openapi.yaml, MIT, see its README)
// and against this project's stricter schema; the spec's response shapes are parsed by the client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import {
  ImageApiClient,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
} from '../../src/core/apiClient';
import { BUILTIN_MODELS, COMMON_SIZES, findModel, normalizeSize, splitCount } from '../../src/core/catalog';
import { buildRequestBody, validateRequest } from '../../src/core/request';
import { parseGenerationResponse, parseModelList } from '../../src/core/response';
import type { GenerationRequest } from '../../src/core/types';
import { ImageServer } from '../fixtures/imageServer';

// out/test/unit → the sources' test/fixtures/contracts (data files are not copied into out/).
const CONTRACTS = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'contracts');
const SPEC_ID = 'https://imagegen.invalid/contracts/openai-images.openapi.json';

interface OpenApiSpec {
  info: { description: string };
  components: { schemas: Record<string, { properties?: Record<string, { example?: unknown }> }> };
}

const spec = parseYaml(
  fs.readFileSync(path.join(CONTRACTS, 'openai-images.openapi.yaml'), 'utf8'),
) as OpenApiSpec;
const ownSchema = JSON.parse(
  fs.readFileSync(path.join(CONTRACTS, 'image-request.schema.json'), 'utf8'),
) as object;

/**
 * OpenAPI's `nullable: true` (3.0 style, still used throughout OpenAI's 3.1 document) as JSON
 * Schema: `null` joins the type (and the enum), or becomes one more `anyOf` branch.
 */
function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableToJsonSchema(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
    else if (Array.isArray(out.oneOf)) out.oneOf = [...out.oneOf, { type: 'null' }];
  }
  return out;
}

// strict: false lets the OpenAPI keywords (example, x-oaiTypeLabel, discriminator…) through;
// formats (uri, unixtime) are not JSON Schema formats Ajv ships, URLs are checked by hand below.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
// The whole document under an $id, so `#/components/schemas/…` refs resolve inside it.
ajv.addSchema({ ...(nullableToJsonSchema(spec) as object), $id: SPEC_ID });
const specSchema = (name: string): ValidateFunction =>
  ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
const createImageRequest = specSchema('CreateImageRequest');
const imagesResponse = specSchema('ImagesResponse');
const listModelsResponse = specSchema('ListModelsResponse');
const projectRequest = ajv.compile(ownSchema);

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  const valid = validate(value);
  assert.ok(
    valid,
    `${what} is invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 400)}`,
  );
}

/** A fetch that records every body and answers a minimal valid generation. */
function recordingFetch(): { fetch: FetchLike; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const fetch: FetchLike = async (_url: string, init?: FetchInit): Promise<FetchResponseLike> => {
    bodies.push(JSON.parse(String(init?.body ?? 'null')));
    const n = (JSON.parse(String(init?.body ?? '{}')) as { n?: number }).n ?? 1;
    const text = JSON.stringify({
      created: 1,
      data: Array.from({ length: n }, (_, i) => ({ url: `https://cdn.example/${i}.png` })),
    });
    return {
      status: 200,
      headers: { get: (h) => (h.toLowerCase() === 'content-type' ? 'application/json' : null) },
      body: null,
      text: async () => text,
    };
  };
  return { fetch, bodies };
}

/** What the client sends for one generation, split per the model's maxPerRequest like ImageGenerator does. */
async function bodiesSentFor(req: GenerationRequest): Promise<unknown[]> {
  const { fetch, bodies } = recordingFetch();
  const client = new ImageApiClient({
    fetch,
    baseUrl: 'https://api.qhaigc.net/v1/',
    apiKey: 'sk-contract-0000000000',
    timeoutMs: 5000,
    maxRetries: 0,
  });
  const model = findModel(BUILTIN_MODELS, req.model);
  for (const n of splitCount(req.n, model.maxPerRequest)) {
    const result = await client.generate({ ...req, n });
    assert.ok(result.ok, JSON.stringify(result));
  }
  return bodies;
}

/** A property's `example` from the spec's CreateImageRequest: the spec's own sample request. */
function specExampleRequest(): Record<string, unknown> {
  const props = spec.components.schemas.CreateImageRequest.properties ?? {};
  const example: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props))
    if (prop.example !== undefined) example[name] = prop.example;
  return example;
}

const PROMPTS = [
  'A cute baby sea otter',
  '一只在花园里玩耍的小猫，油画风格，高质量 🐱',
  'Quotes "double" and \'single\', back\\slash, tab\t and\nnewline',
  'emoji family 👩‍👩‍👧 and flags 🇨🇳🇺🇸',
  "  surrounding blanks are the user's business  ",
  'p'.repeat(4000),
];

/** Extra parameters a user may set in imageGen.extraParameters that OpenAI's schema knows. */
const SPEC_EXTRAS: Record<string, unknown>[] = [
  {},
  { response_format: 'b64_json' },
  { response_format: 'url', quality: 'hd', style: 'natural' },
  {
    quality: 'high',
    output_format: 'webp',
    output_compression: 80,
    background: 'transparent',
    moderation: 'low',
  },
  { user: 'user-1234', stream: false, partial_images: 0 },
  { quality: null, style: null },
  // Provider-specific keys (the seed's negative_prompt, seed…) are allowed by both schemas.
  { negative_prompt: 'blurry, low quality', seed: 42, steps: 30 },
];

suite('contract: request bodies', () => {
  test('the spec copy keeps its MIT attribution and has the schemas the tests use', () => {
    assert.match(spec.info.description, /openai\/openai-openapi/);
    assert.match(spec.info.description, /MIT/);
    assert.match(
      fs.readFileSync(path.join(CONTRACTS, 'README.md'), 'utf8'),
      /MIT License[\s\S]*Copyright \(c\) 2020 OpenAI/,
    );
    for (const name of ['CreateImageRequest', 'ImagesResponse', 'Image', 'ListModelsResponse'])
      assert.ok(spec.components.schemas[name], name);
  });

  test('the validators can fail: bodies that break the contract are rejected', () => {
    const good = { prompt: 'a cat', model: 'dall-e-3', size: '1024x1024', n: 1 };
    assertValid(createImageRequest, good, 'the reference body');
    assertValid(projectRequest, good, 'the reference body');
    for (const bad of [
      { ...good, n: 11 },
      { ...good, n: 0 },
      { ...good, n: 1.5 },
      { model: 'x' },
      { ...good, prompt: 3 },
      { ...good, quality: 'ultra' },
    ]) {
      assert.equal(createImageRequest(bad), false, `OpenAI's schema accepted ${JSON.stringify(bad)}`);
    }
    for (const bad of [
      { ...good, n: 11 },
      { ...good, n: '1' },
      { ...good, model: '' },
      { ...good, model: '  ' },
      { ...good, prompt: '' },
      { ...good, prompt: ' \n ' },
      { ...good, size: '1024*1024' },
      { ...good, size: '1024X1024' },
      { ...good, size: '01024x1024' },
      { ...good, size: '10x10' },
      { ...good, size: '8193x1024' },
      { ...good, size: '1024x63' },
      { prompt: 'a cat', model: 'm', size: '1024x1024' },
    ]) {
      assert.equal(projectRequest(bad), false, `the project's schema accepted ${JSON.stringify(bad)}`);
    }
  });

  test("the spec's own example request validates and survives as extraParameters", async () => {
    const example = specExampleRequest();
    assert.ok(Object.keys(example).length >= 8, JSON.stringify(example));
    assertValid(createImageRequest, example, 'the spec example');
    const bodies = await bodiesSentFor({
      prompt: 'A lighthouse at dusk',
      model: 'qh-draw-x2-preview',
      size: '1280x720',
      n: 2,
      extraParameters: example,
    });
    assert.equal(bodies.length, 1);
    assertValid(createImageRequest, bodies[0], 'body with the spec example as extras');
    assertValid(projectRequest, bodies[0], 'body with the spec example as extras');
    // The four core fields are the extension's, not the example's.
    assert.deepEqual(
      (({ prompt, model, size, n }) => ({ prompt, model, size, n }))(bodies[0] as Record<string, unknown>),
      { prompt: 'A lighthouse at dusk', model: 'qh-draw-x2-preview', size: '1280x720', n: 2 },
    );
  });

  test('every body sent for every model, size, count, prompt and spec-valid extra conforms to both schemas', async () => {
    let checked = 0;
    const models = [...BUILTIN_MODELS.map((m) => m.id), 'gpt-image-1', 'my-org/custom-model:v2'];
    for (const [mi, model] of models.entries()) {
      const sizes = [
        ...new Set([...findModel(BUILTIN_MODELS, model).sizes, ...COMMON_SIZES, '1536x864', '64x8192']),
      ];
      for (const [si, size] of sizes.entries()) {
        for (let n = 1; n <= 10; n++) {
          // Every combination of model, size and n; prompts and extras rotate through them.
          const req: GenerationRequest = {
            prompt: PROMPTS[(mi + si + n) % PROMPTS.length],
            model,
            size,
            n,
            extraParameters: SPEC_EXTRAS[(si + n) % SPEC_EXTRAS.length],
            extra: n % 3 === 0 ? { style: 'vivid' } : undefined,
          };
          assert.equal(validateRequest(req), undefined, JSON.stringify(req));
          const bodies = await bodiesSentFor(req);
          const max = findModel(BUILTIN_MODELS, model).maxPerRequest;
          assert.equal(bodies.length, Math.ceil(n / max));
          for (const body of bodies) {
            assertValid(createImageRequest, body, `body for ${model} ${size} n=${n}`);
            assertValid(projectRequest, body, `body for ${model} ${size} n=${n}`);
            assert.ok((body as { n: number }).n <= max, 'never more per request than the model allows');
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 300, `only ${checked} bodies checked`);
  });

  test('sizes typed in any accepted spelling are sent canonical', () => {
    for (const typed of [
      '1024x1024',
      '1024X1024',
      '1024×1024',
      ' 1024 * 1024 ',
      '１０２４x１０２４',
      '720x1280',
    ]) {
      const size = normalizeSize(typed);
      assert.ok(size, typed);
      const body = buildRequestBody({ prompt: 'a cat', model: 'qh-draw-x2-preview', size, n: 1 });
      assertValid(projectRequest, body, `size typed as ${JSON.stringify(typed)}`);
      assertValid(createImageRequest, body, `size typed as ${JSON.stringify(typed)}`);
    }
  });

  test('extras that try to override the core fields never reach the wire', async () => {
    const hostile = { prompt: 42, model: '', size: '1x1', n: 99, __proto__: { polluted: true } };
    const bodies = await bodiesSentFor({
      prompt: 'a cat',
      model: 'qh-draw-x1-pro',
      size: '1024x1024',
      n: 4,
      extraParameters: JSON.parse(JSON.stringify(hostile).replace('"polluted"', '"x"')) as Record<
        string,
        unknown
      >,
      extra: { n: 0, size: 'auto', model: null },
    });
    assert.equal(bodies.length, 1);
    assertValid(createImageRequest, bodies[0], 'body with hostile extras');
    assertValid(projectRequest, bodies[0], 'body with hostile extras');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a request the pre-flight check refuses is never representable as a valid body', () => {
    const refused: GenerationRequest[] = [
      { prompt: '', model: 'm', size: '1024x1024', n: 1 },
      { prompt: 'a', model: ' ', size: '1024x1024', n: 1 },
      { prompt: 'a', model: 'm', size: 'big', n: 1 },
      { prompt: 'a', model: 'm', size: '1024x1024', n: 0 },
      { prompt: 'a', model: 'm', size: '1024x1024', n: 11 },
      { prompt: 'a', model: 'm', size: '1024x1024', n: 2.5 },
    ];
    for (const req of refused) {
      assert.notEqual(validateRequest(req), undefined, JSON.stringify(req));
      assert.equal(
        projectRequest(buildRequestBody(req)),
        false,
        `the schema accepts what validateRequest refuses: ${JSON.stringify(req)}`,
      );
    }
  });
});

suite('contract: responses', () => {
  const examples = fs
    .readdirSync(path.join(CONTRACTS, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort();

  test('there are response examples for url, b64_json and revised_prompt', () => {
    assert.ok(examples.length >= 4, examples.join());
  });

  for (const file of examples) {
    test(`example ${file} conforms to ImagesResponse and parses`, () => {
      const text = fs.readFileSync(path.join(CONTRACTS, 'examples', file), 'utf8');
      const json = JSON.parse(text) as {
        created: number;
        data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
      };
      assertValid(imagesResponse, json, file);
      const parsed = parseGenerationResponse(text, 'application/json', 'api.openai.com');
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.equal(parsed.value.created, json.created);
      assert.equal(parsed.value.images.length, json.data.length);
      json.data.forEach((item, i) => {
        const image = parsed.value.images[i];
        if (item.url) assert.equal(image.url, new URL(item.url).href);
        else assert.equal(image.b64Json, item.b64_json);
        assert.equal(image.revisedPrompt, item.revised_prompt);
      });
    });
  }

  test("the spec's Image item examples: each of url and b64_json alone is a valid item", () => {
    const png = fs.readFileSync(path.join(CONTRACTS, 'examples', 'b64-usage.json'), 'utf8');
    const b64 = (JSON.parse(png) as { data: Array<{ b64_json: string }> }).data[0].b64_json;
    for (const item of [
      { url: 'https://example.com/a.png' },
      { b64_json: b64 },
      { b64_json: b64, revised_prompt: 'r' },
    ]) {
      const body = { created: 1, data: [item] };
      assertValid(imagesResponse, body, JSON.stringify(item));
      assert.ok(
        parseGenerationResponse(JSON.stringify(body), 'application/json', 'h').ok,
        JSON.stringify(item),
      );
    }
  });

  test('spec-valid responses the extension cannot use are refused as unexpected, not crashed on', () => {
    // ImagesResponse allows an empty or missing data array and items with neither field.
    for (const [body, cause] of [
      [{ created: 1 }, 'noData'],
      [{ created: 1, data: [] }, 'emptyData'],
      [{ created: 1, data: [{}] }, 'badItem'],
      [{ created: 1, data: [{ revised_prompt: 'only' }] }, 'badItem'],
      [{ created: 1, data: [{ b64_json: 'not base64!' }] }, 'badBase64'],
    ] as const) {
      assertValid(imagesResponse, body, JSON.stringify(body));
      const parsed = parseGenerationResponse(JSON.stringify(body), 'application/json', 'h');
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.equal(parsed.error.kind, 'badResponse');
        assert.equal(parsed.error.cause, cause);
      }
    }
  });

  suite('the fixture server speaks the contract', () => {
    const server = new ImageServer();
    suiteSetup(() => server.start());
    suiteTeardown(() => server.stop());

    for (const format of ['url', 'b64_json'] as const) {
      test(`a ${format} generation answer conforms to ImagesResponse`, async () => {
        const res = await fetch(`${server.baseUrl}/images/generations`, {
          method: 'POST',
          headers: { Authorization: 'Bearer sk-contract', 'Content-Type': 'application/json' },
          body: JSON.stringify({
            prompt: 'a cat',
            model: 'dall-e-3',
            size: '1024x1024',
            n: 1,
            response_format: format,
          }),
        });
        const text = await res.text();
        assertValid(imagesResponse, JSON.parse(text), `fixture ${format} answer`);
        const parsed = parseGenerationResponse(text, res.headers.get('content-type') ?? undefined, 'fixture');
        assert.ok(parsed.ok && parsed.value.images.length === 1);
      });
    }

    test('its model list conforms to ListModelsResponse and parses', async () => {
      const res = await fetch(`${server.baseUrl}/models`, {
        headers: { Authorization: 'Bearer sk-contract' },
      });
      const text = await res.text();
      assertValid(listModelsResponse, JSON.parse(text), 'fixture model list');
      assert.ok(parseModelList(text)?.includes('dall-e-3'));
    });
  });
});
