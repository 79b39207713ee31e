// The tablet's side of the protocol, with no browser or Node dependency of its own: fetch, the
// clock and compression are injected. Every failure is classified: `retry` (network, timeout,
// server trouble, a garbled answer — the outbox is untouched and the same mutations go again) or
// `refused` (a code retrying cannot fix: revoked device, version mismatch, invalid batch …).

import {
  CASE_SCHEMA_VERSION,
  FATAL_SYNC_CODES,
  PROTOCOL_VERSION,
  UPDATE_REQUIRED_CODES,
  enrolmentProofText,
  parseEnrolResponse,
  parsePullResponse,
  parsePushResponse,
  parseSyncError,
  type EnrolResponse,
  type MutationResult,
  type PullResponse,
} from '../shared/sync-protocol';
import type { Compressor } from './compression';
import type { DeviceKey } from '../storage/device-key';
import type { AuditOutbox, OutboxSource } from './outbox';
import { toWireMutation } from './outbox';

export interface SyncClientConfig {
  /** The county server, e.g. https://192.168.1.20:8443 (no trailing slash needed). */
  baseUrl: string;
  deviceId: string;
  /** The bearer credential from enrolment. */
  credential: string;
  appVersion: string;
  fetch: typeof fetch;
  now: () => Date;
  /** gzip for request bodies; null sends them uncompressed. */
  compress: Compressor | null;
  /** A request that takes longer is abandoned (and retried later). */
  timeoutMs: number;
  /** Mutations per push. */
  batchSize: number;
  /** The clerks' signed tokens by county user name: each mutation carries its clerk's. */
  clerkTokens?: ReadonlyMap<string, string>;
  /** The tablet's audit entries, sent with the pushes (up to AUDIT_PER_PUSH each). */
  audit?: AuditOutbox;
}

/** Audit entries per push: a few per case change, so a full batch of changes takes its entries along. */
export const AUDIT_PER_PUSH = 300;

export interface Refusal {
  kind: 'refused';
  status: number;
  code: string;
  message: string;
  /** The tablet shows 请更新应用. */
  updateRequired: boolean;
  expectedSeq?: number;
  problems?: { path: string; message: string }[];
  /** For `too-many-attempts`: when the request may be tried again. */
  retryAfterSeconds?: number;
}

export interface Retry {
  kind: 'retry';
  /** English, for the log: `timeout`, `network: …`, `status 503`, `garbled response: …`. */
  reason: string;
}

export type PushOutcome =
  | { kind: 'nothing-to-push' }
  | { kind: 'pushed'; sent: number; ackedThroughSeq: number; results: MutationResult[]; auditSent: number; clockSkewMs?: number; serverTime: string }
  | Retry
  | Refusal;

type Sent = { kind: 'ok'; body: unknown } | Retry | Refusal;

function url(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

async function send(config: SyncClientConfig, path: string, payload: unknown, auth: boolean): Promise<Sent> {
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (auth) headers.authorization = `Bearer ${config.credential}`;
  let body: Uint8Array = json;
  if (config.compress) {
    body = await config.compress(json);
    headers['content-encoding'] = 'gzip';
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await config.fetch(url(config.baseUrl, path), { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer>, signal: controller.signal });
    status = res.status;
    // Reading the body is part of the exchange: a connection cut mid-answer is a retry, not a result.
    text = await res.text();
  } catch (err) {
    return { kind: 'retry', reason: controller.signal.aborted ? 'timeout' : `network: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'retry', reason: `garbled response (status ${status}, ${text.length} bytes)` };
  }
  if (status >= 200 && status < 300) return { kind: 'ok', body: parsed };
  const error = parseSyncError(parsed);
  if (error && FATAL_SYNC_CODES.has(error.code)) {
    return {
      kind: 'refused',
      status,
      code: error.code,
      message: error.message,
      updateRequired: UPDATE_REQUIRED_CODES.has(error.code),
      ...(error.expectedSeq !== undefined ? { expectedSeq: error.expectedSeq } : {}),
      ...(error.problems !== undefined ? { problems: error.problems } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  // 5xx, 503 while the server restarts, a body damaged on the way (400): the same request may succeed later.
  return { kind: 'retry', reason: `status ${status}${error ? ` ${error.code}` : ''}` };
}

/**
 * One push: the oldest pending mutations (up to batchSize) and unsent audit entries (up to
 * AUDIT_PER_PUSH) in one request; audit entries alone when the outbox is empty. On acknowledgement
 * the outbox drops every mutation up to ackedThroughSeq; on anything else it keeps them all.
 */
export async function pushOnce(config: SyncClientConfig, outbox: OutboxSource): Promise<PushOutcome> {
  const pending = await outbox.pending(config.batchSize);
  const audit = config.audit ? await config.audit.unsent(AUDIT_PER_PUSH) : [];
  if (pending.length === 0 && audit.length === 0) return { kind: 'nothing-to-push' };
  const sent = await send(
    config,
    '/api/sync/push',
    {
      protocol: PROTOCOL_VERSION,
      appVersion: config.appVersion,
      schemaVersion: CASE_SCHEMA_VERSION,
      deviceId: config.deviceId,
      clientTime: config.now().toISOString(),
      batch: pending.map((m) => toWireMutation(m, config.clerkTokens)),
      ...(audit.length > 0 ? { auditEntries: audit } : {}),
    },
    true,
  );
  if (sent.kind !== 'ok') return sent;
  const response = parsePushResponse(sent.body);
  if (!response.ok) return { kind: 'retry', reason: `garbled response: ${response.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` };
  const r = response.value;
  if (pending.length > 0) {
    // An acknowledgement that does not cover what was sent is not trusted with the outbox.
    if (r.ackedThroughSeq < pending.at(-1)!.seq) return { kind: 'retry', reason: `acknowledgement ${r.ackedThroughSeq} does not cover seq ${pending.at(-1)!.seq}` };
    await outbox.acknowledge(r.ackedThroughSeq);
  }
  // Only what was sent and acknowledged: an id the server names that this push did not carry is ignored.
  const sentIds = new Set(audit.map((e) => e.id));
  const auditAcknowledged = (r.auditAcknowledged ?? []).filter((id) => sentIds.has(id));
  if (config.audit) await config.audit.markSent(auditAcknowledged);
  return {
    kind: 'pushed',
    sent: pending.length,
    auditSent: auditAcknowledged.length,
    ackedThroughSeq: r.ackedThroughSeq,
    results: r.results,
    serverTime: r.serverTime,
    ...(r.clockSkewMs !== undefined ? { clockSkewMs: r.clockSkewMs } : {}),
  };
}

/** Where pulled changes go: the store applies a page and its cursor together. */
export interface PullTarget {
  cursor(): Promise<string | null>;
  apply(page: PullResponse): Promise<void>;
}

export type PullOutcome = { kind: 'pulled'; pages: number; caseUpdates: number; clockSkewMs?: number } | Retry | Refusal;

/** Pulls pages until the server has no more; each page is applied (with its cursor) before the next. */
export async function pullAll(config: SyncClientConfig, target: PullTarget, maxPages = 50): Promise<PullOutcome> {
  let pages = 0;
  let caseUpdates = 0;
  let clockSkewMs: number | undefined;
  for (;;) {
    const sent = await send(
      config,
      '/api/sync/pull',
      { protocol: PROTOCOL_VERSION, appVersion: config.appVersion, schemaVersion: CASE_SCHEMA_VERSION, deviceId: config.deviceId, cursor: await target.cursor(), clientTime: config.now().toISOString() },
      true,
    );
    if (sent.kind !== 'ok') return sent;
    const page = parsePullResponse(sent.body);
    if (!page.ok) return { kind: 'retry', reason: `garbled response: ${page.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` };
    await target.apply(page.value);
    pages++;
    caseUpdates += page.value.caseUpdates.length;
    clockSkewMs = page.value.clockSkewMs;
    if (!page.value.more || pages >= maxPages) return { kind: 'pulled', pages, caseUpdates, ...(clockSkewMs !== undefined ? { clockSkewMs } : {}) };
  }
}

/**
 * Redeems an enrolment code with the tablet's key: the device id and credential to keep, or why not.
 * Safe to repeat after a lost answer: the same code and key get the same device id again.
 */
export async function enrol(
  config: Pick<SyncClientConfig, 'baseUrl' | 'appVersion' | 'fetch' | 'timeoutMs' | 'now'>,
  tablet: { localDeviceId: string; key: DeviceKey },
  code: string,
): Promise<{ kind: 'enrolled'; enrolment: EnrolResponse } | Retry | Refusal> {
  const full: SyncClientConfig = { ...config, deviceId: tablet.localDeviceId, credential: '', compress: null, batchSize: 0 };
  const clientTime = config.now().toISOString();
  // Signed as the server reads it (trimmed).
  const typed = code.trim();
  const signature = await tablet.key.sign(new TextEncoder().encode(enrolmentProofText(typed, tablet.key.publicKey, clientTime)));
  const request = { protocol: PROTOCOL_VERSION, appVersion: config.appVersion, code: typed, localDeviceId: tablet.localDeviceId, publicKey: tablet.key.publicKey, clientTime, signature: base64url(signature) };
  const sent = await send(full, '/api/enrol', request, false);
  if (sent.kind === 'retry') return sent;
  if (sent.kind === 'refused') return sent;
  const r = parseEnrolResponse(sent.body);
  if (!r.ok) return { kind: 'retry', reason: 'garbled response' };
  return { kind: 'enrolled', enrolment: r.value };
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
