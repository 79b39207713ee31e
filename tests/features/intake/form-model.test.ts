import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, idCheckCharacter, idProblemZh, type CaseFacts } from '../../../src/domain';
import { panelStateOf } from '../../../src/features/intake/determination-model';
import {
  blankIntakeValues,
  normalizeMonth,
  restoreValues,
  toFactsInput,
  validateIntake,
  valuesOfCase,
  type IntakeFormValues,
} from '../../../src/features/intake/form-model';
import { fieldLabelZh, problemZh } from '../../../src/features/labels';
import { emptyRegistration, type Registration } from '../../../src/shared/registration';
import example01Json from '../../fixtures/examples/01-deemed-basic.case.json';

const example01 = example01Json as CaseFacts;

const REGISTRATION: Registration = {
  ...emptyRegistration(),
  name: '张三',
  phone: '13800138000',
  unitName: '呼和浩特市第一机械厂',
  superiorName: '呼和浩特市机械工业局',
};

function filled(over: (v: IntakeFormValues) => void = () => undefined): IntakeFormValues {
  const v = valuesOfCase(example01, REGISTRATION);
  over(v);
  return v;
}

function problemsOf(v: IntakeFormValues): Record<string, string> {
  const r = validateIntake(v);
  if (r.ok) return {};
  return Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
}

function id(birth: string, seq: string): string {
  const first17 = `150102${birth}${seq}`;
  return first17 + idCheckCharacter(first17);
}

const HAN = /\p{Script=Han}/u;
const ENGLISH_WORD = /\b[a-z]{3,}\b/i;

describe('the intake form model', () => {
  it('turns example 01 as the form holds it back into exactly the facts of example 01', () => {
    const r = validateIntake(filled());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.submission.facts).toEqual(example01);
    expect(r.submission.registration.name).toBe('张三');
  });

  it('reads months as clerks type them', () => {
    expect(normalizeMonth('1988-3')).toBe('1988-03');
    expect(normalizeMonth('198803')).toBe('1988-03');
    expect(normalizeMonth('1988.03')).toBe('1988-03');
    expect(normalizeMonth('1988/3')).toBe('1988-03');
    expect(normalizeMonth(' 1988年3月 ')).toBe('1988-03');
    expect(normalizeMonth('2019年8月20日')).toBe('2019-08-20');
    expect(normalizeMonth('20190820')).toBe('2019-08-20');
    expect(normalizeMonth('1988-13')).toBe('1988-13');
    expect(normalizeMonth('三月')).toBe('三月');
  });

  it('names every missing field of a blank form in Chinese, with no English left in', () => {
    const problems = problemsOf(blankIntakeValues('2024-05-01'));
    expect(problems['facts.person.idNumber']).toBe('请填写身份证号码');
    expect(problems['registration.name']).toBe('请填写姓名');
    expect(problems['facts.service.enlistment']).toBe('请填写入伍时间');
    expect(problems['facts.service.militarySubsidyReceived']).toBe('请选择是否领取军人退役基本养老保险补助');
    expect(problems['registration.dischargeMode']).toBe('请选择退役方式');
    expect(problems['facts.placement.countyCode']).toBe('请选择安置地旗县（市、区）');
    expect(problems['facts.placement.unitExists']).toBe('请选择原安置单位是否存在');
    expect(problems['facts.pension.insuredAtEnlistment']).toBe('请选择入伍时是否已参加城镇职工基本养老保险');
    expect(problems['registration.medicalInsuredAtEnlistment']).toBe('请选择入伍时是否已参加城镇职工基本医疗保险');
    for (const message of Object.values(problems)) {
      expect(message).toMatch(HAN);
      expect(message).not.toMatch(ENGLISH_WORD);
    }
  });

  it.each([
    ['a blank form', () => blankIntakeValues('2026-11-29')],
    ['a form with no enlistment month and a contribution period ending before it starts', () =>
      filled((v) => {
        v.facts.service.enlistment = '';
        v.facts.pension.periods = [{ from: '2010-05', to: '2009-01' }];
      })],
    ['a form with no county and a half-typed month', () =>
      filled((v) => {
        v.facts.placement.countyCode = '';
        v.facts.pension.firstInsured = '2001-1';
      })],
  ])('has the live panel list exactly the facts problems the save would report, for %s', (_name, make) => {
    const values = make();
    const expected = Object.entries(problemsOf(values))
      .filter(([path]) => path.startsWith('facts.'))
      .map(([, message]) => message);
    const state = panelStateOf(values.facts, DEFAULT_PARAMETERS);
    expect(state.kind).toBe('incomplete');
    expect(state.kind === 'incomplete' && state.missing).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('refuses an ID number with a wrong check digit, naming the field and the fault', () => {
    const problems = problemsOf(filled((v) => (v.facts.person.idNumber = '150102197003150033')));
    expect(problems['facts.person.idNumber']).toBe(idProblemZh('checksum'));
    expect(problems['facts.person.idNumber']).toContain('身份证号码');
  });

  it('accepts a 15-digit legacy ID number and a lower-case x', () => {
    expect(validateIntake(filled((v) => (v.facts.person.idNumber = '150102700315003'))).ok).toBe(true);
    const withX = id('19700315', '003').replace(/X$/, 'x');
    expect(validateIntake(filled((v) => (v.facts.person.idNumber = withX))).ok).toBe(true);
  });

  it('asks for the female retirement category only when the ID number is a woman’s', () => {
    const woman = id('19720610', '024');
    expect(problemsOf(filled((v) => (v.facts.person.idNumber = woman)))['facts.person.femaleCategory']).toBe('请选择女性退休类别');
    const ok = validateIntake(
      filled((v) => {
        v.facts.person.idNumber = woman;
        v.facts.person.femaleCategory = 'worker';
      }),
    );
    expect(ok.ok && ok.submission.facts.person.femaleCategory).toBe('worker');
    // A category left over from an earlier (female) number is not recorded for a man.
    const man = validateIntake(filled((v) => (v.facts.person.femaleCategory = 'cadre')));
    expect(man.ok && man.submission.facts.person.femaleCategory).toBeNull();
  });

  it('requires who confirmed it (NM43-1.2.c) when the unit cannot pay, and not otherwise', () => {
    const cannotPay = filled((v) => (v.facts.placement.unitCanPay = false));
    expect(problemsOf(cannotPay)['registration.confirmedBy']).toContain('同级人民政府');
    cannotPay.registration.confirmedBy = '新城区人民政府';
    const r = validateIntake(cannotPay);
    expect(r.ok && r.submission.registration.confirmedBy).toBe('新城区人民政府');

    // Typed, then the unit turned out able to pay: kept in the form, not recorded.
    const pays = filled((v) => (v.registration.confirmedBy = '新城区人民政府'));
    const recorded = validateIntake(pays);
    expect(recorded.ok && recorded.submission.registration.confirmedBy).toBe('');
  });

  it('does not ask whether a unit that no longer exists can pay', () => {
    const r = validateIntake(
      filled((v) => {
        v.facts.placement.unitExists = false;
        v.facts.placement.unitCanPay = null;
        v.registration.confirmedBy = '新城区人民政府';
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.ok && r.submission.facts.placement.unitCanPay).toBe(false);
  });

  it('puts a contribution period whose start is after its end on that row', () => {
    const problems = problemsOf(
      filled((v) => {
        v.facts.pension.periods = [
          { from: '1993-01', to: '1995-12' },
          { from: '2001-06', to: '1999-01' },
        ];
      }),
    );
    expect(Object.keys(problems)).toEqual(['facts.pension.periods.1.from']);
    expect(problems['facts.pension.periods.1.from']).toBe('养老保险缴费记录第2段的起始月份晚于截止月份：请检查这一段的起止月份');
  });

  it('says what format a bad month needs, on its own field', () => {
    const problems = problemsOf(filled((v) => (v.facts.service.enlistment = '88年')));
    expect(problems['facts.service.enlistment']).toBe('入伍时间格式不对：请按“年-月”填写，例如 1988-03');
  });

  it('refuses a discharge before the enlistment or after the application', () => {
    expect(problemsOf(filled((v) => (v.facts.service.discharge = '1987-01')))['facts.service.discharge']).toContain('退役时间应晚于入伍时间');
    expect(problemsOf(filled((v) => (v.facts.service.discharge = '2020-01')))['facts.service.discharge']).toContain('退役时间晚于申请日期');
  });

  it('requires the first insured month when insured at enlistment', () => {
    const problems = problemsOf(filled((v) => (v.facts.pension.insuredAtEnlistment = true)));
    expect(problems['facts.pension.firstInsured']).toBe('请填写养老保险首次参保时间');
    expect(problemsOf(filled((v) => (v.registration.phone = '12345')))['registration.phone']).toContain('联系电话');
  });

  it('normalises the months it records', () => {
    const r = validateIntake(
      filled((v) => {
        v.facts.service.enlistment = '1988.3';
        v.facts.pension.periods = [{ from: '199301', to: '2001年6月' }];
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.submission.facts.service.enlistment).toBe('1988-03');
    expect(r.submission.facts.pension.periods).toEqual([{ from: '1993-01', to: '2001-06' }]);
  });

  it('restores a stored draft field by field and drops what it does not know', () => {
    const blank = blankIntakeValues('2024-05-01');
    const restored = restoreValues(blank, {
      facts: {
        person: { idNumber: '150102', femaleCategory: 'bogus' },
        service: { militarySubsidyReceived: true, enlistment: 42 },
        pension: { periods: [{ from: '1993-01', to: 7 }, 'junk'], agencyGapMonths: -3 },
        injected: 'x',
      },
      registration: { name: '李四', dischargeMode: 'deserted' },
    });
    expect(restored.facts.person.idNumber).toBe('150102');
    expect(restored.facts.person.femaleCategory).toBeNull();
    expect(restored.facts.service.militarySubsidyReceived).toBe(true);
    expect(restored.facts.service.enlistment).toBe('');
    expect(restored.facts.pension.periods).toEqual([{ from: '1993-01', to: '' }]);
    expect(restored.facts.pension.agencyGapMonths).toBeNull();
    expect(restored.registration.name).toBe('李四');
    expect(restored.registration.dischargeMode).toBe('');
    expect('injected' in restored.facts).toBe(false);
    expect(restored.facts.asOf).toBe('2024-05-01');
  });

  it('keeps the agency’s gap months of a saved case through the form', () => {
    const facts: CaseFacts = { ...example01, pension: { ...example01.pension, agencyGapMonths: 40 } };
    expect(toFactsInput(valuesOfCase(facts, REGISTRATION)).pension.agencyGapMonths).toBe(40);
  });

  it('labels contribution rows by their number', () => {
    expect(fieldLabelZh('medical.periods[0].to')).toBe('医疗保险缴费记录第1段的截止月份');
    expect(problemZh({ path: 'asOf', message: 'must not be before applicationDate (2019-08-20)' })).toContain('测算日期');
  });
});
