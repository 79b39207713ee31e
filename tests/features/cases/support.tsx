// Cases on a fresh fake-indexeddb database, made through the storage repository, and the screens
// rendered under the real RepositoriesProvider opened on the same database.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { RepositoriesProvider } from '../../../src/app/providers';
import type { CaseFacts } from '../../../src/domain';
import type { Registration } from '../../../src/shared/registration';
import { createCasesRepository, createDeviceRepository, openJiexuDb, type CaseRecord, type CasesRepository, type JiexuDb } from '../../../src/storage';
import { caseFacts, freshName, idNumber, registration, steppingClock } from '../../storage/support';

export { caseFacts, idNumber, registration };

export interface Seeded {
  dbName: string;
  db: JiexuDb;
  repo: CasesRepository;
  records: CaseRecord[];
}

export interface Person {
  name: string;
  id: string;
  facts?: Partial<CaseFacts>;
  registration?: Partial<Registration>;
}

const opened: JiexuDb[] = [];

/** A fresh database with these people registered in order, one minute apart (the last is the newest). */
export async function seed(people: readonly Person[], options: { clerk?: string | null } = {}): Promise<Seeded> {
  const dbName = freshName();
  const db = await openJiexuDb(dbName);
  opened.push(db);
  const repo = createCasesRepository(db, { now: steppingClock() });
  const records: CaseRecord[] = [];
  for (const p of people) {
    const facts = caseFacts({ ...p.facts, person: { idNumber: p.id, femaleCategory: null } });
    records.push(await repo.create({ facts, registration: registration({ name: p.name, ...p.registration }), clerk: '王丽' }));
  }
  const clerk = options.clerk === undefined ? '王丽' : options.clerk;
  if (clerk !== null) await createDeviceRepository(db).setCurrentClerk(clerk);
  return { dbName, db, repo, records };
}

export function closeSeeded(): void {
  for (const db of opened.splice(0)) db.close();
}

export function renderWithRepos(ui: ReactNode, dbName: string): RenderResult {
  return render(<RepositoriesProvider dbName={dbName}>{ui}</RepositoriesProvider>);
}

/** People with distinct names, initials and ID suffixes, born on different days. */
export function people(n: number): Person[] {
  const surnames = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯', '陈'];
  const given = ['伟', '芳', '军', '强', '磊', '洋', '勇', '杰', '涛', '明'];
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
    out.push({ name: `${surnames[i % 10]}${given[Math.floor(i / 10) % 10]}${i >= 100 ? given[Math.floor(i / 100) % 10] : ''}`, id: idNumber(`1968${month}${day}`, String(101 + 2 * (i % 400)).padStart(3, '0')) });
  }
  return out;
}
