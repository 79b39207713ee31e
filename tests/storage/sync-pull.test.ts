// A pulled page stored on the tablet: parameter sets, clerks, case changes, the cursor.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT } from '../../src/domain';
import { createCasesRepository, createClerkCredentialsRepository, createReferenceRepository, createSyncRepository, type JiexuDb } from '../../src/storage';
import { countyListVersion, PROTOCOL_VERSION, type PullResponse } from '../../src/shared/sync-protocol';
import { caseFacts, freshDb, registration, steppingClock } from './support';

let open: JiexuDb[] = [];
afterEach(() => {
  for (const d of open) d.close();
  open = [];
});

async function setUp() {
  const db = await freshDb();
  open.push(db);
  const reference = createReferenceRepository(db);
  const cases = createCasesRepository(db, { now: steppingClock() });
  return { db, reference, cases, sync: createSyncRepository(db, { cases, reference }) };
}

function page(over: Partial<PullResponse> = {}): PullResponse {
  return {
    protocol: PROTOCOL_VERSION,
    cursor: 'c1.7',
    more: false,
    serverTime: '2024-05-02T09:00:00.000Z',
    township: { code: '150102001', name: '海拉尔路街道' },
    countyListVersion: countyListVersion(),
    parameterSets: [],
    clerks: [],
    caseUpdates: [],
    ...over,
  };
}

const published = { ...DEFAULT_PARAMETERS_DOCUMENT, version: 'county-150102-2024.2' };

describe('a pulled page', () => {
  it('stores new parameter sets (the last one in use for new cases), the clerks and the cursor', async () => {
    const { sync, cases, reference } = await setUp();
    expect(await sync.cursor()).toBeNull();
    const report = await sync.applyPullPage(
      page({
        parameterSets: [{ version: published.version, publishedAt: '2024-05-02T08:00:00.000Z', document: published }],
        clerks: [
          { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true },
          { username: 'lisi', displayName: '李四', townshipCode: '150102001', active: true },
        ],
      }),
    );
    expect(report).toMatchObject({ parameterSetsStored: [published.version], parameterSetsRefused: [], clerks: 2, countyList: 'same' });
    expect(await sync.cursor()).toBe('c1.7');
    expect((await sync.clerks()).map((c) => c.username)).toEqual(['lisi', 'wangfang']);
    expect((await reference.currentParameterSet()).version).toBe(published.version);
    const created = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    expect(created.parameterSetVersion).toBe(published.version);
  });

  it('forgets the PIN of a clerk the county disabled, so that he signs in here no more; his colleague keeps hers', async () => {
    const { db, sync } = await setUp();
    const credentials = createClerkCredentialsRepository(db);
    // A well-formed verifier: this test is about who keeps one, not about checking a PIN.
    const verifier = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
    const wang = { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true };
    const li = { username: 'lisi', displayName: '李四', townshipCode: '150102001', active: true };
    await credentials.saveOnlineSignIn(wang, verifier);
    await credentials.saveOnlineSignIn(li, verifier);
    await sync.applyPullPage(page({ clerks: [{ ...li, active: false }] }));
    expect((await credentials.list()).map((c) => c.username)).toEqual(['wangfang']);
    expect(await credentials.get('lisi')).toBeUndefined();
    expect((await sync.clerks()).find((c) => c.username === 'lisi')?.active).toBe(false);
    // Enabled again, he signs in online once more to set a PIN: nothing comes back by itself.
    await sync.applyPullPage(page({ cursor: 'c1.9', clerks: [li] }));
    expect(await credentials.get('lisi')).toBeUndefined();
  });

  it('applied again (an answer lost on the way) changes nothing', async () => {
    const { sync } = await setUp();
    const p = page({ parameterSets: [{ version: published.version, publishedAt: '2024-05-02T08:00:00.000Z', document: published }] });
    await sync.applyPullPage(p);
    const again = await sync.applyPullPage(p);
    expect(again).toMatchObject({ parameterSetsStored: [], parameterSetsRefused: [] });
  });

  it('a published version that comes back changed is refused, and the stored one kept', async () => {
    const { sync, reference } = await setUp();
    await sync.applyPullPage(page({ parameterSets: [{ version: published.version, publishedAt: '2024-05-02T08:00:00.000Z', document: published }] }));
    const altered = { ...published, issuedBy: 'someone else' };
    const report = await sync.applyPullPage(page({ cursor: 'c1.8', parameterSets: [{ version: published.version, publishedAt: '2024-05-02T08:00:00.000Z', document: altered }] }));
    expect(report.parameterSetsRefused).toEqual([{ version: published.version, reason: 'changed-after-publication' }]);
    expect((await reference.parameterSetDocuments()).find((d) => d.version === published.version)?.document).toEqual(published);
  });

  it('a parameter set this app cannot read, or another county list, asks for an app update', async () => {
    const { sync } = await setUp();
    expect((await sync.status()).updateRequired).toBe(false);
    const report = await sync.applyPullPage(page({ parameterSets: [{ version: 'future', publishedAt: '2024-05-02T08:00:00.000Z', document: { version: 'future', aFieldOfLater: 1 } }] }));
    expect(report.parameterSetsRefused).toEqual([{ version: 'future', reason: 'unreadable' }]);
    expect((await sync.status()).updateRequired).toBe(true);

    const other = await setUp();
    expect((await other.sync.applyPullPage(page({ countyListVersion: 'gb2260-999-ffffffff' }))).countyList).toBe('update-app');
    expect((await other.sync.status()).updateRequired).toBe(true);
  });

  it('clerks merge by name: a later pull updates one and keeps the others', async () => {
    const { sync } = await setUp();
    await sync.applyPullPage(page({ clerks: [{ username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true }, { username: 'lisi', displayName: '李四', townshipCode: '150102001', active: true }] }));
    await sync.applyPullPage(page({ cursor: 'c1.9', clerks: [{ username: 'lisi', displayName: '李四', townshipCode: '150102001', active: false }] }));
    expect(await sync.clerks()).toEqual([
      { username: 'lisi', displayName: '李四', townshipCode: '150102001', active: false },
      { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true },
    ]);
  });

  it('case changes go through the cases repository', async () => {
    const { sync, cases } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    const report = await sync.applyPullPage(
      page({
        caseUpdates: [
          { caseId: a.id, caseNumber: a.caseNumber, serverRevision: 2, status: 'registered', countyStatus: 'received', correctionRequest: null, conflict: false, facts: a.facts, registration: a.registration, at: '2024-05-02T09:00:00.000Z' },
        ],
      }),
    );
    // Unsent on the tablet (never pushed): kept, and shown as conflicting.
    expect(report.caseUpdates).toEqual([{ caseId: a.id, caseNumber: a.caseNumber, action: 'conflict' }]);
  });

  it('the status of the last sync is kept across restarts and merged field by field', async () => {
    const { sync } = await setUp();
    await sync.recordStatus({ lastSuccessAt: '2024-05-02T09:00:00.000Z', clockSkewMs: 600_000 });
    expect(await sync.recordStatus({ lastErrorCode: 'device-revoked' })).toMatchObject({ lastSuccessAt: '2024-05-02T09:00:00.000Z', clockSkewMs: 600_000, lastErrorCode: 'device-revoked', updateRequired: false });
  });
});
