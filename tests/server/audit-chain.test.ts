import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  appendAudit,
  appendAuditCollapsed,
  appendAuditMany,
  auditHead,
  auditHeadForExport,
  entryHash,
  GENESIS_HASH,
  redactAuditValues,
  type AuditEvent,
} from '../../src/server/audit/chain';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { openDatabase, type AppDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { describeOnEachDatabase, freshDatabase, type FreshDatabase } from './helpers';

const NOW = new Date('2025-03-04T05:06:07.000Z');

function event(n: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    action: 'account.create',
    actor: 'county-admin',
    role: 'admin',
    area: { level: 'county', code: '150102' },
    subject: `clerk-${n}`,
    detail: { role: 'window-clerk', township: '150102001' },
    ...extra,
  };
}

describeOnEachDatabase('the audit chain', (kind) => {
  let fresh: FreshDatabase;
  let app: AppDatabase;
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'audit');
    app = await openDatabase(fresh.database);
    await migrateToLatest(app);
  });
  afterEach(async () => {
    await app.destroy();
    await fresh.cleanup();
  });

  /** Five entries, the third with personal values. */
  async function fiveEntries(): Promise<void> {
    for (let n = 1; n <= 5; n++) {
      await appendAudit(app.db, event(n, n === 3 ? { personal: { name: '张三', idNumber: '150102199001011234' } } : {}), NOW);
    }
  }

  const rows = () => app.db.selectFrom('audit_chain').selectAll().orderBy('seq').execute();

  /** Moves entry `from` to seq `to` (a free seq) as someone with write access to the table could. */
  const move = (from: number, to: number) => app.db.updateTable('audit_chain').set({ seq: to }).where('seq', '=', from).execute();

  it('an empty chain verifies, with the genesis hash as its head', async () => {
    expect(await verifyAuditChain(app.db)).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH, at: null } });
  });

  it('a clean chain verifies: each entry links to the one before and the head is the last entry', async () => {
    await fiveEntries();
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    const result = await verifyAuditChain(app.db);
    expect(result).toEqual({ ok: true, count: 5, head: { seq: 5, hash: all[4]!.hash, at: NOW.toISOString() } });
    expect(await auditHeadForExport(app.db)).toEqual({ seq: 5, hash: all[4]!.hash, at: NOW.toISOString() });
  });

  it('personal values stay out of the chain: it holds a salted digest, the values sit beside it with the area', async () => {
    await fiveEntries();
    const chain = JSON.stringify(await rows());
    expect(chain).not.toContain('张三');
    expect(chain).not.toContain('150102199001011234');
    const third = (await rows())[2]!;
    expect(third.personal_sha256).toMatch(/^[0-9a-f]{64}$/);
    const values = await app.db.selectFrom('audit_values').selectAll().execute();
    expect(values).toEqual([expect.objectContaining({ entry_seq: 3, area_level: 'county', area_code: '150102', redacted_at: null })]);
    expect(JSON.parse(values[0]!.personal!)).toEqual({ name: '张三', idNumber: '150102199001011234' });
  });

  it('an altered entry is named as altered at its seq', async () => {
    await fiveEntries();
    await app.db.updateTable('audit_chain').set({ subject: 'someone-else' }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 3, reason: 'altered' } });
  });

  it('an entry rewritten with a fresh hash of its own is named as altered, by the link of the entry after it', async () => {
    await fiveEntries();
    const third = (await rows())[2]!;
    const forged = { ...third, actor: 'someone-else' };
    await app.db.updateTable('audit_chain').set({ actor: forged.actor, hash: entryHash(forged) }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 3, reason: 'altered' } });
  });

  it('a deleted entry is named as deleted, in the middle, at the end and when the rest were renumbered', async () => {
    await fiveEntries();
    await app.db.deleteFrom('audit_chain').where('seq', '=', 5).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 5, reason: 'deleted' } });
    await app.db.deleteFrom('audit_chain').where('seq', '=', 2).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 2, reason: 'deleted' } });
    await move(3, 2);
    await move(4, 3);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 2, reason: 'deleted' } });
  });

  it('an inserted entry is named as inserted, after the head and before entries renumbered to make room', async () => {
    await fiveEntries();
    const all = await rows();
    const after = { ...all[4]!, seq: 6, subject: 'forged', prev_hash: all[4]!.hash };
    await app.db.insertInto('audit_chain').values({ ...after, hash: entryHash(after) }).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 6, reason: 'inserted' } });

    await app.db.deleteFrom('audit_chain').where('seq', '=', 6).execute();
    for (const seq of [5, 4, 3]) await move(seq, seq + 1);
    const between = { ...all[1]!, seq: 3, subject: 'forged', prev_hash: all[1]!.hash };
    await app.db.insertInto('audit_chain').values({ ...between, hash: entryHash(between) }).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 3, reason: 'inserted' } });
  });

  it('two entries swapped are named as reordered at the first of them', async () => {
    await fiveEntries();
    await move(2, 100);
    await move(3, 2);
    await move(100, 3);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 2, reason: 'reordered' } });
  });

  it('a head that is not the last entry is named as a head mismatch', async () => {
    await fiveEntries();
    await app.db.updateTable('audit_head').set({ hash: 'f'.repeat(64) }).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 5, reason: 'head-mismatch' } });
  });

  it('personal values changed beside the chain are named at their entry', async () => {
    await fiveEntries();
    await app.db.updateTable('audit_values').set({ personal: JSON.stringify({ name: '李四', idNumber: '150102199001011234' }) }).execute();
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: false, broken: { seq: 3, reason: 'values-altered' } });
  });

  it('a redaction removes the values and their salt, is an entry of its own, and the chain still verifies', async () => {
    await fiveEntries();
    const redaction = await redactAuditValues(app.db, 3, { actor: 'county-admin', role: 'admin', area: { level: 'county', code: '150102' } }, 'PIPL art. 47 request', NOW);
    expect(redaction.seq).toBe(6);
    expect(await app.db.selectFrom('audit_values').selectAll().execute()).toEqual([
      expect.objectContaining({ entry_seq: 3, personal: null, salt: null, redacted_at: NOW.toISOString(), redacted_by_seq: 6 }),
    ]);
    const sixth = (await rows())[5]!;
    expect(sixth).toMatchObject({ action: 'audit.redact', subject: 'audit:3', area_code: '150102' });
    expect(JSON.parse(sixth.detail!)).toEqual({ entrySeq: 3, reason: 'PIPL art. 47 request' });
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, count: 6 });
    await expect(redactAuditValues(app.db, 3, 'county-admin', 'again', NOW)).rejects.toMatchObject({ code: 'audit-values-redacted' });
    await expect(redactAuditValues(app.db, 4, 'county-admin', 'none there', NOW)).rejects.toMatchObject({ code: 'audit-values-not-found' });
  });

  it('fifty appends at once, alone and inside their callers’ transactions, keep one chain', async () => {
    const alone = Array.from({ length: 25 }, (_, i) => appendAudit(app.db, event(i), NOW));
    const inTransactions = Array.from({ length: 25 }, (_, i) =>
      app.db.transaction().execute(async (trx) => {
        await trx.selectFrom('audit_head').selectAll().execute();
        return appendAudit(trx, event(100 + i, { personal: { n: i } }), NOW);
      }),
    );
    const results = await Promise.all([...alone, ...inTransactions]);
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, count: 50, head: { seq: 50 } });
  });

  it('an append inside a transaction that rolls back leaves no entry and the head where it was', async () => {
    await appendAudit(app.db, event(1), NOW);
    const before = await auditHead(app.db);
    await expect(
      app.db.transaction().execute(async (trx) => {
        await appendAudit(trx, event(2), NOW);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await auditHead(app.db)).toEqual(before);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, count: 1 });
  });

  it('appendAuditMany appends in order in one go; an empty list appends nothing', async () => {
    expect(await appendAuditMany(app.db, [], NOW)).toBeNull();
    const last = await appendAuditMany(app.db, Array.from({ length: 450 }, (_, i) => event(i, { occurredAt: '2025-03-01T08:00:00.000Z' })), NOW);
    expect(last?.seq).toBe(450);
    expect((await rows()).map((r) => r.subject).slice(0, 3)).toEqual(['clerk-0', 'clerk-1', 'clerk-2']);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, count: 450 });
  });

  it('repeated failures of one subject are one entry a minute, even when they arrive at once', async () => {
    const failure = (subject: string): AuditEvent => ({ action: 'sign-in.failure', actor: 'anonymous', role: null, area: null, subject });
    const sameMinute = new Date('2025-03-04T05:06:59.000Z');
    const first = await Promise.all(Array.from({ length: 10 }, () => appendAuditCollapsed(app.db, failure('wangfang'), NOW)));
    expect(first.filter((r) => r !== null)).toHaveLength(1);
    expect(await appendAuditCollapsed(app.db, failure('wangfang'), sameMinute)).toBeNull();
    expect(await appendAuditCollapsed(app.db, failure('lisi'), sameMinute)).not.toBeNull();
    expect(await appendAuditCollapsed(app.db, failure('wangfang'), new Date('2025-03-04T05:07:00.000Z'))).not.toBeNull();
    expect((await rows()).map((r) => r.subject)).toEqual(['wangfang', 'lisi', 'wangfang']);
  });
});
