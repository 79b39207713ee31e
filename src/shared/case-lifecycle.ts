// A case's life at the county after the tablet has synced it (spec: product.md "A case's life"), as the
// server decides with it and the county page shows it. Every move from one status to the next is a
// signed step; which role may take which step from which status is in src/server/auth/policy-table.ts.

export const LIFECYCLE_STATUSES = [
  'synced',
  'verified',
  'sent-to-agency',
  'agency-reported',
  'paying',
  'completed',
  'transferred',
  'not-eligible',
  'correction-requested',
] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export const LIFECYCLE_STATUS_ZH: Readonly<Record<LifecycleStatus, string>> = {
  synced: '已同步',
  verified: '核查通过',
  'sent-to-agency': '送经办机构',
  'agency-reported': '经办测算已反馈',
  paying: '补缴办理中',
  completed: '完成',
  transferred: '转出',
  'not-eligible': '不符合',
  'correction-requested': '退回补正',
};

/** A step is named by the status it leads to: taking 'verified' signs 核查通过. */
export const CASE_STEPS = [
  'verified',
  'sent-to-agency',
  'agency-reported',
  'paying',
  'completed',
  'transferred',
  'not-eligible',
  'correction-requested',
] as const satisfies readonly LifecycleStatus[];
export type CaseStep = (typeof CASE_STEPS)[number];

/** A step reads as the status it leads to. */
export const CASE_STEP_ZH: Readonly<Record<CaseStep, string>> = Object.fromEntries(CASE_STEPS.map((step) => [step, LIFECYCLE_STATUS_ZH[step]])) as Record<CaseStep, string>;

/** What the status becomes when the step is signed. */
export function statusAfterStep(step: CaseStep): LifecycleStatus {
  return step;
}

/** Statuses after which nothing more happens at this county. */
export const FINAL_STATUSES: readonly LifecycleStatus[] = ['completed', 'transferred', 'not-eligible'];

/**
 * Statuses in which the tablet may no longer change the case: once the county has verified it, the
 * verified facts are what was sent on. 'synced' and 'correction-requested' are the tablet's to edit.
 */
export const LOCKED_STATUSES: readonly LifecycleStatus[] = ['verified', 'sent-to-agency', 'agency-reported', 'paying', 'completed', 'transferred', 'not-eligible'];

/** The sub-checks of 核查通过. */
export const VERIFICATION_CHECKS = ['service', 'discharge-mode', 'civil-affairs', 'government-confirmation'] as const;
export type VerificationCheck = (typeof VERIFICATION_CHECKS)[number];

export const VERIFICATION_CHECK_ZH: Readonly<Record<VerificationCheck, string>> = {
  service: '服役情况已核实',
  'discharge-mode': '退役安置方式已核实',
  'civil-affairs': '民政部门低保/特困确认',
  'government-confirmation': '同级人民政府确认原单位/主管部门不存在或无力缴纳',
};

/**
 * The sub-checks 核查通过 needs: civil affairs only for 低保/特困; the same-level government's
 * confirmation (NM43-1.2.c) only when the unit's share is not paid by the original unit.
 */
export function requiredVerificationChecks(c: { assisted: boolean; unitPayer: string | null }): VerificationCheck[] {
  return [
    'service',
    'discharge-mode',
    ...(c.assisted ? (['civil-affairs'] as const) : []),
    ...(c.unitPayer === 'superior' || c.unitPayer === 'fiscal' ? (['government-confirmation'] as const) : []),
  ];
}

/** One sub-check as recorded with the 核查通过 step. */
export interface VerificationCheckRecord {
  check: VerificationCheck;
  /** The number of the document it was checked against. */
  documentNumber: string;
  /** YYYY-MM-DD. */
  documentDate: string;
  /** Who checked it (a name: the signer may record another's check). */
  recordedBy: string;
}

export function isLifecycleStatus(v: unknown): v is LifecycleStatus {
  return typeof v === 'string' && (LIFECYCLE_STATUSES as readonly string[]).includes(v);
}

export function isCaseStep(v: unknown): v is CaseStep {
  return typeof v === 'string' && (CASE_STEPS as readonly string[]).includes(v);
}

/** One signed step as the county page shows it (GET /api/admin/cases/:id, `steps`, oldest first). */
export interface CaseStepView {
  id: string;
  step: CaseStep;
  fromStatus: LifecycleStatus;
  toStatus: LifecycleStatus;
  actor: string;
  role: string | null;
  area: { level: string; code: string } | null;
  at: string;
  comment: string;
  checks: VerificationCheckRecord[] | null;
  reasonForVeteran: string | null;
  /** Voided by a tablet's correction after 退回补正 (voidedByStep): kept, no longer in force. */
  void: boolean;
  voidedByStep: string | null;
  /** The audit chain entry that signs it. */
  auditSeq: number;
  auditHash: string;
}

/** What POST /api/admin/cases/:id/steps answers. */
export interface StepTaken {
  lifecycleStatus: LifecycleStatus;
  step: CaseStepView;
}
