// The signed case lifecycle at the county: which role may take which step from which status (the
// policy table, cell by cell), each step signed in the audit chain, 核查通过's sub-checks, 不符合's
// reason for the veteran, a tablet's correction after 退回补正 voiding the signatures since, and a
// tablet's edit after 核查通过 refused for that case alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { allowedSteps, grantOf, STEP_ACTIONS } from '../../src/server/auth/policy-table';
import { createAccount } from '../../src/server/county/administration';
import { CASE_STEPS, LIFECYCLE_STATUSES, type CaseStep, type CaseStepView, type LifecycleStatus, type StepTaken } from '../../src/shared/case-lifecycle';
import { REGION, ROLES, type Area, type Role } from '../../src/shared/roles';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullResponse, type PushResponse } from '../../src/shared/sync-protocol';
import { caseRefusalZh } from '../../src/sync/messages';
import { TOWNSHIP, type TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type Detail = { id: string; revision: number; lifecycleStatus: LifecycleStatus; steps: CaseStepView[]; allowedSteps: CaseStep[]; countyStatus: string; versions: unknown[] };
type ErrorBody = { error: { code: string; message: string; problems?: { path: string; message: string }[] } };

/** The lifecycle as the product describes it, written out here so that a change of the table shows. */
const FROM: Record<CaseStep, LifecycleStatus[]> = {
  verified: ['synced'],
  'sent-to-agency': ['verified'],
  'agency-reported': ['sent-to-agency'],
  paying: ['agency-reported'],
  completed: ['paying'],
  transferred: ['agency-reported', 'paying'],
  'not-eligible': ['synced', 'verified', 'sent-to-agency', 'agency-reported'],
  'correction-requested': ['synced', 'verified', 'sent-to-agency', 'agency-reported', 'correction-requested'],
};
const SIGNERS: readonly Role[] = ['county-reviewer', 'admin'];

const CHECKS = [
  { check: 'service', documentNumber: '呼武人〔2024〕12号', documentDate: '2024-04-20', recordedBy: '李核查' },
  { check: 'discharge-mode', documentNumber: '退役证 No.0012345', documentDate: '2024-04-21', recordedBy: '李核查' },
];

/** A valid body for each step. */
function bodyFor(step: CaseStep): Record<string, unknown> {
  const comment = `${step} 的说明`;
  if (step === 'verified') return { step, comment, checks: CHECKS };
  if (step === 'not-eligible') return { step, comment, reasonForVeteran: '您的服役年限已全部计入原单位养老保险，无需补缴。' };
  return { step, comment };
}

describe('the lifecycle in the policy table', () => {
  it('lets the county reviewer and the admin take each step from exactly the statuses the product names, and no other role any', () => {
    for (const role of ROLES) {
      for (const step of CASE_STEPS) {
        for (const status of LIFECYCLE_STATUSES) {
          const expected = SIGNERS.includes(role) && FROM[step].includes(status);
          expect(grantOf(role, STEP_ACTIONS[step], status) !== null, `${role} ${step} from ${status}`).toBe(expected);
        }
      }
    }
    expect(allowedSteps('county-reviewer', 'verified')).toEqual(['sent-to-agency', 'not-eligible', 'correction-requested']);
    expect(allowedSteps('auditor', 'synced')).toEqual([]);
    expect(allowedSteps('admin', 'completed')).toEqual([]);
  });
});

describeOnEachDatabase('the signed case lifecycle', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'lifecycle'));
  });
  afterEach(async () => {
    await s.close();
  });

  const sync = async () => {
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    const body = bodyOf<PushResponse>(res);
    await tablet.acknowledge(body.ackedThroughSeq);
    return body;
  };
  const detail = async (id: string) => bodyOf<Detail>(await s.admin('GET', `/api/admin/cases/${id}`));
  const step = (id: string, body: Record<string, unknown>, cookie?: string) =>
    cookie === undefined ? s.admin('POST', `/api/admin/cases/${id}/steps`, body) : s.app.inject({ method: 'POST', url: `/api/admin/cases/${id}/steps`, headers: { cookie }, payload: body });
  const take = async (id: string, st: CaseStep) => {
    const res = await step(id, bodyFor(st));
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<StepTaken>(res);
  };
  const setStatus = (id: string, status: LifecycleStatus) => s.app.county.db.updateTable('cases').set({ lifecycle_status: status }).where('id', '=', id).execute();
  const stepRows = (id: string) => s.app.county.db.selectFrom('case_steps').selectAll().where('case_id', '=', id).orderBy('audit_seq').execute();
  /** The tablet learns the county's revision by pull, as its engine does before it edits again. */
  const pullRevision = async (id: string) => {
    const pulled = bodyOf<PullResponse>(await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor: null }));
    tablet.adoptServerRevision(id, pulled.caseUpdates.find((u) => u.caseId === id)!.serverRevision);
  };

  // Some five hundred signed-in requests: longer than the project's default on a loaded two-core machine, never a hang.
  it('every role × step × status: allowed cells move the case and sign a step, the others answer 403 forbidden or 409 step-not-allowed-from-status and change nothing', async () => {
    const c = tablet.create(1);
    await sync();
    const callers = new Map<Role, string>([['admin', s.county.adminCookie]]);
    const areas: Record<Role, Area> = {
      'window-clerk': { level: 'township', code: TOWNSHIP.code },
      'outreach-worker': { level: 'township', code: TOWNSHIP.code },
      'county-reviewer': { level: 'county', code: '150102' },
      admin: { level: 'county', code: '150102' },
      'league-task-force': { level: 'league', code: '150100' },
      'region-task-force': REGION,
      auditor: { level: 'county', code: '150102' },
    };
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await createAccount(s.app.county, { username: `lc-${role}`, password: 'lifecycle password 1', role, area: areas[role] });
      const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: `lc-${role}`, password: 'lifecycle password 1' } });
      expect(login.statusCode, login.body).toBe(200);
      callers.set(role, String(login.headers['set-cookie']).split(';')[0]!);
    }

    const failures: string[] = [];
    let allowedCells = 0;
    for (const role of ROLES) {
      for (const st of CASE_STEPS) {
        for (const from of LIFECYCLE_STATUSES) {
          await setStatus(c.id, from);
          const before = (await stepRows(c.id)).length;
          const res = await step(c.id, bodyFor(st), callers.get(role)!);
          const now = (await detail(c.id)).lifecycleStatus;
          const cell = `${role} ${st} from ${from}`;
          if (SIGNERS.includes(role) && FROM[st].includes(from)) {
            allowedCells++;
            if (res.statusCode !== 200) failures.push(`${cell}: expected 200, got ${res.statusCode} ${res.body.slice(0, 200)}`);
            else if (now !== st || (await stepRows(c.id)).length !== before + 1) failures.push(`${cell}: the case is ${now} with ${(await stepRows(c.id)).length - before} new steps`);
            continue;
          }
          const expected = SIGNERS.includes(role) ? [409, 'step-not-allowed-from-status'] : [403, 'forbidden'];
          const code = res.statusCode >= 400 ? bodyOf<ErrorBody>(res).error.code : null;
          if (res.statusCode !== expected[0] || code !== expected[1]) failures.push(`${cell}: expected ${expected.join(' ')}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (now !== from || (await stepRows(c.id)).length !== before) failures.push(`${cell}: a refused step changed the case`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Both signers, each allowed (step, status) pair once.
    expect(allowedCells).toBe(2 * Object.values(FROM).flat().length);
    expect((await verifyAuditChain(s.app.county.db)).ok).toBe(true);
  }, 180_000);

  it('a case goes from 已同步 through 核查通过, 送经办机构, 经办测算已反馈 and 补缴办理中 to 完成, each step signed in the audit chain, and the chain verifies', async () => {
    const c = tablet.create(1);
    await sync();
    const first = await detail(c.id);
    expect(first.lifecycleStatus).toBe('synced');
    expect(first.steps).toEqual([]);
    expect(first.allowedSteps).toEqual(['verified', 'not-eligible', 'correction-requested']);

    const path: CaseStep[] = ['verified', 'sent-to-agency', 'agency-reported', 'paying', 'completed'];
    for (const st of path) {
      const taken = await take(c.id, st);
      expect(taken.lifecycleStatus).toBe(st);
      expect(taken.step).toMatchObject({ step: st, toStatus: st, actor: 'county-admin', role: 'admin', area: { level: 'county', code: '150102' }, comment: `${st} 的说明`, void: false });
    }

    const d = await detail(c.id);
    expect(d.lifecycleStatus).toBe('completed');
    expect(d.allowedSteps).toEqual([]);
    expect(d.steps.map((x) => `${x.fromStatus}→${x.toStatus}`)).toEqual(['synced→verified', 'verified→sent-to-agency', 'sent-to-agency→agency-reported', 'agency-reported→paying', 'paying→completed']);
    expect(d.steps[0]!.checks).toEqual(CHECKS);
    // Each step is the chain entry it names: same seq, same hash, the signer's action on this case.
    for (const x of d.steps) {
      const entry = await s.app.county.db.selectFrom('audit_chain').selectAll().where('seq', '=', x.auditSeq).executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ hash: x.auditHash, action: STEP_ACTIONS[x.step], actor: 'county-admin', role: 'admin', subject: c.id, area_level: 'township', area_code: TOWNSHIP.code });
      expect(JSON.parse(entry.detail!)).toMatchObject({ stepId: x.id, step: x.step, from: x.fromStatus, to: x.toStatus });
    }
    const verified = await verifyAuditChain(s.app.county.db);
    expect(verified.ok).toBe(true);

    // Nothing follows 完成: the page offers nothing and the server refuses.
    const again = await step(c.id, bodyFor('correction-requested'));
    expect(again.statusCode).toBe(409);
    expect(bodyOf<ErrorBody>(again).error.code).toBe('step-not-allowed-from-status');
  });

  it('核查通过 needs the service and discharge-mode checks, each with document number, date and recorder, and civil affairs’ confirmation when the facts record 低保', async () => {
    const c = tablet.create(1);
    await sync();
    const noChecks = await step(c.id, { step: 'verified', comment: '已核查' });
    expect(noChecks.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(noChecks).error.problems!.map((p) => p.path)).toEqual(['checks']);

    const incomplete = await step(c.id, { step: 'verified', comment: '已核查', checks: [{ check: 'service', documentNumber: '', documentDate: '2024-13-01', recordedBy: '李核查' }] });
    expect(incomplete.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(incomplete).error.problems!.map((p) => p.path)).toEqual(['checks[0].documentNumber', 'checks[0].documentDate']);

    const oneMissing = await step(c.id, { step: 'verified', comment: '已核查', checks: [CHECKS[0]] });
    expect(oneMissing.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(oneMissing).error.problems!.map((p) => p.path)).toEqual(['checks.discharge-mode']);

    // The same case recorded as 低保: civil affairs must confirm it too.
    const row = await s.app.county.db.selectFrom('cases').select('facts').where('id', '=', c.id).executeTakeFirstOrThrow();
    const facts = JSON.parse(row.facts) as { assistance: { dibao: boolean; tekun: boolean } };
    facts.assistance = { dibao: true, tekun: false };
    await s.app.county.db.updateTable('cases').set({ facts: JSON.stringify(facts) }).where('id', '=', c.id).execute();
    const withoutCivil = await step(c.id, bodyFor('verified'));
    expect(withoutCivil.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(withoutCivil).error.problems!.map((p) => p.path)).toEqual(['checks.civil-affairs']);
    expect((await stepRows(c.id)).length).toBe(0);

    const civil = { check: 'civil-affairs', documentNumber: '民低保〔2024〕3号', documentDate: '2024-04-22', recordedBy: '民政局张' };
    const ok = await step(c.id, { ...bodyFor('verified'), checks: [...CHECKS, civil] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(bodyOf<StepTaken>(ok).step.checks).toEqual([...CHECKS, civil]);
  });

  it('核查通过 needs the same-level government’s confirmation when the unit’s share is not paid by the original unit, and that confirmation on record for that payer', async () => {
    const c = tablet.create(1);
    await sync();
    await s.app.county.db.updateTable('cases').set({ unit_payer: 'superior' }).where('id', '=', c.id).execute();
    const without = await step(c.id, bodyFor('verified'));
    expect(without.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(without).error.problems!.map((p) => p.path)).toEqual(['checks.government-confirmation']);

    const government = { check: 'government-confirmation', documentNumber: '新政函〔2024〕8号', documentDate: '2024-04-10', recordedBy: '王核查' };
    const unrecorded = await step(c.id, { ...bodyFor('verified'), checks: [...CHECKS, government] });
    expect(unrecorded.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(unrecorded).error.problems!.map((p) => p.path)).toEqual(['checks.government-confirmation']);

    const confirm = (payer: string) =>
      s.admin('POST', `/api/admin/cases/${c.id}/payer-confirmations`, { payer, government: '新城区人民政府', confirmedOn: '2024-04-10', documentNumber: '新政函〔2024〕8号' });
    expect((await confirm('fiscal')).statusCode).toBe(201);
    const otherPayer = await step(c.id, { ...bodyFor('verified'), checks: [...CHECKS, government] });
    expect(otherPayer.statusCode).toBe(422);
    expect((await stepRows(c.id)).length).toBe(0);

    expect((await confirm('superior')).statusCode).toBe(201);
    const ok = await step(c.id, { ...bodyFor('verified'), checks: [...CHECKS, government] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(bodyOf<StepTaken>(ok).step.checks).toEqual([...CHECKS, government]);
  });

  it('核查通过 waits while a conflict is open: the county picks the version that stands first', async () => {
    const c = tablet.create(1);
    await sync();
    await s.app.county.db.updateTable('cases').set({ conflict: 1 }).where('id', '=', c.id).execute();
    const res = await step(c.id, bodyFor('verified'));
    expect(res.statusCode).toBe(409);
    expect(bodyOf<ErrorBody>(res).error.code).toBe('conflict-open');
    expect((await detail(c.id)).lifecycleStatus).toBe('synced');
  });

  it('不符合 needs the reason the veteran is told, which the signed history keeps', async () => {
    const c = tablet.create(1);
    await sync();
    const res = await step(c.id, { step: 'not-eligible', comment: '不符合条件' });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(res).error.problems).toEqual([{ path: 'reasonForVeteran', message: expect.stringContaining('required') }]);
    const blank = await step(c.id, { step: 'not-eligible', comment: '不符合条件', reasonForVeteran: '   ' });
    expect(blank.statusCode).toBe(422);
    expect((await detail(c.id)).lifecycleStatus).toBe('synced');

    await take(c.id, 'not-eligible');
    const d = await detail(c.id);
    expect(d.lifecycleStatus).toBe('not-eligible');
    expect(d.steps.map((x) => x.reasonForVeteran)).toEqual(['您的服役年限已全部计入原单位养老保险，无需补缴。']);
  });

  it('退回补正 and then the tablet’s correction return the case to 已同步 and void the signatures since, keeping them, in the chain', async () => {
    const c = tablet.create(1);
    await sync();
    const verified = (await take(c.id, 'verified')).step;
    const request = (await take(c.id, 'correction-requested')).step;
    const requested = await detail(c.id);
    expect(requested).toMatchObject({ lifecycleStatus: 'correction-requested', countyStatus: 'correction-requested' });

    await pullRevision(c.id);
    tablet.update(c.id, 5);
    expect((await sync()).results[0]).toMatchObject({ outcome: 'applied' });

    const d = await detail(c.id);
    expect(d.lifecycleStatus).toBe('synced');
    expect(d.steps.map((x) => [x.id, x.void, x.voidedByStep])).toEqual([
      [verified.id, true, request.id],
      [request.id, false, null],
    ]);
    // Voided, not rewritten: the signature is still the chain's entry.
    expect(d.steps[0]).toMatchObject({ auditSeq: verified.auditSeq, auditHash: verified.auditHash, comment: verified.comment });
    const returned = await s.app.county.db.selectFrom('audit_chain').selectAll().where('action', '=', 'case.corrected').where('subject', '=', c.id).execute();
    expect(returned).toHaveLength(1);
    expect(JSON.parse(returned[0]!.detail!)).toMatchObject({ from: 'correction-requested', to: 'synced', correctionStep: request.id, voidedSteps: [verified.id] });
    expect((await verifyAuditChain(s.app.county.db)).ok).toBe(true);

    // Verified afresh, on the corrected facts.
    expect((await take(c.id, 'verified')).step.fromStatus).toBe('synced');
  });

  it('a tablet’s edit after 核查通过 is refused for that case alone, with a Chinese answer for the tablet, and the same again when repeated', async () => {
    const locked = tablet.create(1);
    const open = tablet.create(2);
    await sync();
    await take(locked.id, 'verified');
    tablet.update(locked.id, 5);
    tablet.update(open.id, 5);
    const body = tablet.pushBody();
    const r = bodyOf<PushResponse>(await s.push(tablet, credential, body));
    expect(r.results.map((x) => [x.caseId, x.outcome, x.refusal])).toEqual([
      [locked.id, 'refused', 'case-locked-after-verification'],
      [open.id, 'applied', undefined],
    ]);
    expect((await detail(locked.id)).versions).toHaveLength(1);
    expect((await detail(locked.id)).lifecycleStatus).toBe('verified');
    expect((await detail(open.id)).revision).toBe(2);
    const repeated = bodyOf<PushResponse>(await s.push(tablet, credential, body));
    expect(repeated.results[0]).toMatchObject({ outcome: 'duplicate', refusal: 'case-locked-after-verification' });
    expect(caseRefusalZh('case-locked-after-verification')).toContain('核查通过');

    // In 退回补正 the window may change it again.
    await take(locked.id, 'correction-requested');
    await tablet.acknowledge(r.ackedThroughSeq);
    await pullRevision(locked.id);
    tablet.update(locked.id, 6);
    expect((await sync()).results[0]).toMatchObject({ caseId: locked.id, outcome: 'applied' });
  });

  it('the correction-request route is the 退回补正 step: signed in the history, and refused once the case is final', async () => {
    const c = tablet.create(1);
    await sync();
    const res = await s.admin('POST', `/api/admin/cases/${c.id}/correction-request`, { message: '请补充退伍证复印件' });
    expect(res.statusCode, res.body).toBe(200);
    const d = bodyOf<Detail>(res);
    expect(d.lifecycleStatus).toBe('correction-requested');
    expect(d.steps.map((x) => [x.step, x.comment])).toEqual([['correction-requested', '请补充退伍证复印件']]);
    await setStatus(c.id, 'completed');
    const late = await s.admin('POST', `/api/admin/cases/${c.id}/correction-request`, { message: '再补充' });
    expect(late.statusCode).toBe(409);
    expect(bodyOf<ErrorBody>(late).error.code).toBe('step-not-allowed-from-status');
  });
});
