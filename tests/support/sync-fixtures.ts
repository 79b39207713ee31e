// Factories for sync tests: valid cases made to order, a simulated tablet with an in-memory outbox
// (the same mutations cases-repository.ts writes), and a county with a township, an admin and
// enrolled devices.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PARAMETERS, evaluate, type CaseFacts, type ParameterSet } from '../../src/domain';
import type { Registration } from '../../src/shared/registration';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, enrolmentProofText, type DevicePublicKey, type WireMutation } from '../../src/shared/sync-protocol';
import { createAccount, createEnrolmentCode, createTownship } from '../../src/server/county/administration';
import { randomDeviceId } from '../../src/storage/ids';
import type { CaseRecord, MutationKind, OutboxMutation } from '../../src/storage/types';
import { toWireMutation, type OutboxSource } from '../../src/sync/outbox';
import { caseFacts, idNumber, registration } from '../storage/support';

export const TOWNSHIP = { code: '150102001', name: '海拉尔路街道' };
export const OTHER_TOWNSHIP = { code: '150102002', name: '锡林路街道' };
export const ADMIN = { username: 'county-admin', password: 'correct horse battery' };

/** A distinct valid ID number for each i (birth date and sequence vary), male, born 1965–1974. */
export function idNumberFor(i: number): string {
  const year = 1965 + (i % 10);
  const month = 1 + (Math.floor(i / 10) % 12);
  const day = 1 + (Math.floor(i / 120) % 28);
  const seq = 1 + 2 * (Math.floor(i / 3360) % 500);
  return idNumber(`${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`, String(seq).padStart(3, '0'));
}

export function caseInput(i: number, variant = 0): { facts: CaseFacts; registration: Registration } {
  return {
    facts: caseFacts({
      person: { idNumber: idNumberFor(i), femaleCategory: null },
      pension: { insuredAtEnlistment: false, firstInsured: null, periods: [{ from: '1993-01', to: `${2000 + (variant % 10)}-06` }], agencyGapMonths: null },
    }),
    registration: registration({ name: `退役士兵${i}`, address: `呼和浩特市新城区${variant}号` }),
  };
}

/** A simulated tablet: cases, revisions and an outbox exactly as the device storage keeps them. */
export class TabletSim implements OutboxSource {
  /** Its own until enrolment, then the one the server assigned (case numbers made from then on carry it). */
  deviceId: string;
  /** Clerk tokens by county user name, as the tablet keeps them after online sign-ins. */
  readonly clerkTokens = new Map<string, string>();
  private keyPair: Promise<CryptoKeyPair> | null = null;
  readonly cases = new Map<string, CaseRecord>();
  outbox: OutboxMutation[] = [];
  private seq = 0;
  private caseNumbers = 0;
  /** Every mutation ever made, for checking what the server holds. */
  readonly made: OutboxMutation[] = [];

  constructor(
    deviceId: string = randomDeviceId(),
    private params: ParameterSet = DEFAULT_PARAMETERS,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.deviceId = deviceId;
  }

  private commit(kind: MutationKind, next: CaseRecord, baseRevision: number | null, clerk: string): OutboxMutation {
    const m: OutboxMutation = {
      seq: ++this.seq,
      mutationId: randomUUID(),
      deviceId: this.deviceId,
      kind,
      caseId: next.id,
      revision: next.revision,
      baseRevision,
      at: this.clock().toISOString(),
      clerk,
      payload: next,
    };
    this.cases.set(next.id, next);
    this.outbox.push(m);
    this.made.push(m);
    return m;
  }

  /** `account`: the clerk's county user name, as a tablet keeps it after his online sign-in. */
  create(i: number, clerk = '王芳', account?: string): CaseRecord {
    const { facts, registration: reg } = caseInput(i);
    const at = this.clock().toISOString();
    const record: CaseRecord = {
      id: randomUUID(),
      caseNumber: `150102-${this.deviceId}-${String(++this.caseNumbers).padStart(5, '0')}`,
      facts,
      registration: reg,
      status: 'registered',
      determination: evaluate(facts, this.params),
      parameterSetVersion: this.params.version,
      revision: 1,
      createdAt: at,
      createdBy: clerk,
      updatedAt: at,
      updatedBy: clerk,
      ...(account ? { createdByAccount: account, updatedByAccount: account } : {}),
      deviceId: this.deviceId,
      syncState: 'pending',
    };
    this.commit('case.create', record, null, clerk);
    return record;
  }

  update(caseId: string, variant: number, clerk = '王芳', account?: string): CaseRecord {
    const { updatedByAccount: _previous, ...prev } = this.cases.get(caseId)!;
    const facts: CaseFacts = { ...prev.facts, pension: { ...prev.facts.pension, periods: [{ from: '1993-01', to: `${2000 + (variant % 10)}-06` }] } };
    const next: CaseRecord = {
      ...prev,
      facts,
      registration: { ...prev.registration, address: `呼和浩特市新城区${variant}号` },
      determination: evaluate(facts, this.params),
      revision: prev.revision + 1,
      updatedAt: this.clock().toISOString(),
      updatedBy: clerk,
      ...(account ? { updatedByAccount: account } : {}),
    };
    this.commit('case.update', next, prev.revision, clerk);
    return next;
  }

  /** A case.update that corrects the veteran's ID number to idNumberFor(i). */
  reidentify(caseId: string, i: number, clerk = '王芳'): CaseRecord {
    const { updatedByAccount: _previous, ...prev } = this.cases.get(caseId)!;
    const facts: CaseFacts = { ...prev.facts, person: { ...prev.facts.person, idNumber: idNumberFor(i) } };
    const next: CaseRecord = { ...prev, facts, determination: evaluate(facts, this.params), revision: prev.revision + 1, updatedAt: this.clock().toISOString(), updatedBy: clerk };
    this.commit('case.update', next, prev.revision, clerk);
    return next;
  }

  withdraw(caseId: string, clerk = '王芳'): CaseRecord {
    const prev = this.cases.get(caseId)!;
    const next: CaseRecord = { ...prev, status: 'withdrawn', revision: prev.revision + 1, updatedAt: this.clock().toISOString(), updatedBy: clerk };
    this.commit('case.withdraw', next, prev.revision, clerk);
    return next;
  }

  /** A parameter set received by pull: the tablet's determinations use it from now on, as the device storage does. */
  useParameterSet(set: ParameterSet): void {
    this.params = set;
  }

  /** Adopts a county revision learnt by pull, as the reconcile rules decide. */
  adoptServerRevision(caseId: string, revision: number): void {
    const prev = this.cases.get(caseId)!;
    this.cases.set(caseId, { ...prev, revision });
  }

  /** The tablet's ECDSA P-256 key pair (non-extractable private key, as on a tablet). */
  keys(): Promise<CryptoKeyPair> {
    this.keyPair ??= crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    return this.keyPair;
  }

  /** A protocol 2 enrolment request for `code`, signed with this tablet's key at `at`. */
  async enrolRequest(code: string, at: Date = this.clock()): Promise<Record<string, unknown>> {
    const pair = await this.keys();
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const publicKey: DevicePublicKey = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
    const clientTime = at.toISOString();
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(enrolmentProofText(code, publicKey, clientTime)));
    return { protocol: PROTOCOL_VERSION, appVersion: 'test', code, localDeviceId: this.deviceId, publicKey, clientTime, signature: Buffer.from(signature).toString('base64url') };
  }

  // OutboxSource
  async pending(limit: number) {
    return this.outbox.slice(0, limit);
  }
  async acknowledge(throughSeq: number) {
    this.outbox = this.outbox.filter((m) => m.seq > throughSeq);
  }
  async count() {
    return this.outbox.length;
  }

  wire(mutations: OutboxMutation[] = this.outbox): WireMutation[] {
    return mutations.map((m) => toWireMutation(m, this.clerkTokens));
  }

  pushBody(mutations: OutboxMutation[] = this.outbox, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      protocol: PROTOCOL_VERSION,
      appVersion: 'test',
      schemaVersion: CASE_SCHEMA_VERSION,
      deviceId: this.deviceId,
      clientTime: this.clock().toISOString(),
      batch: this.wire(mutations),
      ...over,
    };
  }
}

export interface County {
  adminCookie: string;
  /** Enrols a tablet in a township through the API (it takes the device id the server assigns); returns its credential. */
  enrol(tablet: TabletSim, townshipCode?: string): Promise<string>;
  /** A clerk's online sign-in on an enrolled tablet: the tablet keeps the token the county signs. */
  signIn(tablet: TabletSim, credential: string, username: string, password: string): Promise<void>;
}

/** A township (two), an admin signed in, and a way to enrol tablets — on an app built by buildServer. */
export async function setUpCounty(app: FastifyInstance): Promise<County> {
  await createTownship(app.county, TOWNSHIP);
  await createTownship(app.county, OTHER_TOWNSHIP);
  await createAccount(app.county, { username: ADMIN.username, password: ADMIN.password, role: 'admin', area: { level: 'county', code: '150102' } });
  const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN });
  if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.body}`);
  const adminCookie = String(login.headers['set-cookie']).split(';')[0]!;
  return {
    adminCookie,
    async enrol(tablet, townshipCode = TOWNSHIP.code) {
      const { code } = await createEnrolmentCode(app.county, { townshipCode }, ADMIN.username);
      const res = await app.inject({ method: 'POST', url: '/api/enrol', payload: await tablet.enrolRequest(code, app.county.now()) });
      if (res.statusCode !== 200) throw new Error(`enrolment failed: ${res.body}`);
      const enrolled = res.json<{ credential: string; deviceId: string }>();
      tablet.deviceId = enrolled.deviceId;
      return enrolled.credential;
    },
    async signIn(tablet, credential, username, password) {
      const res = await app.inject({ method: 'POST', url: '/api/sync/clerk-sign-in', headers: { authorization: `Bearer ${credential}` }, payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`clerk sign-in failed: ${res.body}`);
      tablet.clerkTokens.set(username, res.json<{ clerkToken: { token: string } }>().clerkToken.token);
    },
  };
}
