import { describe, expect, it } from 'vitest';
import { DISCHARGE_MODES, emptyRegistration, parseRegistration, registrationProblems, registrationSchema } from '../../src/shared/registration';
import { caseFacts, registration } from './support';

const paths = (reg: unknown, facts: unknown = caseFacts()) => registrationProblems(reg, facts).map((p) => p.path);

describe('the registration schema', () => {
  it('accepts a complete registration and trims what was typed', () => {
    const r = parseRegistration({ ...registration(), name: ' 张三 ', phone: ' 13800138000 ' }, caseFacts());
    expect(r).toEqual({ ok: true, registration: { ...registration(), name: '张三', phone: '13800138000' } });
  });

  it('lists the eight discharge modes of the form', () => {
    expect(DISCHARGE_MODES).toEqual(['discharged', 'demobilized', 'transferred', 'self-employed', 'assigned-job', 'retired', 'supported', 'other']);
    expect(registrationSchema.safeParse({ ...registration(), dischargeMode: 'fled' }).success).toBe(false);
  });

  it('takes a mobile number, a landline with or without the dash, or nothing', () => {
    for (const phone of ['', '13912345678', '0471-6912345', '04716912345', '010-12345678']) expect(paths(registration({ phone }))).toEqual([]);
    for (const phone of ['12345678901', '1391234567', '471-6912345', 'abc']) expect(paths(registration({ phone }))).toEqual(['phone']);
  });

  it('requires a name', () => {
    expect(paths(registration({ name: '   ' }))).toEqual(['name']);
    expect(paths(emptyRegistration())).toContain('name');
  });
});

describe('the cross-field rules', () => {
  it('NM43-1.2.c: someone must have confirmed that the unit or its superior is gone or cannot pay', () => {
    const gone = caseFacts({ placement: { unitExists: false, unitCanPay: false } });
    const problems = registrationProblems(registration({ unitName: '' }), gone);
    expect(problems).toEqual([{ path: 'confirmedBy', message: 'required when placement.unitExists, placement.unitCanPay is false (NM43-1.2.c)' }]);
    expect(paths(registration({ unitName: '', confirmedBy: '新城区人民政府' }), gone)).toEqual([]);
    expect(paths(registration(), caseFacts({ placement: { superiorCanPay: false } }))).toEqual(['confirmedBy']);
  });

  it('the unit and its superior are named when they exist', () => {
    expect(paths(registration({ unitName: '', superiorName: '' }))).toEqual(['unitName', 'superiorName']);
  });

  it('a medical first-insured month is required when insured at enlistment, and not after enlistment', () => {
    expect(paths(registration({ medicalInsuredAtEnlistment: true }))).toEqual(['medicalFirstInsured']);
    expect(paths(registration({ medicalInsuredAtEnlistment: true, medicalFirstInsured: '1987-05' }))).toEqual([]);
    expect(paths(registration({ medicalInsuredAtEnlistment: true, medicalFirstInsured: '1989-01' }))).toEqual(['medicalFirstInsured']);
    expect(paths(registration({ medicalFirstInsured: '1987-13' }))).toEqual(['medicalFirstInsured']);
  });

  it('checks the registration alone when the facts are not there yet (a half-filled form)', () => {
    expect(paths(registration(), undefined)).toEqual([]);
    expect(paths({ name: '' }, {})).toEqual(expect.arrayContaining(['name', 'phone', 'dischargeMode']));
  });
});
