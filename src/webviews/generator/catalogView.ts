// The model catalog as the generator page sees it: ids, sizes and each model's option controls.
import type { WebviewDeps } from '../deps';
import { optionsView } from '../shared/modelOptions';
import { errorText } from '../webviewHost';
import type { CatalogView } from './protocol';

export async function loadCatalog(deps: WebviewDeps): Promise<CatalogView> {
  try {
    const c = await deps.catalog();
    return {
      models: c.models.map((m) => ({
        id: m.id,
        label: m.label,
        sizes: [...m.sizes],
        maxPerRequest: m.maxPerRequest,
        options: optionsView(m.capabilities),
      })),
      defaultModel: c.defaultModel,
      defaultSize: c.defaultSize,
      count: Math.min(10, Math.max(1, Math.floor(c.count) || 1)),
    };
  } catch (e) {
    deps.log.warn(`Generator panel: could not load the model catalog: ${errorText(e)}`);
    return { models: [], defaultModel: '', defaultSize: '1024x1024', count: 1 };
  }
}
