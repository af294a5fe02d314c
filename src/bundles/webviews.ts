// Lazy bundle dist/lazy/webviews.js: the hosts of the generator panel and the gallery, and the drop
// of a gallery item into an editor. Their registrations live in the activation bundle and load this
// when a view resolves, a panel is restored or opened, or an item is dropped.
import { createWebviewDeps } from '../app/webviewServices';
import { ItemDropProvider } from '../webviews/dropProvider';
import { GalleryViewProvider } from '../webviews/gallery/galleryView';
import { GeneratorPanelSerializer } from '../webviews/generator/generatorPanel';
import { generatorRevival, openGenerator } from '../webviews/register';
import { webviewOptions } from '../webviews/webviewHost';
import type { Engine } from './engine';
import type { ActivationServices } from './services';

/**
 * `engine` is loaded when a webview first needs it (a generation, an insert, the model list), so
 * the gallery's first screen costs no engine load. Nothing here reads the engine's modules
 * before then: what this bundle takes from them (`fromEngine` in scripts/extensionBundles.js) loads on first access.
 */
export function createWebviews(s: ActivationServices, engine: () => Engine) {
  const deps = createWebviewDeps({
    extensionUri: s.context.extensionUri,
    config: s.config,
    get catalog() {
      return engine().catalog;
    },
    get runner() {
      return engine().runner;
    },
    get placer() {
      return engine().placer;
    },
    get tracker() {
      return engine().tracker;
    },
    history: s.history,
    ui: s.ui,
    log: s.log,
    lastEditor: s.lastEditor,
    files: s.files,
    downloadReason: s.downloadReason,
  });
  return {
    deps,
    gallery: s.add(new GalleryViewProvider(deps)),
    serializer: new GeneratorPanelSerializer(deps),
    drop: new ItemDropProvider(deps),
    open: async (prompt?: string) => {
      await openGenerator(deps, prompt);
    },
    /** For the tests: the serializer VS Code calls after a reload, and the panel in use. */
    revival: () => generatorRevival(deps),
    /** For the tests: the resource roots every webview of this window gets. */
    roots: () => webviewOptions(deps).localResourceRoots ?? [],
  };
}
