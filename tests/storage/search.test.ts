import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DBCoreGetManyRequest, DBCoreOpenCursorRequest, DBCoreQueryRequest, Middleware, DBCore } from 'dexie';
import { createCasesRepository, openJiexuDb, type CaseRecord, type CasesRepository, type JiexuDb } from '../../src/storage';
import { caseFacts, freshName, idNumber, registration, steppingClock } from './support';

// Registered in this order, one minute apart: the last is the newest.
const PEOPLE = [
  { name: '张三', id: idNumber('19700315', '003') },
  { name: '李四', id: idNumber('19680720', '013') },
  { name: '张顺', id: idNumber('19750101', '021') },
  { name: '单田芳', id: idNumber('19650101', '031') },
  { name: '乌力吉·巴雅尔', id: idNumber('19720505', '043') },
  { name: '张三丰', id: idNumber('19690909', '053') },
  { name: '王五', id: '15010219701010005X' },
] as const;

let db: JiexuDb;
let repo: CasesRepository;
const made = new Map<string, CaseRecord>();

beforeAll(async () => {
  // The last person's check character must be X for the "ends in X" lookups below.
  expect(PEOPLE[6].id.endsWith('X')).toBe(true);
  db = await openJiexuDb(freshName());
  repo = createCasesRepository(db, { now: steppingClock() });
  for (const p of PEOPLE) {
    made.set(p.name, await repo.create({ facts: caseFacts({ person: { idNumber: p.id } }), registration: registration({ name: p.name }), clerk: '王丽' }));
  }
});

afterEach(() => {
  if (!db.isOpen()) throw new Error('a test closed the shared database');
});

const names = async (query: string, limit?: number) => (await repo.search(query, limit === undefined ? {} : { limit })).map((s) => s.name);

describe('search', () => {
  it('finds a case by its full ID number, typed with spaces or a lower-case x', async () => {
    expect(await names(PEOPLE[1].id)).toEqual(['李四']);
    expect(await names(` ${PEOPLE[6].id.slice(0, 6)} ${PEOPLE[6].id.slice(6).toLowerCase()}`)).toEqual(['王五']);
  });

  it('finds cases by the last four or more digits of the ID number', async () => {
    expect(await names(PEOPLE[3].id.slice(-4))).toEqual(['单田芳']);
    expect(await names(PEOPLE[3].id.slice(-9))).toEqual(['单田芳']);
    expect(await names('005x')).toEqual(['王五']);
  });

  it('finds nothing from fewer than four digits, which would match a tenth of all cases', async () => {
    expect(await names(PEOPLE[3].id.slice(-3))).toEqual([]);
  });

  it('finds cases by the beginning of the name, exact names first, each group newest first', async () => {
    expect(await names('张')).toEqual(['张三丰', '张顺', '张三']);
    expect(await names('张三')).toEqual(['张三', '张三丰']);
    expect(await names('乌力吉巴')).toEqual(['乌力吉·巴雅尔']);
    expect(await names('乌力吉·巴')).toEqual(['乌力吉·巴雅尔']);
  });

  it('finds 张三 by "zs", in either case, and not 李四', async () => {
    expect(await names('zs')).toEqual(['张顺', '张三', '张三丰']);
    expect(await names('ZS')).toEqual(['张顺', '张三', '张三丰']);
    expect(await names('zsf')).toEqual(['张三丰']);
    expect(await names('ls')).toEqual(['李四']);
  });

  it('finds a polyphonic surname by its surname reading and by its common one (单 shàn / dān)', async () => {
    expect(await names('stf')).toEqual(['单田芳']);
    expect(await names('dtf')).toEqual(['单田芳']);
  });

  it('returns at most the limit, keeping exact matches and then the newest', async () => {
    expect(await names('张', 2)).toEqual(['张三丰', '张顺']);
    expect(await names('zs', 1)).toEqual(['张顺']);
    expect(await names('zs', 2)).toEqual(['张顺', '张三']);
  });

  it('returns summaries with case number, status, sync state and the headline figure', async () => {
    const [hit] = await repo.search('李四');
    const record = made.get('李四')!;
    expect(hit).toEqual({
      id: record.id,
      caseNumber: record.caseNumber,
      name: '李四',
      idNumber: PEOPLE[1].id,
      status: 'registered',
      syncState: 'pending',
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      inScope: record.determination.inScope,
      backPayMonths: record.determination.pension?.backPayMonths ?? null,
      // Not yet synced: the county has no status for it.
      lifecycleStatus: null,
    });
  });

  it('finds nothing for an empty query or a name nobody has', async () => {
    expect(await names('   ')).toEqual([]);
    expect(await names('赵')).toEqual([]);
    expect(await names('qq')).toEqual([]);
  });
});

describe('the case list', () => {
  it('pages through all cases newest first', async () => {
    const all = PEOPLE.map((p) => p.name).reverse();
    expect((await repo.listNewest({ offset: 0, limit: 3 })).map((s) => s.name)).toEqual(all.slice(0, 3));
    expect((await repo.listNewest({ offset: 3, limit: 3 })).map((s) => s.name)).toEqual(all.slice(3, 6));
    expect((await repo.listNewest({ offset: 6, limit: 3 })).map((s) => s.name)).toEqual(all.slice(6));
    expect(await repo.count()).toBe(PEOPLE.length);
  });
});

describe('search cost', () => {
  type Read = { table: string; op: string; index: string | null; whole: boolean; keys?: number };

  function recorder(log: Read[]): Middleware<DBCore> {
    return {
      stack: 'dbcore',
      name: 'read-recorder',
      create: (down) => ({
        ...down,
        table(name) {
          const t = down.table(name);
          const describe = (op: string, req: DBCoreQueryRequest | DBCoreOpenCursorRequest): Read => ({
            table: name,
            op,
            index: req.query.index.name || null,
            // DBCoreRangeType.Any (3): the whole table or index.
            whole: req.query.range.type === 3,
          });
          return {
            ...t,
            query: (req: DBCoreQueryRequest) => {
              log.push(describe('query', req));
              return t.query(req);
            },
            openCursor: (req: DBCoreOpenCursorRequest) => {
              log.push(describe('openCursor', req));
              return t.openCursor(req);
            },
            getMany: (req: DBCoreGetManyRequest) => {
              log.push({ table: name, op: 'getMany', index: null, whole: false, keys: req.keys.length });
              return t.getMany(req);
            },
          };
        },
      }),
    };
  }

  it('reads only index ranges and then the few rows it returns, never the whole table', async () => {
    const name = freshName();
    const seeded = await openJiexuDb(name);
    const seedRepo = createCasesRepository(seeded);
    for (let i = 0; i < 30; i++) {
      await seedRepo.create({ facts: caseFacts({ person: { idNumber: idNumber('19700101', String(101 + i * 2)) } }), registration: registration({ name: i % 2 ? '张三' : '李四' }), clerk: '王丽' });
    }
    seeded.close();
    const log: Read[] = [];
    seeded.use(recorder(log));
    await seeded.open();
    const r = createCasesRepository(seeded);

    for (const q of ['张三', 'zs', idNumber('19700101', '103').slice(-4), idNumber('19700101', '101')]) {
      log.length = 0;
      const hits = await r.search(q, { limit: 5 });
      expect(hits.length).toBeGreaterThan(0);
      const scans = log.filter((l) => l.op !== 'getMany');
      expect(scans.length).toBeGreaterThan(0);
      for (const s of scans) expect(s, `query "${q}"`).toMatchObject({ table: 'cases', whole: false });
      expect(scans.every((s) => s.index !== null)).toBe(true);
      expect(log.filter((l) => l.op === 'getMany').every((l) => l.keys! <= 5)).toBe(true);
      // Search reads the light rows only, never the heavy details.
      expect(log.some((l) => l.table === 'caseDetails')).toBe(false);
    }
    seeded.close();
  });
});
