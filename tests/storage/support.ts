// Factories for storage tests: valid ID numbers, case facts, registrations, fresh databases.

import { idCheckCharacter, type CaseFacts } from '../../src/domain';
import { openJiexuDb, type JiexuDb } from '../../src/storage';
import { testRegistration } from '../support/factories';

/** A valid 18-digit ID number: area code, birth date YYYYMMDD, 3-digit sequence (odd = male). */
export function idNumber(birth: string, sequence: string, area = '150102'): string {
  const first17 = `${area}${birth}${sequence}`;
  return first17 + idCheckCharacter(first17);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function caseFacts(over: DeepPartial<CaseFacts> = {}): CaseFacts {
  return {
    asOf: over.asOf ?? '2019-09-15',
    applicationDate: over.applicationDate ?? '2019-08-20',
    person: { idNumber: idNumber('19700315', '003'), femaleCategory: null, ...over.person },
    service: { enlistment: '1988-03', discharge: '1992-12', militarySubsidyReceived: false, ...over.service },
    placement: { countyCode: '150102', unitExists: true, unitCanPay: true, superiorExists: true, superiorCanPay: true, ...over.placement },
    pension: { insuredAtEnlistment: false, firstInsured: null, periods: [{ from: '1993-01', to: '2001-06' }], agencyGapMonths: null, ...over.pension },
    medical: { periods: [], ...over.medical },
    assistance: { dibao: false, tekun: false, ...over.assistance },
  };
}

export const registration = testRegistration;

export function freshName(): string {
  return `jiexu-test-${crypto.randomUUID()}`;
}

export async function freshDb(): Promise<JiexuDb> {
  return openJiexuDb(freshName());
}

/** A clock that moves one minute per reading, from 2024-05-01 08:00 UTC. */
export function steppingClock(start = Date.UTC(2024, 4, 1, 8, 0, 0), stepMs = 60_000): () => Date {
  let t = start - stepMs;
  return () => {
    t += stepMs;
    return new Date(t);
  };
}
