import * as assert from 'node:assert/strict';
import { canEdit, knownToEdit } from '../../../src/core/editCapability';

suite('core/editCapability', () => {
  test('the built-in catalog decides for the models it knows, snapshots included', () => {
    assert.equal(canEdit({ id: 'dall-e-3' }), false);
    assert.equal(canEdit({ id: 'dall-e-3-2025-01-01' }), false);
    assert.equal(knownToEdit({ id: 'gpt-image-1' }), true);
    assert.equal(knownToEdit({ id: 'gpt-image-2-2026-04-21' }), true);
    assert.equal(knownToEdit({ id: 'dall-e-2' }), true);
  });
  test('a model of unknown edits may be tried on request, never offered on its own', () => {
    for (const id of ['qh-draw-x2-preview', 'some-gateway-model']) {
      assert.equal(canEdit({ id }), true, id);
      assert.equal(knownToEdit({ id }), false, id);
    }
  });
  test("the model's own flag wins over the catalog", () => {
    assert.equal(canEdit({ id: 'gpt-image-1', capabilities: { edits: false } }), false);
    assert.equal(knownToEdit({ id: 'qh-draw-x1-pro', capabilities: { edits: true } }), true);
  });
});
