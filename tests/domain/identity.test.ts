import { describe, expect, it } from 'vitest';
import { birthMonthOfIdNumber, checkIdNumber, idCheckCharacter, sexOfIdNumber, upgradeIdNumber15 } from '../../src/domain';

describe('GB 11643 ID numbers', () => {
  it.each(['11010519491231002X', '440524188001010014', '53010219200508011X', '150102197003150032'])('the valid sample %s passes', (id) => {
    expect(checkIdNumber(id).valid).toBe(true);
  });

  it('the check character is "10X98765432"[Σ aᵢWᵢ mod 11]', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('44052418800101001')).toBe('4');
    expect(idCheckCharacter('15010219700315003')).toBe('2');
  });

  it('a wrong check character is invalid for checksum', () => {
    expect(checkIdNumber('150102197003150031')).toEqual({ valid: false, reason: 'checksum' });
  });

  it('a lower-case x is accepted and stored upper-case', () => {
    expect(checkIdNumber('11010519491231002x')).toMatchObject({ valid: true, idNumber: '11010519491231002X' });
  });

  it('wrong length, stray characters and impossible birth dates are invalid with their reason', () => {
    expect(checkIdNumber('1501021970031500')).toEqual({ valid: false, reason: 'length' });
    expect(checkIdNumber('15010219700315003A')).toEqual({ valid: false, reason: 'characters' });
    expect(checkIdNumber('1501021970031500X2')).toEqual({ valid: false, reason: 'characters' });
    const feb30 = `15010219700230003`;
    expect(checkIdNumber(feb30 + idCheckCharacter(feb30))).toEqual({ valid: false, reason: 'birth-date' });
  });

  it('birth month and sex come from the number (odd sequence digit = male)', () => {
    expect(checkIdNumber('11010519491231002X')).toMatchObject({ sex: 'female', birth: '1949-12', birthDate: '1949-12-31' });
    expect(sexOfIdNumber('440524188001010014')).toBe('male');
    expect(birthMonthOfIdNumber('440524188001010014')).toBe('1880-01');
    expect(sexOfIdNumber('bad')).toBeNull();
  });

  it('a 15-digit legacy number is upgraded by inserting 19 and computing the check character', () => {
    expect(upgradeIdNumber15('150102660101031')).toBe('150102196601010318');
    expect(checkIdNumber('150102660101031')).toMatchObject({ valid: true, idNumber: '150102196601010318', sex: 'male', birth: '1966-01', upgradedFrom15: true });
    expect(upgradeIdNumber15('15010266010103X')).toBeNull();
  });

  it('the address code need not be a current code', () => {
    const first17 = '15260019700101001';
    expect(checkIdNumber(first17 + idCheckCharacter(first17)).valid).toBe(true);
  });
});
