// Sentence-named tests of each rule and boundary of policy-rules.md.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, JiexuError, messageZh, type CaseFacts, type Determination } from '../../src/domain';
import { baseCase, makeId } from './support/cases';
import { paramsWith } from './support/params';

const run = (c: CaseFacts, p = DEFAULT_PARAMETERS): Determination => evaluate(c, p);
const codes = (d: Determination) => d.warnings.map((w) => w.code);

function thrown(f: () => unknown): JiexuError {
  try {
    f();
  } catch (e) {
    if (e instanceof JiexuError) return e;
    throw e;
  }
  throw new Error('expected a JiexuError');
}

describe('regime at the 2012-07-01 boundary (NM43-1.1.a)', () => {
  const discharged = (discharge: string, subsidy: boolean) =>
    run(baseCase({ service: { enlistment: '2008-12', discharge, militarySubsidyReceived: subsidy }, pension: { periods: [] } }));

  it('a soldier discharged in 2012-06 has his 军龄 deemed contribution time, with or without the subsidy', () => {
    expect(discharged('2012-06', false).regime).toBe('deemed');
    expect(discharged('2012-06', true).regime).toBe('deemed');
    expect(discharged('2012-06-30', false).militaryMonths).toBe(42);
  });

  it('a soldier discharged in 2012-07 with the national subsidy has his 军龄 combined with contribution time', () => {
    const d = discharged('2012-07-01', true);
    expect(d.inScope).toBe(true);
    expect(d.regime).toBe('combined');
    expect(d.militaryMonths).toBe(43);
  });

  it('a soldier discharged in 2012-07 without the subsidy is out of scope as post-2012-without-subsidy, with only identity filled', () => {
    const d = discharged('2012-07', false);
    expect(d.inScope).toBe(false);
    expect(d.outOfScopeReasons).toEqual(['post-2012-without-subsidy']);
    expect(d.identity?.idNumber).toBe('150102197003150032');
    expect([d.regime, d.retirement, d.pension, d.medical, d.routing, d.militaryMonths]).toEqual([null, null, null, null, null, null]);
  });
});

describe('scope (NM43-1.1.a, NM43-1.4.b)', () => {
  it('a discharge in the month of enlistment is not after enlistment: bad-service-dates', () => {
    expect(run(baseCase({ service: { enlistment: '1988-03', discharge: '1988-03' } })).outOfScopeReasons).toEqual(['bad-service-dates']);
  });

  it('a discharge after the application month is bad-service-dates, one in the application month is fine', () => {
    expect(run(baseCase({ applicationDate: '2019-08-20', service: { discharge: '2019-09' } })).outOfScopeReasons).toContain('bad-service-dates');
    expect(run(baseCase({ applicationDate: '2019-08-20', asOf: '2019-09-01', service: { discharge: '2019-08', militarySubsidyReceived: true } })).inScope).toBe(true);
  });

  it('every failed condition is listed, and an invalid ID number leaves identity empty with the reason it is invalid', () => {
    const d = run(baseCase({ person: { idNumber: '150102197003150031' }, service: { enlistment: '2013-01', discharge: '2016-12' } }));
    expect([...d.outOfScopeReasons].sort()).toEqual(['invalid-id-number', 'post-2012-without-subsidy']);
    expect(d.identity).toBeNull();
    expect(d.idNumberProblem).toBe('checksum');
  });

  it('an ID number of the wrong length is out of scope, not an input error', () => {
    const d = run(baseCase({ person: { idNumber: '15010219700315003' } }));
    expect(d.outOfScopeReasons).toEqual(['invalid-id-number']);
    expect(d.idNumberProblem).toBe('length');
  });

  it('a legacy 15-digit number is upgraded and used', () => {
    const d = run(baseCase({ person: { idNumber: '150102660101031' } }));
    expect(d.identity).toMatchObject({ idNumber: '150102196601010318', birth: '1966-01', sex: 'male', upgradedFrom15: true });
  });
});

describe('first insured month and the 2011-07-01 boundary (NM43-1.1.a, NM43-1.1.c)', () => {
  // Enlisted 2011-07 already insured, discharged 2013-07 with the subsidy (24 months), born 1964-01:
  // retired 2024-01, no periods → cumulative 24 + 0 + 24 = 48, short of 180 by 132 months.
  const retiredShort = (firstInsured: string) =>
    run(
      baseCase({
        asOf: '2024-06-01',
        applicationDate: '2019-09-01',
        person: { idNumber: makeId('1964-01-15', 'male') },
        service: { enlistment: '2011-07', discharge: '2013-07', militarySubsidyReceived: true },
        pension: { insuredAtEnlistment: true, firstInsured, periods: [] },
      }),
    );

  it('someone not insured at enlistment has the enlistment month as first insured month', () => {
    expect(run(baseCase()).pension?.firstInsured).toBe('1988-03');
    expect(run(baseCase()).pension?.firstInsuredSource).toBe('enlistment');
  });

  it('first insured in 2011-06 (before the law): extension capped at 60 months, the rest paid at once', () => {
    const p = retiredShort('2011-06').pension!;
    expect(p.cumulativeMonths).toBe(48);
    expect(p.shortfallMonths).toBe(132);
    expect(p.extensionMonths).toBe(60);
    expect(p.oneTimeMonths).toBe(72);
    expect(p.firstInsuredSource).toBe('recorded');
  });

  it('first insured in 2011-07 (from the law on): the whole shortfall is extension, no one-time payment', () => {
    const p = retiredShort('2011-07').pension!;
    expect(p.shortfallMonths).toBe(132);
    expect(p.extensionMonths).toBe(132);
    expect(p.oneTimeMonths).toBe(0);
  });

  it('a person still short after back-payment gets still-short-after-payment citing 三（三）', () => {
    const d = retiredShort('2011-06');
    expect(d.warnings).toContainEqual({ code: 'still-short-after-payment', rule: 'NM43-3.3', sentences: ['NM43-3.3.s2'], scheme: 'pension', months: 132 });
  });
});

describe('retirement reached at the as-of month (RA-2024, NM43-1.1.c, NM43-1.5)', () => {
  // Born 1962-11: retires at 60 in 2022-11.
  const asOf = (date: string) =>
    run(
      baseCase({
        asOf: date,
        person: { idNumber: makeId('1962-11-08', 'male') },
        service: { enlistment: '1980-11', discharge: '1983-10' },
        pension: { periods: [{ from: '1984-01', to: '1990-12' }] },
      }),
    );

  it('one month before the retirement month: not reached, no shortfall figures, medical not payable', () => {
    const d = asOf('2022-10-31');
    expect(d.retirement).toMatchObject({ month: '2022-11', reached: false });
    expect(d.pension).toMatchObject({ shortfallMonths: 0, extensionMonths: 0, oneTimeMonths: 0 });
    expect(d.medical).toMatchObject({ payableNow: false, unitAmount: null, individualAmount: null, fiscalMonths: 0, uncoveredUnitAmount: '0.00' });
  });

  it('in the retirement month: reached, shortfall computed, medical payable now', () => {
    const d = asOf('2022-11-01');
    expect(d.retirement).toMatchObject({ month: '2022-11', reached: true });
    expect(d.pension?.shortfallMonths).toBe(180 - d.pension!.cumulativeMonths);
    expect(d.medical?.payableNow).toBe(true);
    expect(d.medical?.unitAmount).not.toBeNull();
  });

  it('the estimated gap stops at the retirement month once it is reached', () => {
    const before = asOf('2022-10-01').pension!;
    const at = asOf('2022-11-01').pension!;
    const after = asOf('2024-05-01').pension!;
    expect(at.gapMonths).toBe(before.gapMonths + 1);
    expect(after.gapMonths).toBe(at.gapMonths);
  });
});

describe('routing of materials and payer of the unit share (NM43-1.2.b, NM43-1.4.a)', () => {
  const placed = (unitExists: boolean, unitCanPay: boolean, superiorExists: boolean, superiorCanPay: boolean) =>
    run(baseCase({ placement: { unitExists, unitCanPay, superiorExists, superiorCanPay } }));

  it('a unit that exists and can pay receives the materials and pays', () => {
    const d = placed(true, true, true, true);
    expect([d.routing, d.pension?.unitPayer, d.medical?.unitPayer]).toEqual(['unit', 'unit', 'unit']);
    expect(codes(d)).not.toContain('payer-confirmation-required');
  });

  it('a unit that exists but cannot pay still receives the materials, while its superior pays', () => {
    const d = placed(true, false, true, true);
    expect([d.routing, d.pension?.unitPayer]).toEqual(['unit', 'superior']);
    expect(codes(d)).toContain('payer-confirmation-required');
  });

  it('a unit that exists but cannot pay, with a superior that cannot pay either: materials to the unit, fiscal funds pay', () => {
    const d = placed(true, false, true, false);
    expect([d.routing, d.pension?.unitPayer, d.medical?.unitPayer]).toEqual(['unit', 'fiscal', 'fiscal']);
  });

  it('a unit that is gone sends the materials to its superior; with no superior to the department', () => {
    expect(placed(false, false, true, false).routing).toBe('superior');
    expect(placed(false, false, true, false).pension?.unitPayer).toBe('fiscal');
    expect(placed(false, false, false, false).routing).toBe('department');
  });
});

describe('contribution periods (policy-rules.md "Units and dates", pension step 2)', () => {
  it('overlapping periods count each month once, with a warning', () => {
    const d = run(baseCase({ pension: { periods: [{ from: '1993-01', to: '1995-12' }, { from: '1995-01', to: '1997-06' }] } }));
    expect(d.pension?.paidMonths).toBe(54);
    expect(d.warnings).toContainEqual({ code: 'periods-overlap', rule: 'NM43-1.4.b', sentences: ['NM43-1.4.b.s2'], scheme: 'pension', months: 12 });
  });

  it('adjacent periods simply add up', () => {
    const d = run(baseCase({ pension: { periods: [{ from: '1993-01', to: '1995-12' }, { from: '1996-01', to: '1997-06' }] } }));
    expect(d.pension?.paidMonths).toBe(54);
    expect(codes(d)).not.toContain('periods-overlap');
  });

  it('unordered periods give the same figures as ordered ones', () => {
    const periods = [
      { from: '2003-01', to: '2009-06' },
      { from: '1993-01', to: '1998-12' },
      { from: '1997-05', to: '2000-02' },
    ];
    const a = run(baseCase({ pension: { periods }, medical: { periods } }));
    const b = run(baseCase({ pension: { periods: [...periods].reverse() }, medical: { periods: [...periods].reverse() } }));
    expect(b.pension).toEqual(a.pension);
    expect(b.medical).toEqual(a.medical);
  });

  it('months inside the service window are not counted again, with period-overlaps-service; the discharge month itself counts', () => {
    const d = run(
      baseCase({
        service: { enlistment: '1990-03', discharge: '1994-12' },
        pension: { insuredAtEnlistment: true, firstInsured: '1989-07', periods: [{ from: '1989-07', to: '1995-06' }] },
        medical: { periods: [{ from: '1994-01', to: '1994-12' }] },
      }),
    );
    expect(d.pension?.paidMonths).toBe(8 + 7);
    expect(d.medical?.paidMonths).toBe(1);
    expect(d.warnings).toContainEqual({ code: 'period-overlaps-service', rule: 'NM43-1.1.a', sentences: ['NM43-1.1.a.s3'], scheme: 'pension', months: 57 });
    expect(d.warnings).toContainEqual({ code: 'period-overlaps-service', rule: 'NM43-1.1.a', sentences: ['NM43-1.1.a.s3'], scheme: 'medical', months: 11 });
  });
});

describe('gap and back-pay months (NM43-1.1.b, NM43-1.4.b)', () => {
  it('the agency’s gap months replace the estimate, and no gap-estimated warning is given', () => {
    const d = run(baseCase({ pension: { agencyGapMonths: 10 } }));
    expect(d.pension).toMatchObject({ gapMonths: 10, gapSource: 'agency', estimatedGapMonths: 219, backPayMonths: 10 });
    expect(codes(d)).not.toContain('gap-estimated');
    expect(codes(run(baseCase())).filter((c) => c === 'gap-estimated')).toHaveLength(1);
  });

  it('back-pay months never exceed 军龄, even when the agency finds a longer gap', () => {
    expect(run(baseCase({ pension: { agencyGapMonths: 300 } })).pension?.backPayMonths).toBe(57);
  });

  it('an agency gap of zero means nothing to back-pay and amounts of 0.00', () => {
    const p = run(baseCase({ pension: { agencyGapMonths: 0 } })).pension!;
    expect([p.backPayMonths, p.unitAmount, p.individualAmount, p.lateFee]).toEqual([0, '0.00', '0.00', '0.00']);
  });
});

describe('money (NM43-1.3.a; conventions baseRounding and amountRounding)', () => {
  // Female worker born 1968-04 (retired 2018-04), 军龄 40, medical months outside service 197:
  // counted 237 of 240, so 3 months of medical at base 3678.75: individual 3678.75 × 0.02 × 3 = 220.725.
  const medicalThreeMonths = () =>
    run(
      baseCase({
        asOf: '2019-12-02',
        applicationDate: '2019-10-15',
        person: { idNumber: makeId('1968-04-09', 'female'), femaleCategory: 'worker' },
        service: { enlistment: '1986-11', discharge: '1990-03' },
        medical: { periods: [{ from: '1990-04', to: '2006-08' }] },
      }),
    ).medical!;

  it('an amount of exactly half a fen is rounded up (220.725 → 220.73), not to even', () => {
    const m = medicalThreeMonths();
    expect(m.shortfallMonths).toBe(3);
    expect(m.individualAmount).toBe('220.73');
    expect(m.unitAmount).toBe('882.90');
  });

  it('the monthly base is 60% of the wage rounded to the fen (6508.67 → 3905.20, 6131.26 → 3678.76)', () => {
    expect(run(baseCase({ asOf: '2020-04-15', applicationDate: '2019-12-01' })).pension?.baseMonthly).toBe('3905.20');
    const p = paramsWith((x) => {
      x.wages.region[0]!.value = '6131.26';
    });
    expect(run(baseCase(), p).pension?.baseMonthly).toBe('3678.76');
  });

  it('a base of exactly half a fen is rounded up (0.50 × 6131.25 = 3065.625 → 3065.63)', () => {
    const p = paramsWith((x) => {
      x.fixed.baseWageShare[0]!.value = '0.50';
    });
    expect(run(baseCase(), p).pension?.baseMonthly).toBe('3065.63');
  });

  it('amounts are rounded once on the total, or per month when a county publishes amountRounding "monthly"', () => {
    // base 3905.20 × 0.16 = 624.832 a month; 48 months: total 29991.936 → 29991.94; monthly 624.83 × 48 = 29991.84.
    const c = baseCase({ asOf: '2020-04-15', applicationDate: '2019-12-01', service: { enlistment: '1993-12', discharge: '1997-12' }, pension: { agencyGapMonths: 48 } });
    expect(run(c).pension?.unitAmount).toBe('29991.94');
    const monthly = paramsWith((x) => {
      x.conventions.amountRounding[0]!.value = 'monthly';
    });
    expect(run(c, monthly).pension?.unitAmount).toBe('29991.84');
  });

  it('money is a string with exactly two decimals and the late fee is 0.00', () => {
    const p = run(baseCase()).pension!;
    for (const v of [p.baseMonthly, p.unitAmount, p.individualAmount, p.lateFee]) expect(v).toMatch(/^\d+\.\d{2}$/);
    expect(p.lateFee).toBe('0.00');
  });
});

describe('medical (NM43-1.1.d, NM43-1.2.b, NM43-1.5)', () => {
  const retiredFiscal = (medicalPeriods: { from: string; to: string }[], payer: 'fiscal' | 'unit' = 'fiscal') =>
    run(
      baseCase({
        asOf: '2025-06-10',
        applicationDate: '2019-12-20',
        person: { idNumber: makeId('1962-11-08', 'male') },
        service: { enlistment: '1980-11', discharge: '1983-10' },
        placement: payer === 'fiscal' ? { unitExists: false, unitCanPay: false, superiorExists: false, superiorCanPay: false } : {},
        medical: { periods: medicalPeriods },
      }),
    ).medical!;

  it('fiscal medical months are capped at 军龄; the rest is uncovered and its unit share part of unitAmount', () => {
    const m = retiredFiscal([{ from: '2001-01', to: '2004-12' }]);
    expect(m).toMatchObject({ shortfallMonths: 217, fiscalMonths: 35, uncoveredUnitMonths: 182, uncoveredUnitAmount: '71451.74', unitAmount: '85192.46' });
  });

  it('a fiscal shortfall within 军龄 is all fiscal, with nothing uncovered', () => {
    // 35 + 240 months of periods = 275 counted: 25 short, under 军龄 35.
    const m = retiredFiscal([{ from: '1984-01', to: '2003-12' }]);
    expect(m).toMatchObject({ shortfallMonths: 25, fiscalMonths: 25, uncoveredUnitMonths: 0, uncoveredUnitAmount: '0.00' });
  });

  it('a shortfall exceeding 军龄 with the unit paying is flagged medical-months-exceed-military', () => {
    const d = run(
      baseCase({
        asOf: '2024-03-01',
        applicationDate: '2019-07-30',
        person: { idNumber: makeId('1963-12-01', 'male') },
        service: { enlistment: '1981-11', discharge: '1984-12' },
      }),
    );
    expect(d.warnings).toContainEqual({ code: 'medical-months-exceed-military', rule: 'NM43-1.2.b', sentences: ['NM43-1.2.b.s3'], scheme: 'medical', months: 263 - 37 });
    expect(d.medical?.fiscalMonths).toBe(0);
  });

  it('before retirement the shortfall is projected and no amount is computed', () => {
    const m = run(baseCase()).medical!;
    expect(m).toMatchObject({ payableNow: false, shortfallMonths: 243, unitAmount: null, individualAmount: null, baseMonthly: null });
  });

  it('women need the female required months', () => {
    const d = run(baseCase({ person: { idNumber: makeId('1970-03-15', 'female'), femaleCategory: 'cadre' } }));
    expect(d.medical?.requiredMonths).toBe(240);
    expect(d.provisional).toContain('medical.requiredMonths.female');
  });
});

describe('application dates (NM43-1.4.a, NM43-1.6)', () => {
  it('an application in 2019-12 is on time, one in 2020-01 is late but still computed', () => {
    expect(run(baseCase({ applicationDate: '2019-12-31', asOf: '2020-01-05' })).applicationLate).toBe(false);
    const late = run(baseCase({ applicationDate: '2020-01-02', asOf: '2020-01-05' }));
    expect(late.applicationLate).toBe(true);
    expect(late.pension?.unitAmount).toMatch(/^\d+\.\d{2}$/);
    expect(late.warnings).toContainEqual({ code: 'application-late', rule: 'NM43-1.4.a', sentences: ['NM43-1.4.a.s7'], date: '2019-12-31' });
  });

  it('an application dated before the notice month is warned application-before-notice', () => {
    const d = run(baseCase({ applicationDate: '2019-06-28', asOf: '2019-07-15' }));
    expect(d.warnings).toContainEqual({ code: 'application-before-notice', rule: 'NM43-1.6', sentences: ['NM43-1.6.s2'], date: '2019-07-11' });
    expect(codes(run(baseCase()))).not.toContain('application-before-notice');
  });

  it('a county that reopens the window publishes a new deadline and the same application is no longer late', () => {
    const reopened = paramsWith((x) => {
      x.fixed.applicationDeadline.push({ from: '2020-01-01', value: '2020-06-30', unit: 'date', source: 'test: reopened window', provisional: false });
    });
    expect(run(baseCase({ applicationDate: '2020-03-02', asOf: '2020-03-05' }), reopened).applicationLate).toBe(false);
  });
});

describe('individual subsidy (NM43-1.2.d)', () => {
  it('低保 or 特困 makes the individual share eligible for a local subsidy', () => {
    expect(run(baseCase({ assistance: { dibao: true } })).pension?.individualSubsidyEligible).toBe(true);
    expect(run(baseCase({ assistance: { tekun: true } })).pension?.individualSubsidyEligible).toBe(true);
    expect(run(baseCase()).pension?.individualSubsidyEligible).toBe(false);
  });
});

describe('parameters that are not in force', () => {
  it('an as-of year whose previous year has no wage row is not-in-force, in Chinese naming the year', () => {
    const e = thrown(() => run(baseCase({ asOf: '2027-03-01' })));
    expect(e.code).toBe('not-in-force');
    expect(e.details).toMatchObject({ year: 2026, parameter: 'wage.region.2026', path: 'asOf' });
    expect(messageZh(e.code, e.details)).toBe('本设备参数中尚无2026年度职工平均工资，请同步或联系县局');
  });

  it('a wage row is never taken from an older year instead', () => {
    const p = paramsWith((x) => {
      x.wages.region = x.wages.region.filter((r) => r.year !== 2019);
    });
    expect(thrown(() => run(baseCase({ asOf: '2020-04-15', applicationDate: '2019-12-01' }), p)).details.year).toBe(2019);
  });

  it('a date before a parameter’s first value is not-in-force, never a silent zero', () => {
    const p = paramsWith((x) => {
      x.rates.pension.unit = [{ from: '2020-01-01', value: '0.16', unit: 'ratio', source: 'test', provisional: false }];
    });
    const e = thrown(() => run(baseCase(), p));
    expect(e.code).toBe('not-in-force');
    expect(e.details).toMatchObject({ parameter: 'rate.pension.unit', month: '2019-09', firstFrom: '2020-01-01' });
    expect(messageZh(e.code, e.details)).toContain('基本养老保险单位缴费比例');
  });

  it('the rate in force on the as-of month applies (0.20 before 2019-05, 0.16 from 2019-05)', () => {
    const april = run(baseCase({ applicationDate: '2019-04-01', asOf: '2019-04-30' }));
    const may = run(baseCase({ applicationDate: '2019-04-01', asOf: '2019-05-01' }));
    expect(april.pension?.unitRate).toBe('0.20');
    expect(april.provisional).toContain('rate.pension.unit');
    expect(may.pension?.unitRate).toBe('0.16');
    expect(may.provisional).not.toContain('rate.pension.unit');
  });

  it('an as-of date before the pack covers anything (2019-01) is not-in-force, naming the first value’s date', () => {
    const e = thrown(() => run(baseCase({ applicationDate: '2018-06-01', asOf: '2018-12-31' })));
    expect(e.code).toBe('not-in-force');
    expect(e.details).toMatchObject({ month: '2018-12', firstFrom: '2019-01-01', path: 'asOf' });
  });
});

describe('per-盟市 wage rows (NM43-1.3.a)', () => {
  const p = paramsWith((x) => {
    x.wages.leagues['150100'] = [{ year: 2018, value: '7000.00', unit: 'CNY/month', source: 'test: 呼和浩特市 row', provisional: false }];
  });

  it('a 盟市 row overrides the region’s row for a county of that 盟市', () => {
    const d = run(baseCase({ placement: { countyCode: '150102' } }), p);
    expect(d.pension?.baseMonthly).toBe('4200.00');
    const step = d.trace.find((s) => s.step === 'pension-amounts')!;
    expect(step.parameters.map((u) => u.name)).toContain('wage.150100.2018');
    expect(d.provisional).not.toContain('wage.region.2018');
  });

  it('a county of another 盟市 keeps the region’s row', () => {
    expect(run(baseCase({ placement: { countyCode: '150203' } }), p).pension?.baseMonthly).toBe('3678.75');
  });

  it('a 盟市 row of another year does not hide the region’s row', () => {
    expect(run(baseCase({ asOf: '2020-04-15', applicationDate: '2019-12-01', placement: { countyCode: '150102' } }), p).pension?.baseMonthly).toBe('3905.20');
  });
});

describe('the determination record', () => {
  it('records the parameter-set version it used', () => {
    expect(run(baseCase()).parametersVersion).toBe(DEFAULT_PARAMETERS.version);
    expect(run(baseCase(), paramsWith(() => {}, 'county-2026-02')).parametersVersion).toBe('county-2026-02');
  });

  it('lists every provisional parameter used once, each with a provisional-parameter warning naming its rule', () => {
    const d = run(baseCase());
    expect(d.provisional).toEqual(['wage.region.2018', 'medical.requiredMonths.male']);
    expect(d.warnings.filter((w) => w.code === 'provisional-parameter')).toEqual([
      { code: 'provisional-parameter', rule: 'NM43-1.3.a', parameter: 'wage.region.2018' },
      { code: 'provisional-parameter', rule: 'NM43-1.1.d', parameter: 'medical.requiredMonths.male' },
    ]);
  });

  it('gives a trace in rule order, each step with rule, paragraph, inputs, result and parameters with provenance', () => {
    const d = run(baseCase());
    expect(d.trace[0]).toMatchObject({ rule: 'NM43-1.4.a', step: 'identity' });
    expect(d.trace[1]).toMatchObject({ rule: 'NM43-1.1.a', paragraph: '一（一）第一段', inputs: { enlistment: '1988-03', discharge: '1992-12' }, result: { regime: 'deemed', militaryMonths: 57 } });
    const amounts = d.trace.find((s) => s.step === 'pension-amounts')!;
    expect(amounts.rule).toBe('NM43-1.3.a');
    expect(amounts.parameters.find((u) => u.name === 'rate.pension.unit')).toMatchObject({ value: '0.16', unit: 'ratio', from: '2019-05-01', provisional: false });
    expect(amounts.parameters.find((u) => u.name === 'wage.region.2018')).toMatchObject({ value: '6131.25', unit: 'CNY/month', provisional: true });
    expect(amounts.parameters.find((u) => u.name === 'amountRounding')).toMatchObject({ value: 'total', convention: true });
  });

  it('rejects facts that break the input rules with invalid-case naming each field', () => {
    const bad = baseCase({ asOf: '2019-08-01', pension: { periods: [{ from: '2001-06', to: '1993-01' }] } });
    const e = thrown(() => run(bad));
    expect(e.code).toBe('invalid-case');
    expect(e.lines()).toEqual(['asOf: must not be before applicationDate (2019-08-20)', 'pension.periods[0].from: must not be after to (1993-01)']);
  });

  it('rejects an unknown county code with unknown-county', () => {
    expect(thrown(() => run(baseCase({ placement: { countyCode: '150199' } }))).code).toBe('unknown-county');
  });
});
