// The account balance as OpenAI-style gateways report it (PRODUCT.md §13):
// `GET {origin}/v1/dashboard/billing/subscription` (limit) and `…/billing/usage` (spent, in cents),
// plus the direct fields common gateways add (`balance`, `remaining`, `total_available`, …).
// The URLs to ask, how an answer is read (bounded) and what it means; anything unexpected gives
// undefined (hidden).

import { discardBody, readLimited, type FetchResponseLike } from './transport';

/** Billing answers are small; anything bigger is not one. */
export const MAX_BILLING_BYTES = 64 * 1024;

export interface Balance {
  /** What is left, in `currency` units. */
  remaining: number;
  currency: string;
  /** The account's limit when known. */
  limit?: number;
  /** Spent so far when known. */
  used?: number;
}

/** Limits at or above this are "unlimited" tokens of one-api style gateways. */
const UNLIMITED = 1e7;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The JSON object of a body, or undefined (HTML, text, arrays). */
export function parseBillingJson(body: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(body.replace(/^\uFEFF/, ''));
    if (!isRecord(json)) return undefined;
    // `{data: {...}}` and `{success: true, data: {...}}` wrappers.
    return isRecord(json.data) && !Array.isArray(json.data) ? { ...json.data, ...withoutData(json) } : json;
  } catch {
    return undefined;
  }
}

function withoutData(json: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, ...rest } = json;
  return rest;
}

function currencyOf(json: Record<string, unknown>): string {
  const c = json.currency ?? json.unit;
  return typeof c === 'string' && /^[A-Za-z]{3}$/.test(c.trim()) ? c.trim().toUpperCase() : 'USD';
}

/** A balance stated directly (no usage call needed), or undefined. */
export function directBalance(json: Record<string, unknown>): Balance | undefined {
  const currency = currencyOf(json);
  for (const key of [
    'balance',
    'remaining',
    'remain_balance',
    'total_available',
    'available_balance',
    'credits',
  ]) {
    const value = num(json[key]);
    if (value !== undefined) {
      const balance: Balance = { remaining: value, currency };
      const granted = num(json.total_granted);
      const used = num(json.total_used);
      if (granted !== undefined) balance.limit = granted;
      if (used !== undefined) balance.used = used;
      return balance;
    }
  }
  return undefined;
}

/** The subscription's hard limit in USD, or undefined (missing, or "unlimited"). */
export function subscriptionLimit(json: Record<string, unknown>): number | undefined {
  const limit = num(json.hard_limit_usd) ?? num(json.system_hard_limit_usd) ?? num(json.soft_limit_usd);
  return limit !== undefined && limit >= 0 && limit < UNLIMITED ? limit : undefined;
}

/** Spent, in USD, from a usage answer (`total_usage` is in cents, as OpenAI's dashboard sends it). */
export function usageSpent(json: Record<string, unknown>): number | undefined {
  const cents = num(json.total_usage);
  return cents !== undefined && cents >= 0 ? cents / 100 : undefined;
}

/** Both answers combined: direct fields first, else limit minus usage (or the limit alone). */
export function combineBalance(
  subscription: Record<string, unknown> | undefined,
  usage: Record<string, unknown> | undefined,
): Balance | undefined {
  if (!subscription) return undefined;
  const direct = directBalance(subscription);
  if (direct) return direct;
  const limit = subscriptionLimit(subscription);
  if (limit === undefined) return undefined;
  const used = usage ? usageSpent(usage) : undefined;
  if (used === undefined) return { remaining: limit, currency: 'USD', limit };
  return { remaining: Math.max(0, limit - used), currency: 'USD', limit, used };
}

/** The two dashboard URLs for a base URL's origin (the key never goes anywhere else). */
export function billingUrls(origin: string, now: Date): { subscription: string; usage: string } {
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  const start = new Date(now.getTime() - 99 * 24 * 3600 * 1000);
  const end = new Date(now.getTime() + 24 * 3600 * 1000);
  const root = `${origin.replace(/\/+$/, '')}/v1/dashboard/billing`;
  return {
    subscription: `${root}/subscription`,
    usage: `${root}/usage?start_date=${day(start)}&end_date=${day(end)}`,
  };
}

/** `$12.34` / `12.34 CNY` — short enough for the status bar. */
export function formatBalance(balance: Balance): string {
  const amount = balance.remaining >= 1000 ? balance.remaining.toFixed(0) : balance.remaining.toFixed(2);
  return balance.currency === 'USD'
    ? `$${amount}`
    : balance.currency === 'CNY'
      ? `¥${amount}`
      : `${amount} ${balance.currency}`;
}

/**
 * A billing answer's JSON object, or in a few words why there is none. The body is read as it
 * arrives and counted after decompression (a small compressed body may inflate far past the limit):
 * reading stops, and the stream is destroyed, at MAX_BILLING_BYTES.
 */
export async function readBillingAnswer(
  response: FetchResponseLike,
  signal: AbortSignal,
): Promise<{ json: Record<string, unknown> } | { problem: string }> {
  const body = response.body;
  const type = response.headers.get('content-type') ?? '';
  const declared = Number(response.headers.get('content-length') ?? NaN);
  let problem: string | undefined;
  if (response.status !== 200) problem = `answered ${response.status}`;
  else if (!/json/i.test(type)) problem = `answered ${type || 'no content type'}`;
  else if (declared > MAX_BILLING_BYTES) problem = `declared ${declared} bytes`;
  else if (!body) problem = 'no body';
  if (problem !== undefined || !body) {
    // Not read at all: an error page or a declared giant may be endless once inflated.
    discardBody(response);
    return { problem: problem ?? 'no body' };
  }
  const read = await readLimited(body, MAX_BILLING_BYTES, signal);
  if (read.type !== 'done') return { problem: read.type === 'tooLarge' ? 'over 64 KB' : read.type };
  const json = parseBillingJson(new TextDecoder().decode(read.bytes));
  return json ? { json } : { problem: 'not a JSON object' };
}
