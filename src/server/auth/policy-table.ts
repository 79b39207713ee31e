// Who may do what on the county page and its API, as one table of role × action × scope. policy.ts
// decides from it, routes/admin.ts names each route's action from it, the matrix test calls every
// route as every role from it, and the README's table of roles is printed from it (policyMarkdown).
//
// Scope 'area': the target (a township, device, account, case …) must lie within the account's area,
// and lists show only what does. Scope 'self': the account itself (its password, its session).

import type { CaseStep, LifecycleStatus } from '../../shared/case-lifecycle';
import type { Role } from '../../shared/roles';
import { ROLES } from '../../shared/roles';

export const COUNTY_ACTIONS = [
  'session.read',
  'password.change',
  'township.list',
  'township.create',
  'enrolment-code.create',
  'device.list',
  'device.revoke',
  'account.list',
  'account.create',
  'account.set-active',
  'account.reset-password',
  'account.revoke-sessions',
  'account.move',
  'sign-in-lock.list',
  'sign-in-lock.clear',
  'case.list',
  'case.read',
  'case.export',
  'case.resolve-conflict',
  'case.step',
  'case.verify',
  'case.send-to-agency',
  'case.record-agency-report',
  'case.start-payment',
  'case.complete',
  'case.transfer-out',
  'case.declare-not-eligible',
  'case.request-correction',
  'parameter-set.publish',
  'parameter-set.list',
  'parameter-set.read',
  'parameter-set.preview',
  'audit.read-head',
  'audit.list',
  'report.read',
  'report.submit',
  'report-exchange.key.read',
  'report-exchange.export',
  'report-exchange.register-key',
  'report-exchange.import',
  'case.record-agency-finding',
  'case.record-payer-confirmation',
  'agency-results.preview',
  'agency-results.import',
] as const;
export type CountyAction = (typeof COUNTY_ACTIONS)[number];

export type Scope = 'area' | 'self';

export interface PolicyRow {
  action: CountyAction;
  /** Each role that may, and over which targets; a role not named may not. */
  grants: Readonly<Partial<Record<Role, Scope>>>;
  /** Changes the county's data; the read-only roles hold no such row (their own password aside). */
  writes: boolean;
  /**
   * For case lifecycle steps: the case statuses a step may start from (absent: any). Several rows
   * may name one action with different statuses and grants; the first row that matches decides.
   */
  fromStatus?: readonly string[];
  /** For the README. */
  description: string;
}

const EVERY_ROLE_SELF = Object.fromEntries(ROLES.map((r) => [r, 'self'])) as Record<Role, Scope>;
const READERS = { admin: 'area', 'league-task-force': 'area', 'region-task-force': 'area', auditor: 'area' } as const;

/** The action of each signed lifecycle step (src/shared/case-lifecycle.ts): POST /api/admin/cases/:id/steps takes it. */
export const STEP_ACTIONS = {
  verified: 'case.verify',
  'sent-to-agency': 'case.send-to-agency',
  'agency-reported': 'case.record-agency-report',
  paying: 'case.start-payment',
  completed: 'case.complete',
  transferred: 'case.transfer-out',
  'not-eligible': 'case.declare-not-eligible',
  'correction-requested': 'case.request-correction',
} as const satisfies Record<CaseStep, CountyAction>;

/** The county's case officers sign every step; task forces and auditors watch and never sign. */
const SIGNERS = { admin: 'area', 'county-reviewer': 'area' } as const;
/** Before payment starts the county may still find the case not eligible, or send it back to the window. */
const BEFORE_PAYMENT: readonly LifecycleStatus[] = ['synced', 'verified', 'sent-to-agency', 'agency-reported'];

/** Which role may take which step from which status: the case's lifecycle as the policy allows it. */
const STEP_ROWS: readonly PolicyRow[] = [
  { action: 'case.verify', grants: SIGNERS, writes: true, fromStatus: ['synced'], description: '核查通过: service, discharge mode and (for 低保/特困) civil affairs verified, each against a document' },
  { action: 'case.send-to-agency', grants: SIGNERS, writes: true, fromStatus: ['verified'], description: '送经办机构: the verified case sent to the insurance agencies' },
  { action: 'case.record-agency-report', grants: SIGNERS, writes: true, fromStatus: ['sent-to-agency'], description: '经办测算已反馈: the agencies’ months and amounts received' },
  { action: 'case.start-payment', grants: SIGNERS, writes: true, fromStatus: ['agency-reported'], description: '补缴办理中: the payer has started paying' },
  { action: 'case.complete', grants: SIGNERS, writes: true, fromStatus: ['paying'], description: '完成: the continuation is paid and done' },
  { action: 'case.transfer-out', grants: SIGNERS, writes: true, fromStatus: ['agency-reported', 'paying'], description: '转出: the insurance relationship transferred out or suspended' },
  { action: 'case.declare-not-eligible', grants: SIGNERS, writes: true, fromStatus: BEFORE_PAYMENT, description: '不符合: not eligible, with the reason the veteran is told' },
  {
    action: 'case.request-correction',
    grants: SIGNERS,
    writes: true,
    // Also from itself: a second request adds to the first while the window has not answered.
    fromStatus: [...BEFORE_PAYMENT, 'correction-requested'],
    description: 'send a case back to the window (退回补正); its correction voids the signatures since',
  },
];

/** The steps route's own row: any role that may take some step, checked before the case is read. */
const STEP_GATE: PolicyRow = {
  action: 'case.step',
  grants: Object.assign({}, ...STEP_ROWS.map((r) => r.grants)) as PolicyRow['grants'],
  writes: true,
  description: 'take a signed step of a case’s lifecycle; which step from which status: the rows below',
};

export const POLICY: readonly PolicyRow[] = [
  { action: 'session.read', grants: EVERY_ROLE_SELF, writes: false, description: 'who is signed in: role, area, whether the password must be changed' },
  { action: 'password.change', grants: EVERY_ROLE_SELF, writes: true, description: 'change one’s own password (the current one is asked)' },
  { action: 'township.list', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'list townships' },
  { action: 'township.create', grants: { admin: 'area' }, writes: true, description: 'create a township' },
  { action: 'enrolment-code.create', grants: { admin: 'area' }, writes: true, description: 'issue an enrolment code for a tablet of a township' },
  { action: 'device.list', grants: READERS, writes: false, description: 'list enrolled tablets and their revocations' },
  { action: 'device.revoke', grants: { admin: 'area' }, writes: true, description: 'revoke a tablet' },
  { action: 'account.list', grants: READERS, writes: false, description: 'list accounts' },
  { action: 'account.create', grants: { admin: 'area' }, writes: true, description: 'create an account of a role whose area lies within one’s own' },
  { action: 'account.set-active', grants: { admin: 'area' }, writes: true, description: 'disable or enable an account' },
  { action: 'account.reset-password', grants: { admin: 'area' }, writes: true, description: 'reset an account’s password to a one-time password' },
  { action: 'account.revoke-sessions', grants: { admin: 'area' }, writes: true, description: 'end an account’s sessions (its tablets forget its PIN)' },
  { action: 'account.move', grants: { admin: 'area' }, writes: true, description: 'move a tablet clerk to another township of the area' },
  { action: 'sign-in-lock.list', grants: { admin: 'area', auditor: 'area' }, writes: false, description: 'list user names and addresses locked after wrong passwords' },
  { action: 'sign-in-lock.clear', grants: { admin: 'area' }, writes: true, description: 'lift such a lock' },
  { action: 'case.list', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'list synced cases with their flags' },
  { action: 'case.read', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'read a case with every version' },
  // Names and ID numbers leave the server in it: only for roles that may read those cases anyway.
  { action: 'case.export', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'export the queue’s matching cases as .xlsx (one audit entry naming the filter and row count)' },
  { action: 'case.resolve-conflict', grants: { admin: 'area', 'county-reviewer': 'area' }, writes: true, description: 'choose the version of a conflicting case that stands' },
  STEP_GATE,
  ...STEP_ROWS,
  { action: 'parameter-set.publish', grants: { admin: 'area' }, writes: true, description: 'publish a parameter set (its area: every township of the server)' },
  // Parameter sets say nothing of any person or area: every county role may read them.
  { action: 'parameter-set.list', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'list the parameter sets the server knows, the one in force marked' },
  { action: 'parameter-set.read', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'read a parameter set’s document, however old' },
  {
    action: 'parameter-set.preview',
    grants: { admin: 'area' },
    writes: false,
    description: 'see which open cases of one’s area a draft parameter set would change, and by how much',
  },
  {
    action: 'audit.read-head',
    // The head says nothing of any area: every county role may compare it with a copy held elsewhere.
    grants: { 'county-reviewer': 'area', admin: 'area', 'league-task-force': 'area', 'region-task-force': 'area', auditor: 'area' },
    writes: false,
    description: 'read the audit chain’s head (its last seq and hash)',
  },
  { action: 'audit.list', grants: { admin: 'area', auditor: 'area' }, writes: false, description: 'list audit entries of one’s area (personal values to roles that may read cases)' },
  // Counts and sums by area only: no person's data is in a report.
  { action: 'report.read', grants: { ...READERS, 'county-reviewer': 'area' }, writes: false, description: 'read the weekly report, the end-of-August statistics, the completion summary and submitted reports of one’s area' },
  { action: 'report.submit', grants: SIGNERS, writes: true, description: 'submit (报送) the weekly report of one’s area: its figures frozen and signed, a later one a new version beside it' },
  { action: 'report-exchange.key.read', grants: { admin: 'area' }, writes: false, description: 'read the server’s report-signing public key and its fingerprint, to give to the league' },
  { action: 'report-exchange.export', grants: { admin: 'area' }, writes: false, description: 'export a county’s weekly report as a file signed with the server’s key' },
  { action: 'report-exchange.register-key', grants: { admin: 'area' }, writes: true, description: 'register a county server’s public key, so that its signed weekly reports may be imported' },
  { action: 'report-exchange.import', grants: { admin: 'area' }, writes: true, description: 'import a county’s signed weekly report (the county within one’s area, its key registered)' },
  {
    action: 'case.record-agency-finding',
    grants: SIGNERS,
    writes: true,
    description: 'record an insurance agency’s months and amounts for a case’s pension or medical track, beside the engine’s re-run (a later one supersedes it, both kept)',
  },
  {
    action: 'case.record-payer-confirmation',
    grants: SIGNERS,
    writes: true,
    description: 'record which government confirmed that the unit or its superior is gone or unable to pay (a later one supersedes it, both kept)',
  },
  { action: 'agency-results.preview', grants: SIGNERS, writes: false, description: 'check an agencies’ results file (.xlsx or CSV) row by row against the cases of one’s area' },
  { action: 'agency-results.import', grants: SIGNERS, writes: true, description: 'record the good rows of an agencies’ results file as agency findings (one audit entry with the counts)' },
];

/** The row that decides `action` for a case in `fromStatus`, when the step depends on it. */
export function policyRow(action: CountyAction, fromStatus?: string): PolicyRow | undefined {
  return POLICY.find((r) => r.action === action && (r.fromStatus === undefined || (fromStatus !== undefined && r.fromStatus.includes(fromStatus))));
}

/**
 * The role's scope for the action, or null when it may not. Without `fromStatus` (the check made
 * before the case is read): whether the role may take the action from some status.
 */
export function grantOf(role: Role, action: CountyAction, fromStatus?: string): Scope | null {
  if (fromStatus === undefined) return POLICY.filter((r) => r.action === action).find((r) => r.grants[role] !== undefined)?.grants[role] ?? null;
  return policyRow(action, fromStatus)?.grants[role] ?? null;
}

/** The steps the role may take on a case in `status` (its area aside): what the county page offers. */
export function allowedSteps(role: Role, status: string): CaseStep[] {
  return (Object.keys(STEP_ACTIONS) as CaseStep[]).filter((step) => grantOf(role, STEP_ACTIONS[step], status) !== null);
}

/** The table as Markdown, one row per action and one column per role: what the README shows. */
export function policyMarkdown(): string {
  const mark = (s: Scope | undefined) => (s === 'area' ? 'in area' : s === 'self' ? 'own' : '—');
  const head = `| action | ${ROLES.join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = POLICY.map((r) => `| \`${r.action}\`${r.fromStatus ? ` (from ${r.fromStatus.join(', ')})` : ''}: ${r.description} | ${ROLES.map((role) => mark(r.grants[role])).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}
