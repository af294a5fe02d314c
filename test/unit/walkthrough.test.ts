// The walkthrough's steps complete on real state (PRODUCT.md §15): a key stored, an image in the
// gallery, the gallery opened; never because a command was merely run (Esc in Set API Key, a
// cancelled generation).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/unit/: the repository root is three levels up.
const root = path.join(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const walkthroughState = fs.readFileSync(path.join(root, 'src/services/walkthroughState.ts'), 'utf8');

suite('walkthrough', () => {
  test('every step completes on a context key the extension sets from real state, or on its view', () => {
    const steps: Array<{ id: string; completionEvents?: string[] }> =
      manifest.contributes.walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps);
    assert.ok(steps.length >= 3);
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id} has no completion event, so a click on its link completes it`);
      for (const event of events) {
        const context = /^onContext:([\w.]+)$/.exec(event);
        if (context) {
          assert.ok(
            walkthroughState.includes(`'${context[1]}'`),
            `${step.id}: ${context[1]} is never set by WalkthroughState`,
          );
          continue;
        }
        assert.match(event, /^onView:imageGen\./, `${step.id} completes on ${event}, not on real state`);
      }
    }
  });
});
