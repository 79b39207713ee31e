// Signed weekly reports between servers, for leagues whose counties run their own servers. The county
// server signs its weekly report (the same WeeklyReport the JSON route answers) with a key pair made
// once and kept in its database; the league's admin registers the county's public key (compared by
// fingerprint over the telephone, not trusted from the file) and imports the files. A file is stored
// once however often it is imported; a later version of the same county and week is shown instead of
// the earlier one, which is kept. The league's weekly report takes the shown ones (imported-weekly.ts).

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, type AuditBy } from '../audit/chain';
import type { CountyContext } from '../county/context';
import { ApiError } from '../errors';
import { canonicalJson } from '../../shared/canonical-json';
import {
  SIGNED_WEEKLY_FORMAT,
  SIGNED_WEEKLY_FORMAT_VERSION,
  type CountyKeyItem,
  type ReportKeyAlgorithm,
  type ReportSigningKeyInfo,
  type SignedWeeklyFile,
  type SignedWeeklyPayload,
  type WeeklyImportResult,
} from '../../shared/report-exchange';
import type { ReportingWeek, WeeklyReport } from '../../shared/reports';
import { areaContains, areaProblem, type Area } from '../../shared/roles';
import { weeklyReport } from './weekly';

const KEY_ID = 'weekly-report';
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function problem(path: string, message: string, code = 'invalid-request', status = 422): ApiError {
  return new ApiError(status, code, `${path}: ${message}`, { details: { problems: [{ path, message }] } });
}

/** SHA-256 of the key's SPKI DER: the same for the same key whatever PEM wrapping it came in. */
export function keyFingerprint(key: KeyObject): string {
  return sha256(key.export({ type: 'spki', format: 'der' }));
}

function algorithmOf(key: KeyObject): ReportKeyAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ECDSA-P256-SHA256';
  return null;
}

function signBytes(algorithm: ReportKeyAlgorithm, data: Buffer, key: KeyObject): Buffer {
  return algorithm === 'Ed25519' ? sign(null, data, key) : sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

function verifyBytes(algorithm: ReportKeyAlgorithm, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return algorithm === 'Ed25519' ? verify(null, data, key, signature) : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

// --- the county server's side ------------------------------------------------------------------------

/** This server's signing key, made on first use; two first uses at once keep the one stored first. */
async function signingKey(ctx: CountyContext): Promise<{ info: ReportSigningKeyInfo; privateKey: KeyObject }> {
  let row = await ctx.db.selectFrom('report_signing_keys').selectAll().where('id', '=', KEY_ID).executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    await ctx.db
      .insertInto('report_signing_keys')
      .values({
        id: KEY_ID,
        algorithm: 'Ed25519',
        public_key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        fingerprint: keyFingerprint(pair.publicKey),
        created_at: ctx.now().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await ctx.db.selectFrom('report_signing_keys').selectAll().where('id', '=', KEY_ID).executeTakeFirstOrThrow();
  }
  return {
    info: { algorithm: row.algorithm as ReportKeyAlgorithm, publicKey: row.public_key, fingerprint: row.fingerprint, createdAt: row.created_at },
    privateKey: createPrivateKey(row.private_key),
  };
}

export async function signingKeyInfo(ctx: CountyContext): Promise<ReportSigningKeyInfo> {
  return (await signingKey(ctx)).info;
}

/** `?county=`: the county whose report is signed; the caller's own when he is a county's. */
export function parseSignedExportQuery(query: unknown, callerArea: Area): { county: Area; week: unknown } {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(q)) {
    if (name !== 'county' && name !== 'week') throw problem(name, 'unknown parameter; expected one of county, week');
    if (typeof value !== 'string') throw problem(name, 'given more than once');
  }
  const code = typeof q.county === 'string' && q.county !== '' ? q.county : callerArea.level === 'county' ? callerArea.code : undefined;
  if (code === undefined) throw problem('county', 'required: the county whose weekly report is signed');
  const county: Area = { level: 'county', code };
  const bad = areaProblem(county);
  if (bad !== null) throw problem('county', bad.replace(/^code: /, ''));
  return { county, week: q.week };
}

/** The county's weekly report of the week holding `instant`, signed with this server's key. */
export async function signedWeeklyFile(ctx: CountyContext, county: Area, instant: Date, by: AuditBy): Promise<SignedWeeklyFile> {
  const { info, privateKey } = await signingKey(ctx);
  const report = await weeklyReport(ctx, county, instant);
  const payload: SignedWeeklyPayload = {
    format: SIGNED_WEEKLY_FORMAT,
    formatVersion: SIGNED_WEEKLY_FORMAT_VERSION,
    county: { code: county.code, name: report.areaName },
    week: report.week,
    generatedAt: ctx.now().toISOString(),
    report,
  };
  const bytes = Buffer.from(canonicalJson(payload), 'utf8');
  const signature = signBytes(info.algorithm, bytes, privateKey).toString('base64');
  // What left the server under its signature is on record, by digest: the league can be asked about it.
  await appendAudit(ctx.db, { ...by, action: 'report-exchange.export', subject: county.code, area: county, detail: { weekStart: report.week.start, payloadSha256: sha256(bytes), keyFingerprint: info.fingerprint } }, ctx.now());
  return { payload, signature: { algorithm: info.algorithm, keyFingerprint: info.fingerprint, value: signature } };
}

// --- the league server's side ------------------------------------------------------------------------

/** The county of a registration, checked before the policy judges it: null when it is no county. */
export function countyKeyArea(body: unknown): Area | null {
  const code = (body as { countyCode?: unknown } | null)?.countyCode;
  if (typeof code !== 'string') return null;
  const area: Area = { level: 'county', code };
  return areaProblem(area) === null ? area : null;
}

function readPublicKey(text: unknown): { key: KeyObject; algorithm: ReportKeyAlgorithm } {
  if (typeof text !== 'string' || text.trim() === '') throw problem('publicKey', 'required: the county server’s public key (PEM), as its signing-key page shows it');
  let key: KeyObject;
  try {
    key = createPublicKey(text.trim());
  } catch {
    throw problem('publicKey', 'not a public key in PEM form');
  }
  if (key.type !== 'public') throw problem('publicKey', 'not a public key in PEM form');
  const algorithm = algorithmOf(key);
  if (algorithm === null) throw problem('publicKey', 'expected an Ed25519 or ECDSA P-256 key');
  return { key, algorithm };
}

/** Registers a county server's public key (created: false when it was registered for that county already). */
export async function registerCountyKey(ctx: CountyContext, body: unknown, by: AuditBy & { actor: string }): Promise<{ key: CountyKeyItem; created: boolean }> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const county = countyKeyArea(b);
  if (county === null) throw problem('countyCode', 'expected the 6-digit code of a county of the region');
  const { key, algorithm } = readPublicKey(b.publicKey);
  const fingerprint = keyFingerprint(key);
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('county_report_keys').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
    if (existing) {
      if (existing.county_code !== county.code) throw new ApiError(409, 'key-registered-elsewhere', `publicKey: already registered for another county (${existing.county_code}); one key signs for one county`);
      return { key: keyItem(existing), created: false };
    }
    const now = ctx.now().toISOString();
    const row = { fingerprint, county_code: county.code, algorithm, public_key: key.export({ type: 'spki', format: 'pem' }).toString(), registered_by: by.actor, registered_at: now, audit_seq: 0 };
    await trx.insertInto('county_report_keys').values(row).execute();
    const audit = await appendAudit(trx, { ...by, action: 'report-exchange.register-key', subject: county.code, area: county, detail: { countyCode: county.code, algorithm, fingerprint } }, ctx.now());
    await trx.updateTable('county_report_keys').set({ audit_seq: audit.seq }).where('fingerprint', '=', fingerprint).execute();
    return { key: keyItem(row), created: true };
  });
}

function keyItem(r: { county_code: string; algorithm: string; fingerprint: string; registered_by: string; registered_at: string }): CountyKeyItem {
  return { countyCode: r.county_code, algorithm: r.algorithm as ReportKeyAlgorithm, fingerprint: r.fingerprint, registeredBy: r.registered_by, registeredAt: r.registered_at };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The file's envelope: what must be there before a key is looked up. */
function readEnvelope(file: unknown): { payload: Record<string, unknown>; algorithm: ReportKeyAlgorithm; fingerprint: string; signature: Buffer } {
  if (!isObject(file)) throw problem('file', 'expected the signed weekly report file (a JSON object with payload and signature)');
  if (!isObject(file.payload)) throw problem('payload', 'required: the signed figures');
  const s = file.signature;
  if (!isObject(s)) throw problem('signature', 'required: algorithm, keyFingerprint and value');
  if (s.algorithm !== 'Ed25519' && s.algorithm !== 'ECDSA-P256-SHA256') throw problem('signature.algorithm', 'expected Ed25519 or ECDSA-P256-SHA256');
  if (typeof s.keyFingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(s.keyFingerprint)) throw problem('signature.keyFingerprint', 'expected 64 lowercase hex digits');
  if (typeof s.value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(s.value)) throw problem('signature.value', 'expected base64');
  return { payload: file.payload, algorithm: s.algorithm, fingerprint: s.keyFingerprint, signature: Buffer.from(s.value, 'base64') };
}

/** The signed payload's own consistency: checked after the signature, so a forger learns nothing from it. */
function readPayload(p: Record<string, unknown>, countyCode: string): SignedWeeklyPayload {
  if (p.format !== SIGNED_WEEKLY_FORMAT) throw problem('payload.format', `expected ${SIGNED_WEEKLY_FORMAT}`);
  if (p.formatVersion !== SIGNED_WEEKLY_FORMAT_VERSION) throw problem('payload.formatVersion', `expected ${SIGNED_WEEKLY_FORMAT_VERSION}; this server reads no other`);
  const week = p.week as Partial<ReportingWeek> | undefined;
  if (!isObject(week) || typeof week.start !== 'string' || !ISO.test(week.start) || typeof week.end !== 'string' || !ISO.test(week.end)) throw problem('payload.week', 'expected start and end as ISO instants');
  if (typeof p.generatedAt !== 'string' || !ISO.test(p.generatedAt)) throw problem('payload.generatedAt', 'expected an ISO instant');
  const report = p.report as Partial<WeeklyReport> | undefined;
  if (!isObject(report) || report.kind !== 'weekly' || !isObject(report.total) || !Array.isArray(report.levels)) throw problem('payload.report', 'expected a weekly report');
  if (report.area?.level !== 'county' || report.area.code !== countyCode) throw problem('payload.report.area', `expected county ${countyCode}, the key's county`);
  if (report.week?.start !== week.start) throw problem('payload.report.week', 'not the week the file names');
  return p as unknown as SignedWeeklyPayload;
}

/**
 * Imports a county's signed weekly report into the caller's area. Refused, naming why: a key no admin
 * registered (`unknown-county-key`), a signature that does not verify or a file changed since it was
 * signed (`bad-signature`), a county outside the caller's area (`not-in-area`).
 */
export async function importSignedWeekly(ctx: CountyContext, file: unknown, who: { area: Area; by: AuditBy & { actor: string } }): Promise<WeeklyImportResult> {
  const envelope = readEnvelope(file);
  const keyRow = await ctx.db.selectFrom('county_report_keys').selectAll().where('fingerprint', '=', envelope.fingerprint).executeTakeFirst();
  if (!keyRow) {
    throw new ApiError(422, 'unknown-county-key', `signature.keyFingerprint: no county key ${envelope.fingerprint} is registered on this server; register the county server's public key first (compare its fingerprint with the county by telephone)`);
  }
  const claimed = (envelope.payload.county as { code?: unknown } | undefined)?.code;
  if (claimed !== keyRow.county_code) {
    throw new ApiError(422, 'unknown-county-key', `payload.county.code: the key ${envelope.fingerprint.slice(0, 16)}… is registered for county ${keyRow.county_code}, not for ${String(claimed).slice(0, 12)}`);
  }
  const bytes = Buffer.from(canonicalJson(envelope.payload), 'utf8');
  if (envelope.algorithm !== keyRow.algorithm || !verifyBytes(keyRow.algorithm as ReportKeyAlgorithm, bytes, createPublicKey(keyRow.public_key), envelope.signature)) {
    throw new ApiError(422, 'bad-signature', `signature: does not verify with county ${keyRow.county_code}'s registered key: the file was changed after it was signed, or not signed by that county's server`);
  }
  const county: Area = { level: 'county', code: keyRow.county_code };
  if (!areaContains(who.area, county)) {
    throw new ApiError(403, 'not-in-area', `payload.county.code: county ${county.code} does not lie within your area (${who.area.level} ${who.area.code}); only its own league or the region imports it`);
  }
  const payload = readPayload(envelope.payload, county.code);
  const payloadSha256 = sha256(bytes);

  return ctx.db.transaction().execute(async (trx) => {
    // Two imports of one county and week at once must not both find no version shown.
    if (ctx.kind === 'postgres') await sql`lock table imported_weekly_reports in share row exclusive mode`.execute(trx);
    const same = await trx.selectFrom('imported_weekly_reports').selectAll().where('payload_sha256', '=', payloadSha256).executeTakeFirst();
    if (same) {
      return { id: same.id, countyCode: same.county_code, weekStart: same.week_start, generatedAt: same.generated_at, payloadSha256, duplicate: true, shown: same.superseded_by === null, supersedes: null };
    }
    const shownNow = await trx
      .selectFrom('imported_weekly_reports')
      .select(['id', 'generated_at'])
      .where('county_code', '=', county.code)
      .where('week_start', '=', payload.week.start)
      .where('superseded_by', 'is', null)
      .executeTakeFirst();
    const id = randomUUID();
    // Of two versions the one the county made later is shown; an older file arriving late is kept, not shown.
    const shown = !shownNow || shownNow.generated_at < payload.generatedAt;
    const now = ctx.now().toISOString();
    await trx
      .insertInto('imported_weekly_reports')
      .values({
        id,
        county_code: county.code,
        week_start: payload.week.start,
        generated_at: payload.generatedAt,
        payload_sha256: payloadSha256,
        payload: bytes.toString('utf8'),
        signature: envelope.signature.toString('base64'),
        key_fingerprint: keyRow.fingerprint,
        imported_by: who.by.actor,
        imported_at: now,
        superseded_by: shown ? null : shownNow!.id,
        audit_seq: 0,
      })
      .execute();
    const supersedes = shown && shownNow ? shownNow.id : null;
    if (supersedes !== null) await trx.updateTable('imported_weekly_reports').set({ superseded_by: id }).where('id', '=', supersedes).execute();
    const audit = await appendAudit(
      trx,
      { ...who.by, action: 'report-exchange.import', subject: county.code, area: county, detail: { id, countyCode: county.code, weekStart: payload.week.start, generatedAt: payload.generatedAt, payloadSha256, keyFingerprint: keyRow.fingerprint, shown, supersedes } },
      ctx.now(),
    );
    await trx.updateTable('imported_weekly_reports').set({ audit_seq: audit.seq }).where('id', '=', id).execute();
    return { id, countyCode: county.code, weekStart: payload.week.start, generatedAt: payload.generatedAt, payloadSha256, duplicate: false, shown, supersedes };
  });
}
