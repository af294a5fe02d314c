// What the generator page shows of the chosen model beyond size and count (PRODUCT.md §13): its
// option controls above Generate, and the partial images of a streamed generation above the results.
import type {
  CatalogModel,
  GeneratorPageState,
  PartialMessage,
  RunningGeneration,
} from '../../src/webviews/generator/protocol';
import type { OptionStrings, PanelOptions } from '../../src/webviews/shared/modelOptions';
import { byId } from '../shared/dom';
import { OptionControls } from './options';
import { PartialPreview } from './partials';

export class ModelExtras {
  private readonly controls: OptionControls;
  private readonly partials: PartialPreview;
  /** The page's form, whose `options` follow the controls. */
  private form: GeneratorPageState | undefined;

  constructor(strings: () => OptionStrings, onChange: () => void) {
    this.controls = new OptionControls(byId('model-options'), strings, (options) => {
      if (this.form) this.form.options = options;
      onChange();
    });
    this.partials = new PartialPreview(byId('partial-preview'), strings);
  }

  /** The model changed (or the form was restored): its controls, keeping the choices that still apply. */
  render(model: CatalogModel | undefined, form: GeneratorPageState): void {
    this.form = form;
    this.controls.render(model?.options, form.options ?? {}, form.n);
    form.options = this.controls.values();
  }

  setCount(n: number): void {
    this.controls.setCount(n);
  }

  /** The choices to send with a generation. */
  chosen(): PanelOptions {
    return this.controls.values();
  }

  partial(message: PartialMessage, running: RunningGeneration | undefined): void {
    if (running?.requestId === message.requestId)
      this.partials.show(message.requestId, message.index, message.src);
  }

  /** A generation ended: its partial images go. */
  finished(requestId: number): void {
    this.partials.clear(requestId);
  }
}
