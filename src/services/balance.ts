import * as vscode from 'vscode';
import type { FetchLike } from '../core/apiClient';
import {
  billingUrls,
  combineBalance,
  directBalance,
  formatBalance,
  readBillingAnswer,
  type Balance,
} from '../core/billing';
import { hostOf, originOf } from '../core/origin';
import type { ApiKeyStore } from './apiKeys';
import type { ConfigurationReader } from './configuration';
import type { Logger } from './logger';
import type { UserInterface } from './ui';

const BILLING_TIMEOUT_MS = 10_000;

/**
 * The account balance of the configured provider (PRODUCT.md §13): `GET {origin}/v1/dashboard/billing/subscription`
 * and `…/usage`, with the key of that origin only, no redirects followed. Any failure (absent
 * endpoint, 401, HTML, timeout) gives undefined and the status bar item hides; nothing waits for it.
 */
export class BalanceService implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'imageGen.balance',
    vscode.StatusBarAlignment.Right,
    90,
  );
  private last: { origin: string; balance: Balance } | undefined;
  private inFlight: Promise<Balance | undefined> | undefined;

  constructor(
    private readonly deps: {
      config: ConfigurationReader;
      keys: ApiKeyStore;
      fetch: FetchLike;
      log: Logger;
      mayUseKeyFor: (origin: string) => boolean;
      ui: UserInterface;
    },
  ) {
    this.item.name = vscode.l10n.t('Image Gen Balance');
    this.item.command = 'imageGen.showBalance';
  }

  /** The latest balance (asked again now); undefined when the provider does not tell. */
  refresh(): Promise<Balance | undefined> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Hidden until asked again (e.g. the base URL changed). */
  reset(): void {
    this.last = undefined;
    this.item.hide();
  }

  /** The command: refresh, then say what is left (or that the provider does not tell). */
  async show(): Promise<void> {
    const baseUrl = this.deps.config.get().baseUrl;
    const balance = await this.refresh();
    const host = hostOf(baseUrl);
    if (!balance) {
      await this.deps.ui.info(
        vscode.l10n.t('{0} does not report a balance (or the key was not accepted for it).', host),
      );
      return;
    }
    await this.deps.ui.info(describe(host, balance));
  }

  private async load(): Promise<Balance | undefined> {
    const config = this.deps.config.get();
    const origin = originOf(config.baseUrl);
    const balance = origin ? await this.ask(origin).catch(() => undefined) : undefined;
    // The base URL may have changed meanwhile: show only what belongs to the current one.
    if (!origin || originOf(this.deps.config.get().baseUrl) !== origin) return undefined;
    if (!balance) {
      this.reset();
      return undefined;
    }
    this.last = { origin, balance };
    this.item.text = `$(credit-card) ${formatBalance(balance)}`;
    this.item.tooltip = describe(hostOf(config.baseUrl), balance);
    this.item.show();
    return balance;
  }

  private async ask(origin: string): Promise<Balance | undefined> {
    if (!this.deps.mayUseKeyFor(origin)) return undefined;
    const key = await this.deps.keys.get(origin);
    if (!key) return undefined;
    this.deps.log.addSecret(key);
    const urls = billingUrls(origin, new Date());
    const subscription = await this.getJson(urls.subscription, key);
    if (!subscription) return undefined;
    const direct = directBalance(subscription);
    if (direct) return direct;
    const usage = await this.getJson(urls.usage, key);
    return combineBalance(subscription, usage);
  }

  private async getJson(url: string, key: string): Promise<Record<string, unknown> | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), BILLING_TIMEOUT_MS);
    try {
      const response = await this.deps.fetch(url, {
        method: 'GET',
        headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' },
        redirect: 'manual',
        signal: controller.signal,
        compress: true,
      });
      const answer = await readBillingAnswer(response, controller.signal);
      if ('problem' in answer) {
        this.deps.log.debug(`GET ${url}: ${answer.problem}; no balance shown`);
        return undefined;
      }
      return answer.json;
    } catch (error) {
      this.deps.log.debug(`GET ${url} failed: ${String(error)}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** For tests: what the status bar item shows, undefined when hidden. */
  get shown(): string | undefined {
    return this.last ? this.item.text : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function describe(host: string, balance: Balance): string {
  const money = (n: number): string => formatBalance({ remaining: n, currency: balance.currency });
  if (balance.limit !== undefined && balance.used !== undefined) {
    return vscode.l10n.t(
      'Balance at {0}: {1} left (limit {2}, used {3}).',
      host,
      formatBalance(balance),
      money(balance.limit),
      money(balance.used),
    );
  }
  return vscode.l10n.t('Balance at {0}: {1} left.', host, formatBalance(balance));
}
