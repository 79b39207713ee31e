import { describe, expect, it } from 'vitest';
import { caseFactsSchema, parseCaseFacts, problemLines } from '../../src/shared/case';
import { baseCase, makeId } from '../domain/support/cases';
import { loadExamples } from '../domain/support/examples';

const linesOf = (input: unknown): string[] => {
  const r = parseCaseFacts(input);
  return r.ok ? [] : problemLines(r.problems);
};
const raw = () => JSON.parse(JSON.stringify(baseCase())) as Record<string, Record<string, unknown>>;

describe('case facts validation, one `field.path: what is wrong` line per problem', () => {
  it('accepts every worked example', () => {
    for (const ex of loadExamples()) expect(linesOf(ex.caseJson), ex.name).toEqual([]);
  });

  it('names a date that is not a date', () => {
    const c = raw();
    c.service!.discharge = '1992-13';
    (c as Record<string, unknown>).asOf = '15/09/2019';
    expect(linesOf(c)).toEqual(['asOf: not a date (expected YYYY-MM-DD or YYYY-MM)', 'service.discharge: not a date (expected YYYY-MM-DD or YYYY-MM)']);
  });

  it('requires femaleCategory when the ID number says female, and ignores it for men', () => {
    const c = raw();
    c.person!.idNumber = makeId('1970-03-15', 'female');
    c.person!.femaleCategory = null;
    expect(linesOf(c)).toEqual(['person.femaleCategory: required for a female applicant ("cadre" or "worker")']);
    const man = raw();
    delete man.person!.femaleCategory;
    expect(linesOf(man)).toEqual([]);
  });

  it('refuses an unknown femaleCategory', () => {
    const c = raw();
    c.person!.femaleCategory = 'farmer';
    expect(linesOf(c)).toEqual(['person.femaleCategory: must be one of "cadre", "worker", received "farmer"']);
  });

  it('refuses asOf before applicationDate, comparing days when both have one', () => {
    expect(linesOf({ ...raw(), asOf: '2019-08-19' })).toEqual(['asOf: must not be before applicationDate (2019-08-20)']);
    expect(linesOf({ ...raw(), asOf: '2019-08' })).toEqual([]);
    expect(linesOf({ ...raw(), asOf: '2019-07' })).toEqual(['asOf: must not be before applicationDate (2019-08-20)']);
  });

  it('refuses a period whose from is after its to, naming the period', () => {
    const c = raw();
    c.pension!.periods = [{ from: '1993-01', to: '1995-01' }, { from: '2001-06', to: '2001-05' }];
    c.medical!.periods = [{ from: '2001-06-15', to: '2001-06-01' }];
    expect(linesOf(c)).toEqual(['pension.periods[1].from: must not be after to (2001-05)']);
  });

  it('refuses an unknown or malformed county code', () => {
    const c = raw();
    c.placement!.countyCode = '150199';
    expect(linesOf(c)).toEqual(['placement.countyCode: unknown county code "150199"']);
    c.placement!.countyCode = '1501';
    expect(linesOf(c)).toEqual(['placement.countyCode: expected a six-digit county code (GB/T 2260)']);
  });

  it('requires firstInsured when insured at enlistment, and not later than enlistment', () => {
    const c = raw();
    c.pension!.insuredAtEnlistment = true;
    expect(linesOf(c)).toEqual(['pension.firstInsured: required when insuredAtEnlistment is true']);
    c.pension!.firstInsured = '1990-01';
    expect(linesOf(c)).toEqual(['pension.firstInsured: is after service.enlistment (1988-03) although insuredAtEnlistment is true']);
  });

  it('names missing fields, wrong types and unknown fields, all at once with the cross-field problems', () => {
    const c = raw();
    delete c.assistance!.tekun;
    c.service!.militarySubsidyReceived = 'no';
    c.pension!.agencyGapMonths = 2.5;
    (c.placement as Record<string, unknown>).confirmedBy = 'x';
    (c as Record<string, unknown>).asOf = '2019-08-01';
    expect(linesOf(c)).toEqual([
      'service.militarySubsidyReceived: expected true or false, received "no"',
      'placement.confirmedBy: unknown field',
      'pension.agencyGapMonths: expected a whole number of months',
      'assistance.tekun: required',
      'asOf: must not be before applicationDate (2019-08-20)',
    ]);
  });

  it('names a missing section and a root that is not an object', () => {
    const c = raw();
    delete c.medical;
    expect(linesOf(c)).toEqual(['medical: required']);
    expect(linesOf([1, 2])).toEqual(['(root): expected an object, received an array']);
  });

  it('treats a wrong-length or bad-checksum ID number as well-formed (the engine decides scope)', () => {
    const c = raw();
    c.person!.idNumber = '150102197003150031';
    expect(linesOf(c)).toEqual([]);
  });

  it('fills defaults for optional nullable fields and keeps the schema usable directly', () => {
    const c = raw();
    delete c.pension!.firstInsured;
    delete c.pension!.agencyGapMonths;
    const r = caseFactsSchema.parse(c);
    expect(r.pension.firstInsured).toBeNull();
    expect(r.pension.agencyGapMonths).toBeNull();
  });
});
