// The JSON schemas of the agent tools' inputs and their English problem texts, for the MCP server
// (package.json declares the same schemas for VS Code; a unit test keeps the two equal).
import { MAX_AGENT_IMAGES, type InputProblem } from './agentInput';
import { MAX_EDIT_IMAGES } from './editRequest';

const SIZE_DESCRIPTION =
  "Image size as WIDTHxHEIGHT, e.g. 1024x1024 or 1280x720. Default: the user's setting.";

export const GENERATE_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'What the image shows, in any language.' },
    model: { type: 'string', description: "Image model id. Default: the user's setting." },
    size: { type: 'string', pattern: '^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$', description: SIZE_DESCRIPTION },
    n: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_AGENT_IMAGES,
      description: 'How many images (default 1).',
    },
    path: {
      type: 'string',
      description:
        'Workspace-relative target file (e.g. docs/img/hero.png) or folder (ending in /). Default: images/. Existing files are never overwritten.',
    },
  },
  required: ['prompt'],
  additionalProperties: false,
} as const;

export const EDIT_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    image: {
      type: 'string',
      description: 'Workspace-relative path of the image to edit (PNG, JPEG or WebP). It is never modified.',
    },
    prompt: { type: 'string', description: 'The change to make, in any language.' },
    mask: {
      type: 'string',
      description:
        'Workspace-relative path of a PNG of the same size as the image; transparent pixels mark the area to change.',
    },
    references: {
      type: 'array',
      items: { type: 'string' },
      maxItems: MAX_EDIT_IMAGES - 1,
      description: 'Workspace-relative paths of up to 15 more images to draw from.',
    },
    model: { type: 'string', description: "Image model id. Default: the user's setting." },
    size: { type: 'string', pattern: '^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$', description: SIZE_DESCRIPTION },
    path: {
      type: 'string',
      description:
        'Workspace-relative target file or folder. Default: <name>-edit-<time>.png beside the image.',
    },
  },
  required: ['image', 'prompt'],
  additionalProperties: false,
} as const;

/** English wording of an input problem (the MCP server's; the extension localizes its own). */
export function describeInputProblem(p: InputProblem): string {
  switch (p.problem) {
    case 'notObject':
      return 'The arguments must be a JSON object.';
    case 'missing':
      return `"${p.field}" is required.`;
    case 'notString':
      return `"${p.field}" must be a string${p.field === 'references' ? ' array' : ''}.`;
    case 'badCount':
      return `"n" must be an integer from 1 to ${p.max}.`;
    case 'badSize':
      return `"${p.size}" is not a size: use WIDTHxHEIGHT, e.g. 1024x1024.`;
    case 'tooManyReferences':
      return `At most ${p.max} references.`;
  }
}
