// Where a case is at the county, as the tablet last pulled it: a badge on the list and a panel on the
// case screen, in the county's own words (LIFECYCLE_STATUS_ZH). From 核查通过 on the county holds the
// verified facts, so the tablet no longer offers to change the case; during 退回补正 it shows what to correct.
import { isLifecycleStatus, LIFECYCLE_STATUS_ZH, LOCKED_STATUSES } from '../../shared/case-lifecycle';

/** A status this build does not know came from a newer server: said so rather than shown as a code. */
export function lifecycleStatusZh(status: string): string {
  return isLifecycleStatus(status) ? LIFECYCLE_STATUS_ZH[status] : '县局新的办理状态（请更新应用）';
}

/** The county holds the verified facts: the tablet's change would be refused (case-locked-after-verification). */
export function lockedAtCounty(status: string | null | undefined): boolean {
  return isLifecycleStatus(status) && LOCKED_STATUSES.includes(status);
}

export function CountyStatusBadge({ status }: { status: string | null | undefined }) {
  if (status === null || status === undefined) return null;
  return (
    <span className={`badge badge-county badge-county-${isLifecycleStatus(status) ? status : 'unknown'}`} data-testid="county-status">
      县局：{lifecycleStatusZh(status)}
    </span>
  );
}

export function CountyStatusPanel({ status, correctionRequest }: { status: string | null; correctionRequest: string | null }) {
  if (status === null) return null;
  return (
    <section className="panel county-status-panel" aria-labelledby="county-status-title" data-testid="county-status-panel">
      <h3 id="county-status-title">县局办理情况</h3>
      <p>
        当前状态：<strong>{lifecycleStatusZh(status)}</strong>
      </p>
      {status === 'correction-requested' && (
        <p className="county-status-correction" role="note">
          县局退回补正：{correctionRequest ?? '（未写明）'}。请按县局意见更正后保存，同步后县局将重新核查。
        </p>
      )}
      {lockedAtCounty(status) && <p className="county-status-locked">县局已核查通过，本机不能再修改或撤回此案件；如需更正，请联系县局退回补正。</p>}
    </section>
  );
}
