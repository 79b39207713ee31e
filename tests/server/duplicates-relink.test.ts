// Possible duplicates follow a case's ID number: when the county's resolution of a conflict chooses a
// version with another one, or a tablet's change corrects it, the links that no longer hold go, links
// to the cases of the new number come, every case concerned gets its flag set or cleared, and the
// tablets hear of it by pull.
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relinkPlan } from '../../src/server/county/duplicates';
import type { Database } from '../../src/server/db/schema';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullResponse, type PushResponse } from '../../src/shared/sync-protocol';
import { OTHER_TOWNSHIP, TOWNSHIP, TabletSim, idNumberFor } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type CaseDetail = {
  idNumber: string;
  revision: number;
  flags: { conflict: boolean; possibleDuplicate: boolean };
  versions: { id: string; source: string; conflicting: boolean; current: boolean }[];
  possibleDuplicates: { id: string }[];
};

describe('which links of a case hold after its ID number changed', () => {
  const linked = (id: string, idNumber: string, openConflictIdNumbers: string[] = []) => ({ id, idNumber, openConflictIdNumbers });
  it.each([
    ['a linked case of the new number keeps its link; one of the old number loses it', [linked('b', 'NEW'), linked('c', 'OLD')], ['b'], { remove: ['c'], add: [] }],
    ['cases of the new number not yet linked are linked', [], ['d', 'e'], { remove: [], add: ['d', 'e'] }],
    ['a link carried by a version of the other case’s open conflict stays until the county decides that conflict', [linked('f', 'OLD', ['NEW'])], [], { remove: [], add: [] }],
    ['the case itself is never linked to itself', [], ['self', 'g'], { remove: [], add: ['g'] }],
  ])('%s', (_name, others, same, plan) => {
    expect(relinkPlan('self', 'NEW', others, same)).toEqual(plan);
  });
});

describeOnEachDatabase('re-linking duplicates', (kind) => {

  let s: SyncTestServer;
  let t1: TabletSim;
  let t2: TabletSim;
  let t3: TabletSim;
  const cred = new Map<TabletSim, string>();
  beforeEach(async () => {
    s = await startSyncServer(kind, 'relink');
    t1 = new TabletSim(undefined, undefined, () => s.clock.now);
    t2 = new TabletSim(undefined, undefined, () => s.clock.now);
    t3 = new TabletSim(undefined, undefined, () => s.clock.now);
    cred.set(t1, await s.county.enrol(t1));
    cred.set(t2, await s.county.enrol(t2, OTHER_TOWNSHIP.code));
    cred.set(t3, await s.county.enrol(t3));
  });
  afterEach(async () => {
    await s.close();
  });

  const detail = async (id: string) => bodyOf<CaseDetail>(await s.admin('GET', `/api/admin/cases/${id}`));
  const push = async (t: TabletSim) => {
    const res = await s.push(t, cred.get(t)!);
    expect(res.statusCode, res.body).toBe(200);
    const r = bodyOf<PushResponse>(res);
    await t.acknowledge(r.ackedThroughSeq);
    return r;
  };
  /**
   * Holds the advisory lock of an ID number on a connection of its own, starts `request`, and says
   * whether the request waited for that lock (PostgreSQL only). `whileWaiting` looks at the database
   * while the request waits, before the lock is released.
   */
  const whileIdLockHeld = <R>(held: string, request: () => Promise<R>, whileWaiting: (conn: Kysely<Database>) => Promise<boolean> = async () => true) =>
    s.app.county.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(hashtext(${`jiexu-id:${held}`}))`.execute(conn);
      let finished = false;
      const pending = request().then((r) => {
        finished = true;
        return r;
      });
      let waiting = 0;
      for (let i = 0; i < 400 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const row = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`.execute(conn);
        waiting = Number(row.rows[0]!.n);
      }
      const blocked = waiting > 0 && !finished;
      const seen = await whileWaiting(conn);
      await sql`select pg_advisory_unlock(hashtext(${`jiexu-id:${held}`}))`.execute(conn);
      return { blocked, seen, res: await pending };
    });
  const pullFrom = async (t: TabletSim, cursor: string | null) =>
    bodyOf<PullResponse>(await s.pull(cred.get(t)!, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: t.deviceId, cursor }));
  const pullAll = (t: TabletSim) => pullFrom(t, null);
  const loggedCases = async () => (await s.app.county.db.selectFrom('change_log').select(['ref', 'township_code']).where('kind', '=', 'case').orderBy('id').execute()).map((r) => `${r.township_code} ${r.ref}`);
  const flagOf = async (id: string) => (await detail(id)).flags.possibleDuplicate;
  const links = async () =>
    (await s.app.county.db.selectFrom('case_links').select(['case_a', 'case_b']).execute()).map((l) => [l.case_a, l.case_b].sort().join(' ')).sort();
  const pairOf = (x: string, y: string) => [x, y].sort().join(' ');
  /** Case `id` of tablet `t` gets a conflicting version of ID number idNumberFor(i): the county changed it first. */
  const conflictingReidentification = async (t: TabletSim, id: string, i: number) => {
    expect((await s.admin('POST', `/api/admin/cases/${id}/correction-request`, { message: '请核对身份证号' })).statusCode).toBe(200);
    t.reidentify(id, i);
    expect((await push(t)).results[0]).toMatchObject({ outcome: 'conflict' });
  };
  const resolve = async (id: string, versionId: string) => {
    const res = await s.admin('POST', `/api/admin/cases/${id}/resolve`, { versionId });
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<CaseDetail>(res);
  };

  it('choosing the county’s version ends the link that only the rejected version’s ID number made, and clears both flags', async () => {
    const a = t1.create(1);
    await push(t1);
    const b = t2.create(2);
    await push(t2);
    await conflictingReidentification(t1, a.id, 2);
    // Push linked the conflicting version's ID number to the other tablet's case.
    expect(await links()).toEqual([pairOf(a.id, b.id)]);
    expect((await detail(b.id)).flags.possibleDuplicate).toBe(true);
    const cursorBefore = (await pullAll(t2)).cursor;

    const d = await detail(a.id);
    const resolved = await resolve(a.id, d.versions.find((v) => v.current)!.id);
    expect(resolved.idNumber).toBe(idNumberFor(1));
    expect(resolved.flags).toMatchObject({ conflict: false, possibleDuplicate: false });
    expect(resolved.possibleDuplicates).toEqual([]);
    expect(await links()).toEqual([]);
    expect((await detail(b.id)).flags.possibleDuplicate).toBe(false);
    expect(bodyOf<{ cases: unknown[] }>(await s.admin('GET', '/api/admin/cases?flag=possible-duplicate')).cases).toEqual([]);

    // The other township's tablet pulls the cleared flag; its case's revision is unchanged.
    const pulled = bodyOf<PullResponse>(await s.pull(cred.get(t2)!, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: t2.deviceId, cursor: cursorBefore }));
    expect(pulled.caseUpdates).toEqual([expect.objectContaining({ caseId: b.id, serverRevision: 1, possibleDuplicate: false })]);
  });

  it('choosing a version of another ID number moves the case’s links to the cases of that number, flags set and cleared on each', async () => {
    const a = t1.create(1);
    await push(t1);
    const c = t3.create(1);
    await push(t3);
    expect(await links()).toEqual([pairOf(a.id, c.id)]);
    await conflictingReidentification(t1, a.id, 2);
    // Pushed after the conflicting version: push links by the cases' current numbers, so not to A.
    const b = t2.create(2);
    expect((await push(t2)).results[0]!.possibleDuplicate).toBe(false);

    // Each tablet has pulled before the county decides: what it pulls next is what changed since.
    const cursors = { t1: (await pullAll(t1)).cursor, t2: (await pullAll(t2)).cursor, t3: (await pullAll(t3)).cursor };
    const d = await detail(a.id);
    const resolved = await resolve(a.id, d.versions.find((v) => v.conflicting)!.id);
    expect(resolved.idNumber).toBe(idNumberFor(2));
    expect(resolved.flags.possibleDuplicate).toBe(true);
    expect(resolved.possibleDuplicates.map((x) => x.id)).toEqual([b.id]);
    expect(await links()).toEqual([pairOf(a.id, b.id)]);
    expect((await detail(b.id)).flags.possibleDuplicate).toBe(true);
    expect((await detail(c.id)).flags.possibleDuplicate).toBe(false);

    const toB = (await pullFrom(t2, cursors.t2)).caseUpdates.find((u) => u.caseId === b.id);
    expect(toB).toMatchObject({ possibleDuplicate: true, serverRevision: 1 });
    const toC = (await pullFrom(t3, cursors.t3)).caseUpdates.find((u) => u.caseId === c.id);
    expect(toC).toMatchObject({ possibleDuplicate: false, serverRevision: 1 });
    const toA = (await pullFrom(t1, cursors.t1)).caseUpdates.find((u) => u.caseId === a.id);
    expect(toA).toMatchObject({ possibleDuplicate: true, conflict: false });
  });

  it('a link another case’s open conflict carries stays when this case is resolved, and ends when that conflict is', async () => {
    const a = t1.create(2);
    await push(t1);
    const e = t3.create(3);
    await push(t3);
    // E's conflicting version carries A's number: push links them.
    await conflictingReidentification(t3, e.id, 2);
    expect(await links()).toEqual([pairOf(a.id, e.id)]);
    // A gets a conflict of its own (same number) and is resolved first: E's open conflict still carries 2.
    expect((await s.admin('POST', `/api/admin/cases/${a.id}/correction-request`, { message: '请补充材料' })).statusCode).toBe(200);
    t1.update(a.id, 5);
    expect((await push(t1)).results[0]).toMatchObject({ outcome: 'conflict' });
    await resolve(a.id, (await detail(a.id)).versions.find((v) => v.conflicting)!.id);
    expect(await links()).toEqual([pairOf(a.id, e.id)]);
    expect((await detail(a.id)).flags.possibleDuplicate).toBe(true);

    // The county keeps E's number 3: the link ends, and neither case is a possible duplicate any more.
    const resolved = await resolve(e.id, (await detail(e.id)).versions.find((v) => v.current)!.id);
    expect(resolved.flags.possibleDuplicate).toBe(false);
    expect(await links()).toEqual([]);
    expect((await detail(a.id)).flags.possibleDuplicate).toBe(false);
  });


  describe('a tablet’s change of a case’s ID number (push)', () => {
    it('ends the links the old number made and clears the flags that no longer hold; the other tablet pulls its cleared flag', async () => {
      const a = t1.create(1);
      await push(t1);
      const b = t2.create(1);
      expect((await push(t2)).results[0]!.possibleDuplicate).toBe(true);
      expect(await links()).toEqual([pairOf(a.id, b.id)]);
      const cursorBefore = (await pullAll(t2)).cursor;

      t1.reidentify(a.id, 3);
      const r = await push(t1);
      expect(r.results[0]).toMatchObject({ outcome: 'applied', conflict: false, possibleDuplicate: false });
      expect(await links()).toEqual([]);
      expect(await flagOf(a.id)).toBe(false);
      expect(await flagOf(b.id)).toBe(false);
      expect(bodyOf<{ cases: unknown[] }>(await s.admin('GET', '/api/admin/cases?flag=possible-duplicate')).cases).toEqual([]);

      const pulled = await pullFrom(t2, cursorBefore);
      expect(pulled.caseUpdates).toEqual([expect.objectContaining({ caseId: b.id, serverRevision: 1, possibleDuplicate: false })]);
    });

    it('moves the case to the cases of its new number: links made by others of the old number stay, each flag set or kept, only changed flags logged', async () => {
      const a = t1.create(1);
      await push(t1);
      const b = t2.create(1);
      const d = t2.create(2);
      await push(t2);
      const c = t3.create(1);
      await push(t3);
      expect(await links()).toEqual([pairOf(a.id, b.id), pairOf(a.id, c.id), pairOf(b.id, c.id)].sort());
      const logged = await loggedCases();
      const cursors = { t2: (await pullAll(t2)).cursor, t3: (await pullAll(t3)).cursor };

      t1.reidentify(a.id, 2);
      expect((await push(t1)).results[0]).toMatchObject({ outcome: 'applied', possibleDuplicate: true });
      expect(await links()).toEqual([pairOf(a.id, d.id), pairOf(b.id, c.id)].sort());
      expect({ a: await flagOf(a.id), b: await flagOf(b.id), c: await flagOf(c.id), d: await flagOf(d.id) }).toEqual({ a: true, b: true, c: true, d: true });
      // Only D's flag changed: the only case logged by this push, for its own township.
      expect(await loggedCases()).toEqual([...logged, `${OTHER_TOWNSHIP.code} ${d.id}`]);
      expect((await pullFrom(t2, cursors.t2)).caseUpdates).toEqual([expect.objectContaining({ caseId: d.id, serverRevision: 1, possibleDuplicate: true })]);
      expect((await pullFrom(t3, cursors.t3)).caseUpdates).toEqual([]);
    });

    it('a number changed and changed back within one batch keeps the link; a case created and corrected in one batch leaves no link', async () => {
      const a = t1.create(1);
      await push(t1);
      const b = t2.create(1);
      await push(t2);
      const logged = await loggedCases();

      t1.reidentify(a.id, 2);
      t1.reidentify(a.id, 1);
      const x = t1.create(1);
      t1.reidentify(x.id, 4);
      const r = await push(t1);
      expect(r.results.map((m) => m.possibleDuplicate)).toEqual([false, true, true, false]);
      expect(await links()).toEqual([pairOf(a.id, b.id)]);
      expect({ a: await flagOf(a.id), b: await flagOf(b.id), x: await flagOf(x.id) }).toEqual({ a: true, b: true, x: false });
      // B was linked all along: nothing for its tablet to learn.
      expect(await loggedCases()).toEqual(logged);
    });

    it('a correction that conflicts with the county’s change keeps the links until the county decides', async () => {
      const a = t1.create(1);
      await push(t1);
      const b = t2.create(1);
      await push(t2);
      await conflictingReidentification(t1, a.id, 3);
      expect(await links()).toEqual([pairOf(a.id, b.id)]);
      expect(await flagOf(b.id)).toBe(true);
    });
  });

  it('a push that links another tablet’s case logs it for that tablet’s township; a push that changes no other case’s flag logs nothing', async () => {
    const a = t1.create(1);
    await push(t1);
    const cursor = (await pullAll(t1)).cursor;
    const logged = await loggedCases();
    t2.create(2);
    await push(t2);
    expect(await loggedCases()).toEqual(logged);

    const b = t2.create(1);
    expect((await push(t2)).results[0]!.possibleDuplicate).toBe(true);
    expect(await loggedCases()).toEqual([...logged, `${TOWNSHIP.code} ${a.id}`]);
    const pulled = await pullFrom(t1, cursor);
    expect(pulled.caseUpdates).toEqual([expect.objectContaining({ caseId: a.id, serverRevision: 1, possibleDuplicate: true })]);
    // Already flagged: a third case of the number changes A's and B's links but neither flag.
    t3.create(1);
    await push(t3);
    expect(await loggedCases()).toEqual([...logged, `${TOWNSHIP.code} ${a.id}`]);
    expect(await flagOf(b.id)).toBe(true);
  });

  // SQLite serialises writers: the locks exist only on PostgreSQL.
  if (kind === 'postgres') it('the resolution takes the advisory locks of the old and the new ID number, as push does', async () => {
    const a = t1.create(1);
    const b = t1.create(3);
    await push(t1);
    await conflictingReidentification(t1, a.id, 2);
    await conflictingReidentification(t1, b.id, 4);
    // A waits for its old number, B for its new one.
    for (const [caseId, held] of [
      [a.id, idNumberFor(1)],
      [b.id, idNumberFor(4)],
    ] as const) {
      const versionId = (await detail(caseId)).versions.find((v) => v.conflicting)!.id;
      const done = await whileIdLockHeld(held, () => s.admin('POST', `/api/admin/cases/${caseId}/resolve`, { versionId }));
      expect(done.blocked, `waits for the lock of ${held}`).toBe(true);
      expect(done.res.statusCode, done.res.body).toBe(200);
    }
  });
  if (kind === 'postgres') it('a push that changes a case’s ID number takes the advisory locks of the old number and of the linked cases’ numbers first', async () => {
    const a = t1.create(1);
    const b = t1.create(6);
    await push(t1);
    const e = t3.create(5);
    const f = t3.create(7);
    await push(t3);
    // E and F are linked to A and B by their conflicting versions, of A's and B's numbers.
    await conflictingReidentification(t3, e.id, 1);
    await conflictingReidentification(t3, f.id, 6);
    expect(await links()).toEqual([pairOf(a.id, e.id), pairOf(b.id, f.id)].sort());
    // A waits for its old number, B for the number of the case linked to it.
    for (const [caseId, i, held] of [
      [a.id, 2, idNumberFor(1)],
      [b.id, 3, idNumberFor(7)],
    ] as const) {
      t1.reidentify(caseId, i);
      const done = await whileIdLockHeld(
        held,
        () => s.push(t1, cred.get(t1)!),
        // Before the case's row: all its numbers are locked in one sorted go, never one more after the rows.
        async (conn) => {
          const free = await sql<{ n: string }>`select count(*) as n from (select id from cases where id = ${caseId} for update skip locked) r`.execute(conn);
          return Number(free.rows[0]!.n) === 1;
        },
      );
      expect(done.blocked, `waits for the lock of ${held}`).toBe(true);
      expect(done.seen, `waits for ${held} before locking the case's row`).toBe(true);
      expect(done.res.statusCode, done.res.body).toBe(200);
      await t1.acknowledge(bodyOf<PushResponse>(done.res).ackedThroughSeq);
    }
    // Neither open conflict carries the new numbers: both links ended.
    expect(await links()).toEqual([]);
  });
});
