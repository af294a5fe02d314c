import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact';
import type { LogFn } from '../core/apiClient';

/** The `Image Gen` log channel; every line goes through redaction so no key can reach it. */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Image Gen') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Keys read at run time are added here so they are redacted even if they have no key shape. */
  addSecret(secret: string): void {
    if (secret) this.secrets.add(secret);
  }

  private clean(message: string): string {
    return redactSecrets(message, [...this.secrets]);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }

  /** Adapter for the core's logging callback. */
  readonly logFn: LogFn = (level, message) => this[level](message);

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
