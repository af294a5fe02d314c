import * as vscode from 'vscode';
import { needsInsecureConfirmation, originOf } from '../core/origin';
import type { UserInterface } from './ui';

const CONFIRMED_KEY = 'imageGen.insecureOriginsConfirmed';

/**
 * A key may travel over plain http:// to a host other than this machine only after the user said
 * yes once for that origin (PRODUCT.md §7). Every path that sends or stores a key asks here first.
 */
export class InsecureOriginGate {
  constructor(
    private readonly state: vscode.Memento,
    private readonly ui: UserInterface,
  ) {}

  /** Whether the key may go to this URL's origin without asking. */
  allowed(url: string): boolean {
    if (!needsInsecureConfirmation(url)) return true;
    const origin = originOf(url);
    return !!origin && this.confirmed().includes(origin);
  }

  /** Asks once per origin; true when the key may go there. */
  async confirm(url: string): Promise<boolean> {
    if (this.allowed(url)) return true;
    const origin = originOf(url);
    if (!origin) return false;
    const yes = await this.ui.confirm(
      vscode.l10n.t(
        '{0} uses plain http://: your API key and prompts would travel unencrypted. Use it anyway?',
        origin,
      ),
      vscode.l10n.t('Use http://'),
    );
    if (yes) await this.state.update(CONFIRMED_KEY, [...this.confirmed(), origin]);
    return yes;
  }

  private confirmed(): string[] {
    const v = this.state.get<unknown>(CONFIRMED_KEY);
    return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string') : [];
  }
}
