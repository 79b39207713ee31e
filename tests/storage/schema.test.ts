import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/storage/db';
import { checkSchemaRegistry, type SchemaVersion } from '../../src/storage/schema';
import {
  LATEST_SCHEMA_VERSION,
  SCHEMA_VERSIONS,
  createCasesRepository,
  createDraftsRepository,
  installedSchemaVersion,
  isStorageError,
  onVersionChange,
  openJiexuDb,
  storageMessageZh,
  type JiexuDb,
  type StorageError,
} from '../../src/storage';
import { caseFacts, freshName, registration } from './support';

let toClose: Dexie[] = [];
afterEach(() => {
  for (const d of toClose) d.close();
  toClose = [];
});
function track<T extends Dexie>(d: T): T {
  toClose.push(d);
  return d;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** The tables and indexes of an open database, as IndexedDB itself reports them. */
function installedLayout(db: Dexie): Record<string, string[]> {
  const idb = db.backendDB();
  const tx = idb.transaction([...idb.objectStoreNames], 'readonly');
  const out: Record<string, string[]> = {};
  for (const name of idb.objectStoreNames) {
    const store = tx.objectStore(name);
    out[name] = [String(store.keyPath), ...[...store.indexNames].map((i) => {
      const index = store.index(i);
      return `${index.unique ? '&' : ''}${index.multiEntry ? '*' : ''}${String(index.keyPath)}`;
    })].sort();
  }
  return out;
}

function declaredLayout(v: SchemaVersion): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [table, spec] of Object.entries(v.stores)) {
    if (spec !== null) out[table] = spec.split(',').map((s) => s.trim()).sort();
  }
  return out;
}

/**
 * One upgrade test per schema version: it writes data as the previous version stored it, opens the
 * database at this version, and checks the data came through. A new version without an entry here
 * fails "every schema version has an upgrade test".
 */
const UPGRADE_TESTS: Record<number, { title: string; run: () => Promise<void> }> = {
  1: {
    title: 'version 1 is created from nothing on a new device, with every table and index it declares, empty',
    run: async () => {
      const name = freshName();
      expect(await installedSchemaVersion(name)).toBeNull();
      const db = track(await openDatabase(name, SCHEMA_VERSIONS.slice(0, 1)));
      expect(db.verno).toBe(1);
      expect(installedLayout(db)).toEqual(declaredLayout(SCHEMA_VERSIONS[0]!));
      for (const table of db.tables) expect(await table.count(), table.name).toBe(0);
    },
  },
  2: {
    title: 'version 2 indexes the audit entries of version 1 the county has not acknowledged, and only those, in id order',
    run: async () => {
      const name = freshName();
      // Written as version 1 stored them: by an app that knew no marker.
      const v1 = new Dexie(name);
      v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores);
      await v1.open();
      const entry = (id: string, sentAt?: string) => ({
        id,
        at: '2024-05-01T08:00:00.000Z',
        actor: '王丽',
        deviceId: 'K7Q2MX3B',
        action: 'shift.start',
        caseId: null,
        caseNumber: null,
        revision: null,
        changes: [],
        reason: null,
        ...(sentAt ? { sentAt } : {}),
      });
      const [a, b, c] = ['018f3000-0000-7000-8000-000000000001', '018f3000-0000-7000-8000-000000000002', '018f3000-0000-7000-8000-000000000003'];
      await v1.table('audit').bulkAdd([entry(c!), entry(a!, '2024-05-01T09:00:00.000Z'), entry(b!)]);
      v1.close();

      const db = track(await openJiexuDb(name));
      expect(db.verno).toBe(2);
      expect(installedLayout(db)).toEqual(declaredLayout(SCHEMA_VERSIONS[1]!));
      expect(await db.audit.where('unsent').equals(1).primaryKeys()).toEqual([b, c]);
      expect(await db.audit.get(a!)).toEqual(entry(a!, '2024-05-01T09:00:00.000Z'));
      // And an entry written from now on is in the index from the start.
      await db.audit.add({ ...entry('018f3000-0000-7000-8000-000000000004'), action: 'case.create' });
      expect(await db.audit.where('unsent').equals(1).count()).toBe(3);
    },
  },
};

describe('schema versions', () => {
  it('run 1, 2, 3 … without a gap, the last being the version the app opens', () => {
    expect(() => checkSchemaRegistry(SCHEMA_VERSIONS)).not.toThrow();
    expect(SCHEMA_VERSIONS.map((v) => v.version)).toEqual(SCHEMA_VERSIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(SCHEMA_VERSIONS.length);
  });

  it('a registry with a gap or a version without tables is refused', () => {
    const [v1] = SCHEMA_VERSIONS;
    expect(() => checkSchemaRegistry([v1!, { ...v1!, version: 3 }])).toThrow(/entry 1 is version 3, expected 2/);
    expect(() => checkSchemaRegistry([{ ...v1!, stores: {} }])).toThrow(/declares no tables/);
    expect(() => checkSchemaRegistry([])).toThrow(/empty/);
  });

  it('every schema version has an upgrade test', () => {
    expect(Object.keys(UPGRADE_TESTS).map(Number)).toEqual(SCHEMA_VERSIONS.map((v) => v.version));
  });

  for (const v of SCHEMA_VERSIONS) {
    const test = UPGRADE_TESTS[v.version];
    it(test ? test.title : `version ${v.version} has no upgrade test`, async () => {
      if (!test) throw new Error(`add an upgrade test for schema version ${v.version} to UPGRADE_TESTS`);
      await test.run();
    });
  }
});

// A version after the latest that exists only in these tests, to exercise the mechanism a real next
// version will use: a new index and an upgrade step that rewrites rows of the version before.
const LATEST = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!;
function nextVersion(upgrade: SchemaVersion['upgrade']): SchemaVersion[] {
  return [
    ...SCHEMA_VERSIONS,
    {
      version: LATEST_SCHEMA_VERSION + 1,
      description: 'test only: index cases by sync state',
      stores: { ...LATEST.stores, cases: `${LATEST.stores.cases}, syncState` },
      upgrade,
    },
  ];
}

describe('the upgrade mechanism', () => {
  it('runs a later version’s upgrade step on data of the version before it, and the new index serves queries', async () => {
    const name = freshName();
    const v1 = await openJiexuDb(name);
    const created = await createCasesRepository(v1).create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    v1.close();

    const upgraded = track(
      await openDatabase(
        name,
        nextVersion(async (tx) => {
          await tx.table('cases').toCollection().modify((row: { syncState: string }) => {
            row.syncState = 'synced';
          });
        }),
      ),
    );
    expect(upgraded.verno).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(await upgraded.cases.where('syncState').equals('synced').primaryKeys()).toEqual([created.id]);
    expect(await createCasesRepository(upgraded).get(created.id)).toEqual({ ...created, syncState: 'synced' });
  });

  it('an upgrade step that fails leaves the database at the version before, with its data', async () => {
    const name = freshName();
    const v1 = await openJiexuDb(name);
    const created = await createCasesRepository(v1).create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    v1.close();

    const e = (await rejection(
      openDatabase(
        name,
        nextVersion(async (tx) => {
          await tx.table('cases').clear();
          throw new Error('step failed');
        }),
      ),
    )) as StorageError;
    expect(e.code).toBe('database-upgrade-failed');
    expect(e.details).toEqual({ installedVersion: LATEST_SCHEMA_VERSION, supportedVersion: LATEST_SCHEMA_VERSION + 1 });
    expect((e.cause as Error).message).toBe('step failed');
    expect(storageMessageZh(e)).toContain('数据保持原样');

    expect(await installedSchemaVersion(name)).toBe(LATEST_SCHEMA_VERSION);
    const again = track(await openJiexuDb(name));
    expect(await createCasesRepository(again).get(created.id)).toEqual(created);
  });
});

describe('the installed version', () => {
  it('of a device with no database is none, and asking leaves no database behind', async () => {
    const name = freshName();
    expect(await installedSchemaVersion(name)).toBeNull();
    expect(await installedSchemaVersion(name)).toBeNull();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name);
  });

  it('is the version Dexie declared, read without opening it at a version', async () => {
    const name = freshName();
    const older = new Dexie(name);
    older.version(1).stores({ cases: 'id' });
    await older.open();
    older.close();
    expect(await installedSchemaVersion(name)).toBe(1);
    const check = track(new Dexie(name));
    await check.open();
    expect(check.verno).toBe(1);
  });
});

describe('a database written by a newer app', () => {
  it('is refused with database-newer-than-app and a Chinese message, and left untouched', async () => {
    const name = freshName();
    const newer = new Dexie(name);
    newer.version(LATEST_SCHEMA_VERSION + 5).stores({ cases: 'id, somethingNew', ledger: 'id' });
    await newer.open();
    await newer.table('ledger').add({ id: 'a', note: 'written by a future app' });
    newer.close();

    const e = await rejection(openJiexuDb(name));
    expect(isStorageError(e)).toBe(true);
    const err = e as StorageError;
    expect(err.code).toBe('database-newer-than-app');
    expect(err.details).toEqual({ installedVersion: LATEST_SCHEMA_VERSION + 5, supportedVersion: LATEST_SCHEMA_VERSION });
    expect(storageMessageZh(err)).toContain('更新版本的程序');

    const check = track(new Dexie(name));
    await check.open();
    expect(check.verno).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(check.tables.map((t) => t.name).sort()).toEqual(['cases', 'ledger']);
    expect(await check.table('ledger').get('a')).toEqual({ id: 'a', note: 'written by a future app' });
  });
});

describe('another tab opening a newer version', () => {
  it('is reported to this tab, which keeps saving drafts until it lets go, and then the upgrade proceeds', async () => {
    const name = freshName();
    const mine: JiexuDb = await openJiexuDb(name);
    const seen: (number | null)[] = [];
    onVersionChange(mine, (info) => seen.push(info.newVersion));

    let blocked = false;
    const theirs = openDatabase(name, nextVersion(async () => undefined), { onBlocked: () => (blocked = true) });
    await vi.waitFor(() => expect(seen).toEqual([LATEST_SCHEMA_VERSION + 1]));
    await vi.waitFor(() => expect(blocked).toBe(true));

    // Still open: the clerk's input is not lost while he decides to reload.
    const drafts = createDraftsRepository(mine);
    await drafts.save('intake:new', { name: '张三' });
    expect((await drafts.load('intake:new'))?.value).toEqual({ name: '张三' });

    // A listener that subscribes late (a screen mounted after the event) is told at once.
    const late = vi.fn();
    onVersionChange(mine, late);
    expect(late).toHaveBeenCalledWith({ newVersion: LATEST_SCHEMA_VERSION + 1 });

    mine.close();
    const upgraded = track(await theirs);
    expect(upgraded.verno).toBe(LATEST_SCHEMA_VERSION + 1);
    expect((await createDraftsRepository(upgraded).load('intake:new'))?.value).toEqual({ name: '张三' });
  });
});
