import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, JiexuError, parameterSetSchema, parseParameterSet, type ParameterSet } from '../../src/domain';
import { baseCase } from './support/cases';

const clone = (): ParameterSet => JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as ParameterSet;

function problemsOf(p: unknown): string[] {
  try {
    parseParameterSet(p);
  } catch (e) {
    if (e instanceof JiexuError && e.code === 'invalid-parameters') return e.lines();
    throw e;
  }
  return [];
}

describe('the default parameter pack', () => {
  it('is one document that validates against the published schema, with a version id', () => {
    expect(parameterSetSchema.safeParse(DEFAULT_PARAMETERS).success).toBe(true);
    expect(DEFAULT_PARAMETERS.version).toMatch(/\S/);
  });

  it('is used as written: parsing it gives the same document (it is not parsed at each start)', () => {
    expect(parseParameterSet(DEFAULT_PARAMETERS)).toStrictEqual(JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)));
  });

  it('cannot be changed by a caller for the next one', () => {
    expect(() => {
      (DEFAULT_PARAMETERS.rates.pension.unit[0] as { value: string }).value = '0.5';
    }).toThrow(TypeError);
    expect(DEFAULT_PARAMETERS.rates.pension.unit[0]!.value).not.toBe('0.5');
  });

  it('survives a trip through JSON (a device stores it and reads it back) with the same determinations', () => {
    const stored = parseParameterSet(JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)));
    expect(evaluate(baseCase(), stored)).toEqual(evaluate(baseCase(), DEFAULT_PARAMETERS));
  });

  it('dates every value and gives it a unit and a source', () => {
    const series = [
      ...Object.values(DEFAULT_PARAMETERS.fixed),
      ...Object.values(DEFAULT_PARAMETERS.conventions),
      DEFAULT_PARAMETERS.rates.pension.unit,
      DEFAULT_PARAMETERS.rates.pension.individual,
      DEFAULT_PARAMETERS.rates.medical.unit,
      DEFAULT_PARAMETERS.rates.medical.individual,
      DEFAULT_PARAMETERS.medicalRequiredMonths.male,
      DEFAULT_PARAMETERS.medicalRequiredMonths.female,
    ];
    for (const s of series) {
      for (const e of s) {
        expect(e.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(e.unit).not.toBe('');
        expect(e.source).not.toBe('');
      }
    }
  });

  it('holds the values of parameters.md, provisional where it says so', () => {
    const p = DEFAULT_PARAMETERS;
    expect(p.rates.pension.unit.map((e) => [e.from, e.value, e.provisional])).toEqual([
      ['2016-05-01', '0.20', true],
      ['2019-05-01', '0.16', false],
    ]);
    expect(p.rates.pension.individual.map((e) => [e.from, e.value, e.provisional])).toEqual([['2006-01-01', '0.08', false]]);
    expect(p.rates.medical.unit[0]).toMatchObject({ from: '2019-01-01', value: '0.08', provisional: true });
    expect(p.rates.medical.individual[0]).toMatchObject({ from: '2019-01-01', value: '0.02', provisional: true });
    expect(p.wages.region.map((r) => [r.year, r.value])).toEqual([
      [2018, '6131.25'],
      [2019, '6508.67'],
      [2020, '6344.00'],
      [2021, '6751.42'],
      [2022, '7469.17'],
      [2023, '8105.00'],
      [2024, '8179.00'],
      [2025, '8430.00'],
    ]);
    expect(p.wages.region.every((r) => r.provisional)).toBe(true);
    expect(p.medicalRequiredMonths.male[0]).toMatchObject({ value: 300, provisional: true });
    expect(p.medicalRequiredMonths.female[0]).toMatchObject({ value: 240, provisional: true });
    expect(p.fixed.applicationDeadline[0]?.value).toBe('2019-12-31');
    expect(p.fixed.extensionCapMonths[0]?.value).toBe(60);
    expect(p.fixed.baseWageShare[0]?.value).toBe('0.60');
    expect(p.conventions.amountRounding[0]).toMatchObject({ value: 'total', convention: true });
  });
});

describe('a parameter set a county publishes', () => {
  it('is refused when a series is not in date order', () => {
    const p = clone();
    p.rates.pension.unit.reverse();
    expect(problemsOf(p)).toEqual(['rates.pension.unit.1.from: dates must be strictly increasing']);
  });

  it('is refused with a rate above 1, a value without source, a wage with three decimals, or an unknown 盟市', () => {
    const p = clone();
    p.rates.medical.unit[0]!.value = '1.5';
    p.rates.medical.individual[0]!.source = '';
    p.wages.region[0]!.value = '6131.255';
    p.wages.leagues['159900'] = [];
    const problems = problemsOf(p);
    expect(problems).toContain('rates.medical.unit.0.value: must be between 0 and 1');
    expect(problems).toContain('rates.medical.individual.0.source: a source citation is required');
    expect(problems).toContain('wages.region.0.value: not a yuan amount with at most two decimals');
    expect(problems.some((l) => l.startsWith('wages.leagues.159900'))).toBe(true);
  });

  it('is refused when it names a convention this engine does not know, or a wage year twice', () => {
    const p = clone() as unknown as { conventions: { baseRounding: { value: string }[] }; wages: { region: unknown[] } };
    p.conventions.baseRounding[0]!.value = 'bankers';
    p.wages.region.push(p.wages.region[0]);
    const problems = problemsOf(p);
    expect(problems.some((l) => l.startsWith('conventions.baseRounding.0.value'))).toBe(true);
    expect(problems).toContain('wages.region.8.year: wage year 2018 appears twice');
  });

  it('is refused when it is of another format or carries unknown fields', () => {
    expect(problemsOf({ ...clone(), format: 'other/2' }).length).toBeGreaterThan(0);
    expect(problemsOf({ ...clone(), surprise: true }).length).toBeGreaterThan(0);
  });

  it('can add a new wage year, which makes the next as-of year computable', () => {
    const p = clone();
    p.wages.region.push({ year: 2026, value: '8700.00', unit: 'CNY/month', source: 'test: published 2027', provisional: false });
    p.version = 'county-2027.1';
    const d = evaluate(baseCase({ asOf: '2027-03-01' }), parseParameterSet(p));
    expect(d.pension?.baseMonthly).toBe('5220.00');
    expect(d.parametersVersion).toBe('county-2027.1');
    expect(d.provisional).not.toContain('wage.region.2026');
  });
});
