// A case's audit events in words: who did what, when, and which fields changed from what to what.
import type { AuditAction, FieldChange } from '../../storage/types';
import { DISCHARGE_MODE_LABELS, FEMALE_CATEGORY_LABELS, caseStatusZh, fieldLabelZh, syncStateZh, traceKeyZh, traceValueZh } from '../labels';
import { countyZh, factDateZh } from './format';

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'case.create': '登记',
  'case.update': '修改',
  'case.withdraw': '撤回',
  'shift.start': '开始当班',
  'settings.lock': '修改锁屏设置',
  'sync.adopt': '采用县局版本',
  'sync.conflict': '与县局版本冲突',
  'sync.refused': '县局拒收',
};

const RECORD_FIELDS: Record<string, string> = {
  status: '状态',
  syncState: '同步状态',
  parameterSetVersion: '参数版本',
  caseNumber: '案件编号',
};

/** `facts.service.discharge` → 退役时间; `registration.name` → 姓名; `determination.pension.backPayMonths` → 测算：可补缴月数. */
export function changeLabelZh(path: string): string {
  if (path.startsWith('facts.')) return fieldLabelZh(path.slice('facts.'.length));
  if (path.startsWith('registration.')) return fieldLabelZh(path.slice('registration.'.length));
  if (path.startsWith('determination.')) {
    const last = path.split('.').pop() ?? path;
    return `测算：${traceKeyZh(last)}`;
  }
  return RECORD_FIELDS[path] ?? fieldLabelZh(path);
}

const DATE_PATH = /(enlistment|discharge|firstInsured|FirstInsured|applicationDate|asOf|\.from|\.to)$/;

/** A changed value as the clerk reads it. */
export function changeValueZh(path: string, value: unknown): string {
  if (value === null || value === undefined) return '（空）';
  if (typeof value === 'string') {
    if (value === '') return '（空）';
    if (path === 'status') return caseStatusZh(value);
    if (path === 'syncState') return syncStateZh(value);
    if (path.endsWith('dischargeMode')) return (DISCHARGE_MODE_LABELS as Record<string, string>)[value] ?? value;
    if (path.endsWith('femaleCategory')) return (FEMALE_CATEGORY_LABELS as Record<string, string>)[value] ?? value;
    if (path.endsWith('countyCode')) return countyZh(value);
    if (DATE_PATH.test(path) && /^\d{4}-\d{2}(-\d{2})?$/.test(value)) return factDateZh(value);
  }
  if (typeof value === 'object' && !Array.isArray(value) && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.from === 'string' && typeof v.to === 'string' && Object.keys(v).length === 2) return `${factDateZh(v.from)}—${factDateZh(v.to)}`;
  }
  return traceValueZh(value);
}

export function describeChange(change: FieldChange): string {
  return `${changeLabelZh(change.path)}：${changeValueZh(change.path, change.before)} → ${changeValueZh(change.path, change.after)}`;
}
