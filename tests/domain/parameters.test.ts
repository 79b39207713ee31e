import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, JiexuError, parameterSetSchema, parseParameterSet, type ParameterSet } from '../../src/domain';
import { documentSchema, inForceView, ratio, readPack, series } from '../../src/domain/parameter-declaration';
import { compileParameters, countyRepublishProblems, NM43 } from '../../src/domain/parameters';
import { tryParseMonth } from '../../src/domain/months';
import pack from '../../src/domain/parameters/nm43-default.json';
import previousDefault from './fixtures/default-parameters-nm43-default-2026.1.json';
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

describe('the default pack as a data file (parameters/nm43-default.json)', () => {
  it('publishes the same document as the hand-written pack it replaced: same version, same values, same key order', () => {
    expect(DEFAULT_PARAMETERS.version).toBe('nm43-default-2026.1');
    expect(JSON.stringify(DEFAULT_PARAMETERS, null, 2)).toBe(JSON.stringify(previousDefault, null, 2));
  });

  it('cites a document for every value and says for every parameter whether a county may republish it', () => {
    const leaves: [string, Record<string, unknown>][] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      if ('values' in node) leaves.push([path, node]);
      else for (const [k, v] of Object.entries(node)) walk(v as Record<string, unknown>, path ? `${path}.${k}` : k);
    };
    walk(pack.parameters, '');
    expect(leaves.length).toBe(20);
    for (const [path, leaf] of leaves) {
      expect(typeof leaf.countyMayRepublish, path).toBe('boolean');
      expect(leaf.unit, path).toMatch(/\S/);
      for (const v of leaf.values as { provisional: unknown; citation: { document: string } }[]) {
        expect(typeof v.provisional, path).toBe('boolean');
        expect(v.citation.document, path).toMatch(/\S/);
      }
    }
    const fixedByLaw = leaves.filter(([, l]) => l.countyMayRepublish === false).map(([p]) => p);
    expect(fixedByLaw).toEqual([
      'fixed.militaryInsuranceLawDate',
      'fixed.socialInsuranceLawDate',
      'fixed.applicationDeadline',
      'fixed.noticeDate',
      'fixed.extensionCapMonths',
      'fixed.baseWageShare',
      'retirement',
      'minimumPensionMonths',
      'fiscalSplit',
    ]);
  });

  it('is refused when a parameter does not say whether a county may republish it, or is not declared', () => {
    const copy = JSON.parse(JSON.stringify(pack)) as typeof pack & { parameters: { fixed: Record<string, unknown> } };
    delete (copy.parameters.fixed.noticeDate as { countyMayRepublish?: boolean }).countyMayRepublish;
    copy.parameters.fixed.lateFeeRate = copy.parameters.fixed.baseWageShare;
    try {
      readPack(NM43, copy);
      expect.unreachable('the pack was read');
    } catch (e) {
      expect((e as JiexuError).lines()).toEqual([
        'parameters.fixed.noticeDate.countyMayRepublish: say whether a county may publish its own values (true or false)',
        'parameters.fixed.lateFeeRate: not a declared parameter: declare it before publishing it',
      ]);
    }
  });

  it('gives no value for a month before a parameter’s first entry: not-in-force, never zero', () => {
    const now = compileParameters(DEFAULT_PARAMETERS).inForce(tryParseMonth('2016-04')!);
    expect(now.pensionIndividualRate().value.text).toBe('0.08');
    expect(() => now.pensionUnitRate()).toThrow(expect.objectContaining({ code: 'not-in-force', details: expect.objectContaining({ parameter: 'rate.pension.unit', firstFrom: '2016-05-01' }) }));
    expect(() => now.medicalUnitRate()).toThrow(expect.objectContaining({ code: 'not-in-force' }));
  });
});

describe('a parameter added to a copy of the declaration', () => {
  const declaration = {
    ...NM43,
    rates: { ...NM43.rates, pension: { ...NM43.rates.pension, lateFee: series(ratio, { accessor: 'pensionLateFeeRate', name: 'rate.pension.lateFee' }) } },
  };
  const withLateFee = JSON.parse(JSON.stringify(pack)) as { parameters: { rates: { pension: Record<string, unknown> } } };
  withLateFee.parameters.rates.pension.lateFee = {
    unit: 'ratio',
    countyMayRepublish: true,
    values: [{ from: '2020-01-01', value: '0.0005', provisional: true, citation: { document: 'test', article: '第一条' } }],
  };
  const document = readPack(declaration, withLateFee).document;

  it('is in the published document with its unit and source, and the schema of that declaration requires it', () => {
    expect(document.rates.pension.lateFee).toEqual([{ from: '2020-01-01', value: '0.0005', unit: 'ratio', source: 'test 第一条', provisional: true }]);
    const schema = documentSchema(declaration);
    expect(schema.safeParse(document).success).toBe(true);
    const without = JSON.parse(JSON.stringify(document)) as { rates: { pension: { lateFee?: unknown } } };
    delete without.rates.pension.lateFee;
    expect(schema.safeParse(without).error?.issues.map((i) => i.path.join('.'))).toEqual(['rates.pension.lateFee']);
    const badRate = JSON.parse(JSON.stringify(document)) as typeof document;
    badRate.rates.pension.lateFee[0]!.value = '2';
    expect(schema.safeParse(badRate).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['rates.pension.lateFee.0.value: must be between 0 and 1']);
  });

  it('is not in the program’s own schema, which refuses it as an unknown field', () => {
    expect(parameterSetSchema.safeParse(document).success).toBe(false);
  });

  it('is read by the in-force view under its accessor, with its provenance, and is not-in-force before its first date', () => {
    const at = inForceView(declaration, document);
    const fee = at(tryParseMonth('2024-06')!).pensionLateFeeRate();
    expect(fee.value).toEqual({ units: 5, scale: 10000, text: '0.0005' });
    expect(fee.use).toEqual({ name: 'rate.pension.lateFee', value: '0.0005', unit: 'ratio', from: '2020-01-01', source: 'test 第一条', provisional: true });
    expect(at(tryParseMonth('2024-06')!).pensionUnitRate().value.text).toBe('0.16');
    expect(() => at(tryParseMonth('2019-12')!).pensionLateFeeRate()).toThrow(expect.objectContaining({ code: 'not-in-force', details: expect.objectContaining({ parameter: 'rate.pension.lateFee' }) }));
  });

  it('may not take an accessor another parameter already has', () => {
    const clash = { ...declaration, fixed: { ...NM43.fixed, other: series(ratio, { accessor: 'pensionLateFeeRate' }) } };
    expect(() => readPack(clash, withLateFee)).toThrow('two series are read as pensionLateFeeRate');
  });
});

describe('what a county may republish', () => {
  const county = (change: (p: ParameterSet) => void): ParameterSet => {
    const p = clone();
    p.version = 'county-2027.1';
    change(p);
    return parseParameterSet(p);
  };

  it('wages, rates, conventions and provisional figures: a county publishes its own', () => {
    const p = county((p) => {
      p.wages.region.push({ year: 2026, value: '8700.00', unit: 'CNY/month', source: '县局 2027', provisional: false });
      p.rates.medical.unit.push({ from: '2027-01-01', value: '0.075', unit: 'ratio', source: '县局 2027', provisional: false });
      p.conventions.amountRounding[0]!.value = 'monthly';
      p.medicalRequiredMonths.male[0]!.value = 360;
    });
    expect(countyRepublishProblems(p)).toEqual([]);
  });

  it('may reword the citation of a value fixed by law, but not change it', () => {
    expect(countyRepublishProblems(county((p) => void (p.fixed.militaryInsuranceLawDate[0]!.source = '军人保险法第五十二条')))).toEqual([]);
  });

  it('a date fixed by law, a figure of the notice itself or the retirement rules: refused, naming the field and what it must stay', () => {
    const p = county((p) => {
      p.fixed.militaryInsuranceLawDate[0]!.value = '2013-07-01';
      p.fixed.noticeDate[0]!.from = '2019-07-01';
      p.fixed.applicationDeadline.push({ from: '2027-01-01', value: '2027-06-30', unit: 'date', source: '县局 2027', provisional: false });
      p.fixed.baseWageShare[0]!.value = '0.50';
      p.retirement.male.capMonths = 60;
    });
    expect(countyRepublishProblems(p)).toEqual([
      { path: 'fixed.militaryInsuranceLawDate', message: 'set by 中华人民共和国军人保险法 第五十二条（2012年7月1日起施行）, which a county cannot change: keep 2012-07-01 from 2012-07-01' },
      { path: 'fixed.applicationDeadline', message: 'set by 内政办字〔2019〕43号 一（四）, which a county cannot change: keep 2019-12-31 from 2019-01-01' },
      { path: 'fixed.noticeDate', message: 'set by 内政办字〔2019〕43号（2019年7月11日）, which a county cannot change: keep 2019-07-11 from 2019-01-01' },
      { path: 'fixed.baseWageShare', message: 'set by 内政办字〔2019〕43号 一（三）, which a county cannot change: keep 0.60 from 2019-01-01' },
      {
        path: 'retirement',
        message: 'set by 全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）及《国务院关于渐进式延迟法定退休年龄的办法》, which a county cannot change: keep the values the program ships',
      },
    ]);
  });
});
