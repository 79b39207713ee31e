import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { DEFAULT_PARAMETERS, fiscalSplitChanges, parseParameterSet, countyRepublishProblems, type ParameterSet } from '../../src/domain/parameters';
import { fiscalSharesInForce, fiscalSplit } from '../../src/domain/fiscal-split';
import { isJiexuError } from '../../src/domain/errors';

const clone = (): ParameterSet => JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as ParameterSet;
const row = (from: string, region: string, league: string, county: string) => ({ from, region, league, county, unit: 'ratio' as const, source: '自治区财政厅 测试', provisional: false });

describe('fiscalSplit: the fiscal share split between 自治区 / 盟市 / 旗县, to the fen', () => {
  // amount (fen), shares, expected parts (fen)
  const table: [number, [string, string, string], [number, number, number]][] = [
    [100000, ['0.5', '0.3', '0.2'], [50000, 30000, 20000]],
    [100, ['0.3333', '0.3333', '0.3334'], [33, 33, 34]],
    [1, ['0.4', '0.3', '0.3'], [1, 0, 0]],
    [2, ['0.34', '0.33', '0.33'], [1, 1, 0]],
    [10, ['0.333', '0.333', '0.334'], [3, 3, 4]],
    [0, ['0.5', '0.3', '0.2'], [0, 0, 0]],
    [1234567, ['0.45', '0.35', '0.2'], [555555, 432099, 246913]],
    [5, ['0', '0.5', '0.5'], [0, 3, 2]],
  ];
  it.each(table)('%i fen at %j: %j', (amount, [region, league, county], expected) => {
    const parts = fiscalSplit(amount, { region, league, county });
    expect([parts.region, parts.league, parts.county]).toEqual(expected);
  });

  it('always adds up to the amount, and each part is its exact share rounded down or up by less than a fen', () => {
    const shares = ['0.37', '0.41', '0.22'] as const;
    for (let amount = 0; amount < 3000; amount += 7) {
      const p = fiscalSplit(amount, { region: shares[0], league: shares[1], county: shares[2] });
      expect(p.region + p.league + p.county).toBe(amount);
      [p.region, p.league, p.county].forEach((part, i) => {
        expect(new Decimal(part).minus(new Decimal(amount).times(shares[i]!)).abs().lessThan(1)).toBe(true);
      });
    }
  });

  it('breaks equal remainders in the order region, league, county, whatever the amount', () => {
    expect(fiscalSplit(2, { region: '0.25', league: '0.25', county: '0.5' })).toEqual({ region: 1, league: 0, county: 1 });
    expect(fiscalSplit(3, { region: '0.25', league: '0.25', county: '0.5' })).toEqual({ region: 1, league: 1, county: 1 });
    expect(fiscalSplit(1, { region: '0', league: '0.5', county: '0.5' })).toEqual({ region: 0, league: 1, county: 0 });
  });

  it('refuses shares that do not add up to one and a negative or fractional amount', () => {
    expect(() => fiscalSplit(100, { region: '0.5', league: '0.3', county: '0.3' })).toThrow(/add up/);
    expect(() => fiscalSplit(-1, { region: '0.5', league: '0.3', county: '0.2' })).toThrow(RangeError);
    expect(() => fiscalSplit(1.5, { region: '0.5', league: '0.3', county: '0.2' })).toThrow(RangeError);
  });
});

describe('the fiscal split ratios as dated parameters (NM43-1.2.b.s4)', () => {
  it('ships no value: asking the default set is not-in-force, never a silent zero', () => {
    expect(DEFAULT_PARAMETERS.fiscalSplit).toBeUndefined();
    let caught: unknown;
    try {
      fiscalSharesInForce(DEFAULT_PARAMETERS, '150100', '2026-03-01');
    } catch (e) {
      caught = e;
    }
    expect(isJiexuError(caught) && caught.code).toBe('not-in-force');
    expect(isJiexuError(caught) && caught.details.parameter).toBe('fiscalSplit');
  });

  it('reads the region’s row in force on the date, and a 盟市’s own row for its counties', () => {
    const p = clone();
    p.fiscalSplit = { region: [row('2020-01-01', '0.5', '0.3', '0.2'), row('2026-01-01', '0.6', '0.2', '0.2')], leagues: { '150200': [row('2026-06-01', '0.6', '0.3', '0.1')] } };
    const set = parseParameterSet(p);
    expect(fiscalSharesInForce(set, '150100', '2025-12-31').shares).toEqual({ region: '0.5', league: '0.3', county: '0.2' });
    expect(fiscalSharesInForce(set, '150100', '2026-01-01').shares).toEqual({ region: '0.6', league: '0.2', county: '0.2' });
    expect(fiscalSharesInForce(set, '150200', '2026-05-31').use.name).toBe('fiscalSplit.region');
    const own = fiscalSharesInForce(set, '150200', '2026-06-01');
    expect(own.shares).toEqual({ region: '0.6', league: '0.3', county: '0.1' });
    expect(own.use.name).toBe('fiscalSplit.150200');
    expect(() => fiscalSharesInForce(set, '150100', '2019-12-31')).toThrow(/first value is from 2020-01-01/);
  });

  it('a published row whose shares do not add up to one, or of an unknown 盟市, is refused naming the field', () => {
    const p = clone();
    p.fiscalSplit = { region: [row('2020-01-01', '0.5', '0.3', '0.3')], leagues: { '9999': [row('2020-01-01', '0.5', '0.3', '0.2')] } };
    expect(() => parseParameterSet(p)).toThrow();
    try {
      parseParameterSet(p);
    } catch (e) {
      const paths = (isJiexuError(e) ? (e.details.problems ?? []) : []).map((x) => x.path);
      expect(paths).toContain('fiscalSplit.region.0');
      expect(paths.some((x) => x.startsWith('fiscalSplit.leagues'))).toBe(true);
    }
  });

  it('is not judged against the shipped pack for a county (it is checked against the set in force), and its changes are named by area', () => {
    const p = clone();
    p.fiscalSplit = { region: [row('2020-01-01', '0.5', '0.3', '0.2')], leagues: { '150200': [row('2026-06-01', '0.6', '0.3', '0.1')] } };
    const set = parseParameterSet(p);
    expect(countyRepublishProblems(set)).toEqual([]);
    expect(fiscalSplitChanges(DEFAULT_PARAMETERS, set)).toEqual({ region: true, leagues: ['150200'] });
    expect(fiscalSplitChanges(set, set)).toEqual({ region: false, leagues: [] });
    const leagueOnly = clone();
    leagueOnly.fiscalSplit = { region: [row('2020-01-01', '0.5', '0.3', '0.2')], leagues: {} };
    expect(fiscalSplitChanges(parseParameterSet(leagueOnly), set)).toEqual({ region: false, leagues: ['150200'] });
  });
});
