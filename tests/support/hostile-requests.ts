// Generated hostile requests for every route of the county server: malformed, oversized, wrongly
// typed, wrongly encoded and hostile bodies, paths, queries and headers, as a stranger, an enrolled
// tablet and a signed-in admin send them. Used by the hostile-input test and by `npm run bench`.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/server/db/schema';

/** Every route, with `:param` where the generator puts a hostile value. */
export const ROUTES: readonly (readonly [string, string])[] = [
  ['GET', '/api/health'],
  ['POST', '/api/enrol'],
  ['POST', '/api/sync/push'],
  ['POST', '/api/sync/pull'],
  ['GET', '/api/sync/pull'],
  ['POST', '/api/sync/clerk-sign-in'],
  ['POST', '/api/admin/login'],
  ['POST', '/api/admin/logout'],
  ['GET', '/api/admin/session'],
  ['POST', '/api/admin/password'],
  ['GET', '/api/admin/townships'],
  ['POST', '/api/admin/townships'],
  ['POST', '/api/admin/enrolment-codes'],
  ['GET', '/api/admin/devices'],
  ['POST', '/api/admin/devices/:param/revoke'],
  ['GET', '/api/admin/accounts'],
  ['POST', '/api/admin/accounts'],
  ['GET', '/api/admin/sign-in-locks'],
  ['POST', '/api/admin/accounts/:param/unlock'],
  ['POST', '/api/admin/accounts/:param/disable'],
  ['POST', '/api/admin/accounts/:param/enable'],
  ['POST', '/api/admin/accounts/:param/reset-password'],
  ['POST', '/api/admin/accounts/:param/revoke-sessions'],
  ['POST', '/api/admin/accounts/:param/move'],
  ['POST', '/api/admin/addresses/:param/unlock'],
  ['GET', '/api/admin/cases'],
  ['GET', '/api/admin/cases/:param'],
  ['POST', '/api/admin/cases/:param/resolve'],
  ['POST', '/api/admin/cases/:param/correction-request'],
  ['POST', '/api/admin/cases/:param/steps'],
  ['POST', '/api/admin/cases/batch-steps'],
  ['POST', '/api/admin/parameter-sets'],
  ['GET', '/api/admin/parameter-sets'],
  ['GET', '/api/admin/parameter-sets/:param'],
  ['POST', '/api/admin/parameter-sets/preview'],
  ['GET', '/api/admin/audit/head'],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/reports/weekly'],
  ['GET', '/api/admin/reports/august-statistics'],
  ['GET', '/api/admin/reports/completion'],
  ['POST', '/api/admin/reports/weekly/submit'],
  ['GET', '/api/admin/reports/submissions'],
  ['GET', '/api/admin/reports/submissions/:param'],
  ['GET', '/api/admin/cases/export.xlsx'],
  ['GET', '/api/admin/reports/weekly.xlsx'],
  ['GET', '/api/admin/reports/august-statistics.xlsx'],
  ['GET', '/api/admin/reports/completion.xlsx'],
  ['GET', '/api/admin/report-exchange/signing-key'],
  ['GET', '/api/admin/report-exchange/weekly'],
  ['POST', '/api/admin/report-exchange/county-keys'],
  ['POST', '/api/admin/report-exchange/imports'],
  ['POST', '/api/admin/cases/:param/agency-findings'],
  ['POST', '/api/admin/cases/:param/payer-confirmations'],
  ['POST', '/api/admin/agency-results/preview'],
  ['POST', '/api/admin/agency-results/commit'],
  ['GET', '/api/no-such-route'],
  ['GET', '/'],
];

/** Rows that hold the county's data: none may change. (Failed sign-ins are counted, by design.) */
export const DOMAIN_TABLES = [
  'townships',
  'accounts',
  'admin_sessions',
  'enrolment_codes',
  'devices',
  'device_revocations',
  'cases',
  'case_versions',
  'case_steps',
  'applied_mutations',
  'server_determinations',
  'case_links',
  'parameter_sets',
  'change_log',
  'agency_findings',
  'payer_confirmations',
] as const satisfies readonly (keyof Database)[];

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '../..', '%', '%E0%A4%A', '%00', '\u0000', '\ud800', '💥', '中文', 'null', 'undefined', '__proto__', 'constructor', 'NaN', "' OR 1=1 --", '<script>', 'a'.repeat(5000)),
);

const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, Number.MAX_SAFE_INTEGER));

/** JSON nested deeper than any parser should follow without care. */
const deepJson = fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: 'none' }),
  fc.jsonValue({ maxDepth: 6 }).map((value): Body => ({ kind: 'json', value })),
  fc.dictionary(hostileString, fc.oneof(hostileString, hostileNumber, fc.jsonValue({ maxDepth: 3 }))).map((value): Body => ({ kind: 'json', value })),
  deepJson.map((text): Body => ({ kind: 'text', text })),
  fc.constantFrom('{"not json', '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__":{"admin":true}}', '[1,2,', 'true', '1e999999', '"\\ud800"').map((text): Body => ({ kind: 'text', text })),
  fc.uint8Array({ maxLength: 2000 }).map((bytes): Body => ({ kind: 'bytes', bytes })),
  fc.integer({ min: 100_000, max: 3_000_000 }).map((n): Body => ({ kind: 'text', text: `{"x":"${'x'.repeat(n)}"}` })),
);

/** A header value inject can send (latin-1, no line breaks): the rest goes over a raw socket below. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom('', 'gzip', 'gzip, gzip', 'deflate', 'br', 'identity', 'x-unknown', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'),
);

export interface HostileRequest {
  method: string;
  path: string;
  query: string;
  auth: 'none' | 'tablet' | 'admin' | 'garbage';
  contentType: string | undefined;
  contentEncoding: string | undefined;
  cookie: string | undefined;
  authorization: string | undefined;
  body: Body;
}

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.oneof(fc.constant(null), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
  param: hostileString,
  encodeParam: fc.boolean(),
  query: fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }).map((s) => `?${encodeURIComponent(s)}`), fc.constantFrom('?cursor=%', '?limit=-1', '?limit=1e9&offset=NaN', '?a[b]=c', '?__proto__=1')),
  auth: fc.constantFrom('none', 'tablet', 'admin', 'garbage'),
  // Mostly what the routes accept, so that the hostile bodies reach the checks behind the parser.
  contentType: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 6 }, { arbitrary: fc.option(headerValue, { nil: undefined }), weight: 1 }),
  contentEncoding: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constant('gzip'), weight: 1 }, { arbitrary: headerValue, weight: 1 }),
  cookie: fc.option(headerValue.map((v) => `jiexu_session=${v}`), { nil: undefined }),
  authorization: fc.option(headerValue.map((v) => `Bearer ${v}`), { nil: undefined }),
  body,
}).map(({ route, method, param, encodeParam, ...rest }) => {
  let path = route[1];
  if (path.includes(':param')) {
    // A path segment as a client would encode it, or raw (broken percent-encoding included).
    const raw = [...param].filter((c) => c.charCodeAt(0) > 0x20 && !'/?#'.includes(c)).join('');
    path = path.replace(':param', (encodeParam && encodedOrNull(param)) || raw || 'x');
  }
  return { ...rest, method: method ?? route[0], path };
});

/** Percent-encoded, or null for a lone surrogate, which has no UTF-8 form to encode. */
function encodedOrNull(segment: string): string | null {
  try {
    return encodeURIComponent(segment);
  } catch {
    return null;
  }
}

function payloadOf(r: HostileRequest): string | Buffer | undefined {
  let bytes: Buffer | undefined;
  if (r.body.kind === 'json') bytes = Buffer.from(JSON.stringify(r.body.value) ?? 'null');
  else if (r.body.kind === 'text') bytes = Buffer.from(r.body.text);
  else if (r.body.kind === 'bytes') bytes = Buffer.from(r.body.bytes);
  if (bytes && r.contentEncoding === 'gzip') bytes = gzipSync(bytes);
  return bytes;
}

/** Who is asking, with what: the credentials the generator's `auth` picks from. */
export interface Callers {
  tabletCredential: string;
  adminCookie: string;
}

/** Sends one generated request; null when it is a real admin action rather than hostile input. */
export async function sendHostile(app: FastifyInstance, r: HostileRequest, callers: Callers): Promise<{ res: LightMyRequestResponse; describe: () => string } | null> {
  const headers: Record<string, string> = {};
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.contentEncoding !== undefined) headers['content-encoding'] = r.contentEncoding;
  if (r.auth === 'tablet') headers.authorization = `Bearer ${callers.tabletCredential}`;
  else if (r.auth === 'admin') headers.cookie = callers.adminCookie;
  else if (r.auth === 'garbage') {
    if (r.cookie !== undefined) headers.cookie = r.cookie;
    if (r.authorization !== undefined) headers.authorization = r.authorization;
  }
  // A signed-in admin's real actions are not hostile input: his session must stay open.
  if (r.auth === 'admin' && r.path === '/api/admin/logout') return null;
  const payload = r.method === 'GET' || r.method === 'HEAD' ? undefined : payloadOf(r);
  const res = await app.inject({ method: r.method as 'GET', url: `${r.path}${r.query}`, headers, payload });
  const describe = () => {
    const sent = payload === undefined ? 'no body' : `${Buffer.byteLength(payload)} bytes ${JSON.stringify(String(payload).slice(0, 120))}`;
    return `${r.method} ${r.path}${r.query} (${r.auth}) headers ${JSON.stringify(headers)}, ${sent} → ${res.statusCode}: ${res.body.slice(0, 300)}`;
  };
  return { res, describe };
}

export async function domainRowCounts(app: FastifyInstance): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of DOMAIN_TABLES) {
    const row = await app.appDb.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
