// The day-end sync protocol between a tablet and the county server, version 2 (a server also reads
// pushes and pulls of version 1: a tablet offline through a server upgrade can still send what it holds). Both sides validate
// what they receive with these schemas: a request body is `unknown` until parsePushRequest (or
// parsePullRequest) accepts it, and the case facts inside a valid push are still `unknown` (a
// WireMutation) until the server has run parseCaseFacts / parseRegistration on them (a
// ValidatedMutation, in the server). A tablet of another protocol or schema version gets a
// `protocol-mismatch` / `schema-mismatch` code it shows as 请更新应用, never a silent drop.

import { z } from '../domain/zod';
import type { Determination, Problem } from '../domain';
import { once } from '../domain/once';
import { problemsOfZodError } from './case';

/**
 * The shape of the messages. A change that an older peer cannot read is a new number. Version 2:
 * enrolment with the tablet's key pair and a server-assigned device id, a signed clerk token per
 * mutation, per-case refusals, the tablet's audit entries.
 */
export const PROTOCOL_VERSION = 2;

/** Protocol versions this build of the server reads for push and pull. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/** Enrolment needs the device key, which version 1 has no place for. */
export const SUPPORTED_ENROL_PROTOCOL_VERSIONS: readonly number[] = [2];

/**
 * The shape of the case data inside the messages (facts, registration, figures digest). Versioned
 * apart from the envelope: the county can refuse tablets whose case schema it no longer reads.
 */
export const CASE_SCHEMA_VERSION = 1;

/** Case schema versions this build of the server accepts. */
export const SUPPORTED_CASE_SCHEMA_VERSIONS: readonly number[] = [1];

/** A device whose clock differs from the server's by more than this is told so. */
export const CLOCK_SKEW_LIMIT_MS = 5 * 60_000;

/** Most mutations in one push; a tablet with more sends several batches. */
export const MAX_BATCH = 500;

export const SYNC_ERROR_CODES = [
  'protocol-mismatch',
  'schema-mismatch',
  'sequence-gap',
  'device-revoked',
  'unauthenticated',
  'forbidden',
  'invalid-batch',
  'invalid-request',
  'enrolment-code-invalid',
  'enrolment-code-expired',
  'enrolment-code-used',
  'device-already-enrolled',
  'enrolment-proof-invalid',
  'enrolment-clock-wrong',
  'too-many-attempts',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** Codes after which retrying the same request cannot succeed: the tablet must stop and show why. */
export const FATAL_SYNC_CODES: ReadonlySet<string> = new Set<SyncErrorCode>([
  'protocol-mismatch',
  'schema-mismatch',
  'device-revoked',
  'unauthenticated',
  'forbidden',
  'invalid-batch',
  'invalid-request',
  'sequence-gap',
  'enrolment-code-invalid',
  'enrolment-code-expired',
  'enrolment-code-used',
  'device-already-enrolled',
  'enrolment-proof-invalid',
  'enrolment-clock-wrong',
  // Wrong passwords or enrolment codes: the same request is refused until retryAfterSeconds have passed.
  'too-many-attempts',
]);

/** Codes the tablet shows as 请更新应用 (update the app). */
export const UPDATE_REQUIRED_CODES: ReadonlySet<string> = new Set<SyncErrorCode>(['protocol-mismatch', 'schema-mismatch']);

// --- the county list -----------------------------------------------------------------------------

export { countyListVersion } from './county-list';

// --- figures digest ------------------------------------------------------------------------------

const money = once(() => z.string().check(z.regex(/^-?\d+\.\d{2}$/, 'expected yuan with two decimals')));
const unitPayer = once(() => z.enum(['unit', 'superior', 'fiscal']));

/**
 * The key figures of a tablet's determination, sent instead of the whole determination (the server
 * recomputes that). Comparing the server's digest with the tablet's shows a bug or tampering.
 */
export const figuresDigestSchema = z.lazy(() =>
  z.strictObject({
    parametersVersion: z.string().check(z.minLength(1), z.maxLength(100)),
    rulesVersion: z.string().check(z.minLength(1), z.maxLength(100)),
    asOf: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')),
    inScope: z.boolean(),
    militaryMonths: z.nullable(z.number().check(z.int(), z.minimum(0))),
    backPayMonths: z.nullable(z.number().check(z.int(), z.minimum(0))),
    pensionUnitAmount: z.nullable(money()),
    pensionIndividualAmount: z.nullable(money()),
    pensionUnitPayer: z.nullable(unitPayer()),
    medicalUnitAmount: z.nullable(money()),
    medicalIndividualAmount: z.nullable(money()),
    medicalUnitPayer: z.nullable(unitPayer()),
  }),
);
export type FiguresDigest = z.output<typeof figuresDigestSchema>;

/** The digest of a determination: the same function on tablet and server. */
export function figuresOf(d: Determination): FiguresDigest {
  return {
    parametersVersion: d.parametersVersion,
    rulesVersion: d.rulesVersion,
    asOf: d.asOf,
    inScope: d.inScope,
    militaryMonths: d.militaryMonths,
    backPayMonths: d.pension?.backPayMonths ?? null,
    pensionUnitAmount: d.pension?.unitAmount ?? null,
    pensionIndividualAmount: d.pension?.individualAmount ?? null,
    pensionUnitPayer: d.pension?.unitPayer ?? null,
    medicalUnitAmount: d.medical?.unitAmount ?? null,
    medicalIndividualAmount: d.medical?.individualAmount ?? null,
    medicalUnitPayer: d.medical?.unitPayer ?? null,
  };
}

/** Names of the figures that differ between two digests (empty when they agree). */
export function differingFigures(a: FiguresDigest, b: FiguresDigest): (keyof FiguresDigest)[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof FiguresDigest)[]);
  return [...names].filter((k) => a[k] !== b[k]);
}

// --- push ----------------------------------------------------------------------------------------

const uuid = once(() => z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID')));
const isoInstant = once(() =>
  z.string().check(z.refine((s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time')),
);
const deviceId = once(() => z.string().check(z.regex(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/, 'expected an 8-character device id')));
const seq = once(() => z.number().check(z.int('expected a whole number'), z.minimum(1, 'must be 1 or more')));

export const MUTATION_KINDS = ['case.create', 'case.update', 'case.withdraw'] as const;
export const CASE_STATUSES = ['registered', 'withdrawn'] as const;
export type WireCaseStatus = (typeof CASE_STATUSES)[number];

/** One outbox mutation on the wire: the whole case state after the change, facts still untrusted. */
export const wireMutationSchema = z.lazy(() => {
  const mutation = z.strictObject({
    seq: seq(),
    mutationId: uuid(),
    kind: z.enum(MUTATION_KINDS),
    caseId: uuid(),
    revision: z.number().check(z.int(), z.minimum(1)),
    baseRevision: z.nullable(z.number().check(z.int(), z.minimum(1))),
    at: isoInstant(),
    clerk: z.string().check(z.trim(), z.minLength(1, 'required'), z.maxLength(50, 'at most 50 characters')),
    /**
     * The clerk's county user name, from his online sign-in on this tablet; absent from tablets of the
     * previous version and for a name picked without signing in. The server checks it against its
     * accounts and flags, never refuses, a case whose account it cannot verify.
     */
    account: z.nullish(z.string().check(z.minLength(1, 'empty: leave it out instead'), z.maxLength(64, 'at most 64 characters'))),
    /**
     * Version 2: the token the server signed at the clerk's online sign-in on this tablet (proves
     * `account`). Absent when the clerk has none; the server flags, never refuses, such a change.
     */
    clerkToken: z.optional(z.string().check(z.minLength(1), z.maxLength(1000, 'at most 1000 characters'))),
    caseNumber: z.string().check(z.regex(/^\d{6}-[0-9A-Z]{8}-\d{5,}$/, 'expected COUNTY-DEVICE-NUMBER, e.g. 150102-K7Q2MX3B-00012')),
    status: z.enum(CASE_STATUSES),
    /** Checked by the server with parseCaseFacts: untrusted until then. */
    facts: z.unknown(),
    /** Checked by the server with parseRegistration: untrusted until then. */
    registration: z.unknown(),
    figures: figuresDigestSchema,
  });
  return mutation.check(
    z.superRefine((m: z.output<typeof mutation>, ctx) => {
      if (m.kind === 'case.create' && m.baseRevision !== null) ctx.addIssue({ code: 'custom', path: ['baseRevision'], message: 'must be null for case.create' });
      if (m.kind !== 'case.create' && m.baseRevision === null) ctx.addIssue({ code: 'custom', path: ['baseRevision'], message: `required for ${m.kind}` });
      if (m.baseRevision !== null && m.revision <= m.baseRevision) ctx.addIssue({ code: 'custom', path: ['revision'], message: 'must be greater than baseRevision' });
      if (m.kind === 'case.withdraw' && m.status !== 'withdrawn') ctx.addIssue({ code: 'custom', path: ['status'], message: 'must be "withdrawn" for case.withdraw' });
    }),
  );
});
export type WireMutation = z.output<typeof wireMutationSchema>;

const protocol = once(() => z.union([z.literal(1), z.literal(2)]));

const envelope = once(() => ({
  protocol: protocol(),
  appVersion: z.string().check(z.minLength(1), z.maxLength(50)),
  schemaVersion: z.number().check(z.int()),
  deviceId: deviceId(),
}));

export const pushRequestSchema = z.lazy(() => {
  const request = z.strictObject({
    ...envelope(),
    clientTime: isoInstant(),
    /** Empty only when the push carries audit entries: a clerk who changed no case still leaves a trail. */
    batch: z.array(wireMutationSchema).check(z.maxLength(MAX_BATCH, `at most ${MAX_BATCH} mutations`)),
    /** Version 2: the tablet's own audit entries not yet acknowledged, oldest first. */
    auditEntries: z.optional(z.array(tabletAuditEntrySchema).check(z.maxLength(MAX_AUDIT_ENTRIES, `at most ${MAX_AUDIT_ENTRIES} entries`))),
  });
  return request.check(
    z.superRefine((r: z.output<typeof request>, ctx) => {
      if (r.batch.length === 0 && (r.auditEntries ?? []).length === 0) ctx.addIssue({ code: 'custom', path: ['batch'], message: 'a batch has at least one mutation' });
      r.batch.forEach((m, i) => {
        if (i > 0 && m.seq !== r.batch[i - 1]!.seq + 1) {
          ctx.addIssue({ code: 'custom', path: ['batch', i, 'seq'], message: `expected ${r.batch[i - 1]!.seq + 1}: a batch is consecutive sequence numbers in order` });
        }
      });
    }),
  );
});
export type PushRequest = z.output<typeof pushRequestSchema>;

/** Most audit entries in one push; a tablet with more sends them with the next pushes. */
export const MAX_AUDIT_ENTRIES = 500;

/** One entry of the tablet's audit trail (storage/audit.ts), as the server appends it to its chain. */
export const tabletAuditEntrySchema = z.lazy(() =>
  z.strictObject({
    id: uuid(),
    at: isoInstant(),
    actor: z.string().check(z.minLength(1), z.maxLength(50)),
    action: z.string().check(z.regex(/^[a-z][a-z.-]{0,63}$/, 'expected an action name such as case.create')),
    caseId: z.nullable(uuid()),
    caseNumber: z.nullable(z.string().check(z.maxLength(40))),
    revision: z.nullable(z.number().check(z.int(), z.minimum(1))),
    changes: z.array(z.strictObject({ path: z.string().check(z.maxLength(200)), before: z.unknown(), after: z.unknown() })).check(z.maxLength(500)),
    reason: z.nullable(z.string().check(z.maxLength(500))),
  }),
);
export type TabletAuditEntry = z.output<typeof tabletAuditEntrySchema>;

/**
 * Why the server refused one mutation (version 2), the rest of the batch going on: its case number
 * names another device than the pushing tablet, or another county than the case's placement, or
 * belongs to another case; or the county has verified the case (核查通过 and after), so that only a
 * correction it asks for (退回补正) may change it.
 */
export const CASE_REFUSALS = ['case-number-other-device', 'case-number-other-county', 'case-number-taken', 'case-locked-after-verification'] as const;
export type CaseRefusal = (typeof CASE_REFUSALS)[number];
/** A refusal as a tablet keeps it: a code it knows, or a newer server's it shows as such. */
export type TabletCaseRefusal = string;

export const MUTATION_OUTCOMES = ['applied', 'duplicate', 'conflict', 'refused'] as const;
export type MutationOutcome = (typeof MUTATION_OUTCOMES)[number];

export const mutationResultSchema = z.lazy(() =>
  z.object({
    seq: seq(),
    mutationId: uuid(),
    caseId: uuid(),
    /**
     * applied: stored as the case's current version; duplicate: received before, not applied again;
     * conflict: kept beside the county's version; refused: not stored (see refusal), the tablet keeps
     * the case and shows why.
     */
    outcome: z.enum(MUTATION_OUTCOMES),
    /** The case's revision on the server after this mutation; null when the server holds none. */
    serverRevision: z.nullable(z.number().check(z.int(), z.minimum(1))),
    /**
     * For a refused mutation (also when a repeated push reports it again as duplicate): one of
     * CASE_REFUSALS, read as any short code, so that a tablet older than a new reason still reads the
     * answer and keeps the case (TabletCaseRefusal).
     */
    refusal: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,79}$/, 'expected a refusal code'))),
    conflict: z.boolean(),
    possibleDuplicate: z.boolean(),
    figuresDiffer: z.boolean(),
  }),
);
export type MutationResult = z.output<typeof mutationResultSchema>;

export const pushResponseSchema = z.lazy(() =>
  z.object({
    protocol: z.literal(PROTOCOL_VERSION),
    /** Every mutation of this device up to and including this seq is on the server: remove them. */
    ackedThroughSeq: z.number().check(z.int(), z.minimum(0)),
    serverTime: isoInstant(),
    /** Present when the device clock is off by more than CLOCK_SKEW_LIMIT_MS: device minus server. */
    clockSkewMs: z.optional(z.number().check(z.int())),
    results: z.array(mutationResultSchema),
    /** The ids of the request's audit entries the server has in its chain (now or before). */
    auditAcknowledged: z.optional(z.array(uuid())),
  }),
);
export type PushResponse = z.output<typeof pushResponseSchema>;

// --- pull ----------------------------------------------------------------------------------------

export const pullRequestSchema = z.lazy(() =>
  z.strictObject({
    ...envelope(),
    /** Opaque; null for the first pull. */
    cursor: z.nullable(z.string().check(z.maxLength(100))),
    clientTime: z.optional(isoInstant()),
  }),
);
export type PullRequest = z.output<typeof pullRequestSchema>;

export const clerkPublicSchema = z.lazy(() =>
  z.object({
    username: z.string(),
    displayName: z.string(),
    townshipCode: z.nullable(z.string()),
    active: z.boolean(),
  }),
);
export type ClerkPublic = z.output<typeof clerkPublicSchema>;

export const COUNTY_STATUSES = ['received', 'correction-requested'] as const;
export type CountyStatus = (typeof COUNTY_STATUSES)[number];

/** A change made at the county to one of this township's cases. */
export const caseUpdateSchema = z.lazy(() =>
  z.object({
    caseId: uuid(),
    caseNumber: z.string(),
    /** The case's revision on the server: the base of the tablet's next change. */
    serverRevision: z.number().check(z.int(), z.minimum(1)),
    status: z.enum(CASE_STATUSES),
    countyStatus: z.enum(COUNTY_STATUSES),
    /** What the county asks the window to correct (退回补正), or null. */
    correctionRequest: z.nullable(z.string()),
    conflict: z.boolean(),
    /**
     * The case is linked to another of the same ID number, for the county to decide. Also sent alone
     * when only this changed (the revision stays): the county moved a link. Absent from older servers.
     */
    possibleDuplicate: z.optional(z.boolean()),
    /**
     * Where the case is in its life at the county (src/shared/case-lifecycle.ts): 核查通过, 送经办机构 …
     * Also sent alone when only this changed (the revision stays): a signed step. A string rather than
     * the list this build knows, so that a status a newer server adds does not refuse the whole page.
     * Absent from older servers; an older tablet drops it (responses are read leniently).
     */
    lifecycleStatus: z.optional(z.string().check(z.maxLength(40))),
    /** The case as the county now holds it: what the tablet adopts when it has no change of its own. */
    facts: z.unknown(),
    registration: z.unknown(),
    at: isoInstant(),
  }),
);
export type CaseUpdate = z.output<typeof caseUpdateSchema>;

export const pullResponseSchema = z.lazy(() =>
  z.object({
    protocol: z.literal(PROTOCOL_VERSION),
    cursor: z.string(),
    /** More changes wait: pull again with the new cursor. */
    more: z.boolean(),
    serverTime: isoInstant(),
    clockSkewMs: z.optional(z.number().check(z.int())),
    township: z.object({ code: z.string(), name: z.string() }),
    countyListVersion: z.string(),
    /** Parameter set documents, validated by the tablet with parseParameterSet before use. */
    parameterSets: z.array(z.object({ version: z.string(), publishedAt: isoInstant(), document: z.unknown() })),
    clerks: z.array(clerkPublicSchema),
    caseUpdates: z.array(caseUpdateSchema),
  }),
);
export type PullResponse = z.output<typeof pullResponseSchema>;

// --- enrolment -----------------------------------------------------------------------------------

const base64url = (length: number) => z.string().check(z.regex(new RegExp(`^[A-Za-z0-9_-]{${length}}$`), `expected ${length} base64url characters`));

/** The public half of the tablet's ECDSA P-256 key pair, as WebCrypto exports it (JWK, only what identifies the key). */
export const devicePublicKeySchema = z.lazy(() => z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: base64url(43), y: base64url(43) }));
export type DevicePublicKey = z.output<typeof devicePublicKeySchema>;

/** What the tablet signs to prove it holds the private key: the code as sent, the key, its clock. */
export function enrolmentProofText(code: string, key: DevicePublicKey, clientTime: string): string {
  return ['jiexu-enrol-2', code, key.x, key.y, clientTime].join('\n');
}

export const enrolRequestSchema = z.lazy(() =>
  z.strictObject({
    protocol: z.literal(2),
    appVersion: z.string().check(z.minLength(1), z.maxLength(50)),
    code: z.string().check(z.trim(), z.minLength(1, 'required'), z.maxLength(40)),
    /** The id the tablet has numbered cases with so far (the server assigns a new one). */
    localDeviceId: deviceId(),
    publicKey: devicePublicKeySchema,
    clientTime: isoInstant(),
    /** ECDSA P-256 with SHA-256 over enrolmentProofText, r‖s (as WebCrypto signs), base64url. */
    signature: base64url(86),
  }),
);
export type EnrolRequest = z.output<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.lazy(() =>
  z.object({
    protocol: z.literal(PROTOCOL_VERSION),
    /** Assigned by the server at each enrolment; never one that was used before. */
    deviceId: deviceId(),
    /**
     * The device's bearer credential, stored only as a hash on the server. Asked again with the same
     * code and key (the first answer was lost), the server issues a new one and the old one stops working.
     */
    credential: z.string().check(z.minLength(20)),
    township: z.object({ code: z.string(), name: z.string() }),
    serverTime: isoInstant(),
  }),
);
export type EnrolResponse = z.output<typeof enrolResponseSchema>;

// --- errors --------------------------------------------------------------------------------------

export const syncErrorBodySchema = z.lazy(() =>
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      /** For `sequence-gap`: the seq the server expects next. */
      expectedSeq: z.optional(z.number().check(z.int())),
      /** For `invalid-batch` / `invalid-request`: one per field. */
      problems: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
      /** For `protocol-mismatch` / `schema-mismatch`: what the server speaks. */
      supported: z.optional(z.array(z.number().check(z.int()))),
      /** For `too-many-attempts` (429): when the same request may be tried again (also the Retry-After header). */
      retryAfterSeconds: z.optional(z.number().check(z.int(), z.minimum(0))),
    }),
  }),
);
export type SyncErrorBody = z.output<typeof syncErrorBodySchema>;

// --- parsing untrusted input ---------------------------------------------------------------------

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: 'protocol-mismatch' | 'schema-mismatch' | 'invalid-request'; problems: Problem[] };

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The envelope's versions are checked before anything else, so a tablet of another version gets a
 * version code (请更新应用) rather than a list of fields it sent in a shape this side does not know.
 */
export function versionProblem(input: unknown, options: { checkSchema: boolean; protocols?: readonly number[] }): Parsed<never> | null {
  const o = obj(input);
  if (!o) return null;
  const protocols = options.protocols ?? [PROTOCOL_VERSION];
  if (o.protocol !== undefined && !protocols.includes(o.protocol as number)) {
    return { ok: false, code: 'protocol-mismatch', problems: [{ path: 'protocol', message: `this side speaks protocol ${protocols.join(', ')}, not ${JSON.stringify(o.protocol)}` }] };
  }
  if (options.checkSchema && typeof o.schemaVersion === 'number' && !SUPPORTED_CASE_SCHEMA_VERSIONS.includes(o.schemaVersion)) {
    return {
      ok: false,
      code: 'schema-mismatch',
      problems: [{ path: 'schemaVersion', message: `this server reads case schema ${SUPPORTED_CASE_SCHEMA_VERSIONS.join(', ')}, not ${o.schemaVersion}` }],
    };
  }
  return null;
}

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, checkSchema: boolean, protocols?: readonly number[]): Parsed<T> {
  const mismatch = versionProblem(input, { checkSchema, ...(protocols ? { protocols } : {}) });
  if (mismatch) return mismatch;
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, code: 'invalid-request', problems: problemsOfZodError(r.error) };
}

export const parsePushRequest = (input: unknown) => parseWith(pushRequestSchema, input, true, SUPPORTED_PROTOCOL_VERSIONS);
export const parsePullRequest = (input: unknown) => parseWith(pullRequestSchema, input, true, SUPPORTED_PROTOCOL_VERSIONS);
export const parseEnrolRequest = (input: unknown) => parseWith(enrolRequestSchema, input, false, SUPPORTED_ENROL_PROTOCOL_VERSIONS);
export const parsePushResponse = (input: unknown) => parseWith(pushResponseSchema, input, false);
export const parsePullResponse = (input: unknown) => parseWith(pullResponseSchema, input, false);
export const parseEnrolResponse = (input: unknown) => parseWith(enrolResponseSchema, input, false);

/** An error body from the server, or null when the input is not one. */
export function parseSyncError(input: unknown): SyncErrorBody['error'] | null {
  const r = syncErrorBodySchema.safeParse(input);
  return r.success ? r.data.error : null;
}
