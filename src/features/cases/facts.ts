// A case's facts and registration as labelled rows, grouped as the intake form groups them: the one
// reading of a stored case that the detail screen and the printed application form share.
import { monthZh } from '../../domain';
import type { CaseRecord } from '../../storage/types';
import { DISCHARGE_MODE_LABELS, FEMALE_CATEGORY_LABELS, SEX_LABELS, fieldLabelZh } from '../labels';
import { countyZh, factDateZh, textOrDash, yesNo } from './format';

export interface FactRow {
  /** The field path (`person.idNumber`, `registration.name`): stable, for tests. */
  path: string;
  label: string;
  value: string;
}

export interface FactSection {
  title: string;
  rows: FactRow[];
}

function periodsZh(periods: readonly { from: string; to: string }[]): string {
  if (periods.length === 0) return '无';
  return periods.map((p) => `${factDateZh(p.from)}—${factDateZh(p.to)}`).join('；');
}

export function factSections(record: Pick<CaseRecord, 'facts' | 'registration' | 'determination'>): FactSection[] {
  const { facts: f, registration: r, determination: d } = record;
  const row = (path: string, value: string, label = fieldLabelZh(path)): FactRow => ({ path, label, value });
  const identity: FactRow[] = [row('name', textOrDash(r.name)), row('person.idNumber', f.person.idNumber)];
  if (d.identity) {
    identity.push(row('identity.sex', SEX_LABELS[d.identity.sex], '性别'), row('identity.birth', monthZh(d.identity.birth), '出生年月'));
  }
  if (f.person.femaleCategory) identity.push(row('person.femaleCategory', FEMALE_CATEGORY_LABELS[f.person.femaleCategory]));
  identity.push(row('phone', textOrDash(r.phone)), row('address', textOrDash(r.address)));

  const placement: FactRow[] = [
    row('placement.countyCode', countyZh(f.placement.countyCode)),
    row('unitName', textOrDash(r.unitName)),
    row('placement.unitExists', yesNo(f.placement.unitExists)),
    row('placement.unitCanPay', yesNo(f.placement.unitCanPay)),
    row('superiorName', textOrDash(r.superiorName)),
    row('placement.superiorExists', yesNo(f.placement.superiorExists)),
    row('placement.superiorCanPay', yesNo(f.placement.superiorCanPay)),
  ];
  if (r.confirmedBy.trim() !== '' || !(f.placement.unitExists && f.placement.unitCanPay)) placement.push(row('confirmedBy', textOrDash(r.confirmedBy)));

  const pension: FactRow[] = [row('pension.insuredAtEnlistment', yesNo(f.pension.insuredAtEnlistment))];
  if (f.pension.insuredAtEnlistment) pension.push(row('pension.firstInsured', factDateZh(f.pension.firstInsured)));
  pension.push(row('pension.periods', periodsZh(f.pension.periods)));
  if (f.pension.agencyGapMonths !== null) pension.push(row('pension.agencyGapMonths', `${f.pension.agencyGapMonths}个月`));

  const medical: FactRow[] = [row('medicalInsuredAtEnlistment', yesNo(r.medicalInsuredAtEnlistment))];
  if (r.medicalInsuredAtEnlistment) medical.push(row('medicalFirstInsured', factDateZh(r.medicalFirstInsured)));
  medical.push(row('medical.periods', periodsZh(f.medical.periods)));

  return [
    { title: '身份', rows: identity },
    {
      title: '服役',
      rows: [
        row('service.enlistment', factDateZh(f.service.enlistment)),
        row('service.discharge', factDateZh(f.service.discharge)),
        row('dischargeMode', DISCHARGE_MODE_LABELS[r.dischargeMode]),
        row('service.militarySubsidyReceived', yesNo(f.service.militarySubsidyReceived)),
      ],
    },
    { title: '安置', rows: placement },
    { title: '养老保险', rows: pension },
    { title: '医疗保险', rows: medical },
    {
      title: '救助及其他',
      rows: [
        row('assistance.dibao', yesNo(f.assistance.dibao)),
        row('assistance.tekun', yesNo(f.assistance.tekun)),
        row('otherInsuranceNote', textOrDash(r.otherInsuranceNote)),
      ],
    },
    {
      title: '申请',
      rows: [row('applicationDate', factDateZh(f.applicationDate)), row('asOf', factDateZh(f.asOf))],
    },
  ];
}
