// 案件队列: the county reviewer's queue of synced cases — the true number that match, a page at a time,
// filtered by township, status, payer and flag, and a search box that also takes a printed
// application form's QR code (a USB scanner types its text and presses Enter): that opens the case.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { adminErrorZh, AdminApiError, type AdminApi, type CaseFlag, type CaseItem, type CaseQueuePage, type CaseQueueQuery, type Township, type UnitPayer } from '../api';
import { LIFECYCLE_STATUSES, LIFECYCLE_STATUS_ZH, type LifecycleStatus } from '../../../shared/case-lifecycle';
import { HandoverList, type Handover } from './HandoverList';

export const FLAG_LABELS: Record<CaseFlag, string> = {
  conflict: '冲突',
  'possible-duplicate': '疑似重复',
  'figures-differ': '测算不一致',
  'late-application': '逾期申请',
  'provisional-parameters': '暂定参数',
  'clerk-unverified': '经办人待核实',
};

export const PAYER_LABELS: Record<UnitPayer, string> = { unit: '原安置单位', superior: '上级主管部门', fiscal: '财政资金' };

export const PAGE_SIZES = [20, 50, 100, 200] as const;

/** Whole days the case has waited in its status, by this computer's clock (the server decides what is overdue). */
export function waitingDays(since: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
}

/** The flags a case carries, in FLAG_LABELS' order. */
export function caseFlags(c: CaseItem): CaseFlag[] {
  const on: Record<CaseFlag, boolean> = {
    conflict: c.flags.conflict,
    'possible-duplicate': c.flags.possibleDuplicate,
    'figures-differ': c.flags.figuresDiffer,
    'late-application': c.flags.lateApplication,
    'provisional-parameters': c.flags.provisionalParameters,
    'clerk-unverified': c.flags.clerkUnverified,
  };
  return (Object.keys(FLAG_LABELS) as CaseFlag[]).filter((f) => on[f]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CASE_NUMBER = /^\d{6}-[0-9A-Z]{8}-\d{5,}$/i;

/** A QR code's text (the case id) or a whole case number names one case: the search opens it. */
function namesOneCase(text: string): ((c: CaseItem) => boolean) | null {
  const t = text.trim();
  if (UUID.test(t)) return (c) => c.id === t.toLowerCase();
  if (CASE_NUMBER.test(t)) return (c) => c.caseNumber === t.toUpperCase();
  return null;
}

/** The calendar day in China (UTC+8) of an instant: the date the handover list carries. */
function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false });
}

export function CaseQueue({ api, onSignedOut, onOpen, reloadKey }: { api: AdminApi; onSignedOut(): void; onOpen(id: string): void; reloadKey: number }) {
  const id = useId();
  const [query, setQuery] = useState<CaseQueueQuery>({ limit: 50, offset: 0 });
  const [text, setText] = useState('');
  const [page, setPage] = useState<CaseQueuePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [townships, setTownships] = useState<Township[]>([]);
  // 核查通过 cases picked for 送经办机构; kept across pages, up to the server's cap of one batch.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [agencyName, setAgencyName] = useState('');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [batchNotice, setBatchNotice] = useState<string | null>(null);
  const sendToAgency = api.sendToAgency;
  // The search that should open its one case once its page arrives (a scanned QR code, a case number).
  const opening = useRef<((c: CaseItem) => boolean) | null>(null);
  // Only the newest request's answer is shown: filters changed quickly must not show an older page.
  const latest = useRef(0);
  // The parent's callbacks as refs: a new function from its render must not load the page again.
  const callbacks = useRef({ onOpen, onSignedOut });
  useEffect(() => {
    callbacks.current = { onOpen, onSignedOut };
  }, [onOpen, onSignedOut]);

  useEffect(() => {
    // Without the townships (a role that may not list them) the filter offers only 全部.
    api.townships().then(setTownships, () => setTownships([]));
  }, [api]);

  useEffect(() => {
    const n = ++latest.current;
    setError(null);
    api.cases(query).then(
      (p) => {
        if (n !== latest.current) return;
        setPage(p);
        const names = opening.current;
        opening.current = null;
        if (names) {
          const hit = p.cases.find(names);
          if (hit) callbacks.current.onOpen(hit.id);
          else setNotice('没有找到这个二维码或案件编号对应的案件（也可能不在您的辖区内）。');
        }
      },
      (err: unknown) => {
        if (n !== latest.current) return;
        if (err instanceof AdminApiError && err.code === 'unauthenticated') callbacks.current.onSignedOut();
        setError(adminErrorZh(err));
      },
    );
  }, [api, query, reloadKey]);

  const change = useCallback((patch: Partial<CaseQueueQuery>) => {
    setNotice(null);
    // Another filter starts again at the first page.
    setQuery((q) => ({ ...q, ...patch, offset: 0 }));
  }, []);

  const search = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    opening.current = namesOneCase(t);
    change({ q: t === '' ? undefined : t });
  };

  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / limit));
  const current = Math.floor(offset / limit) + 1;
  const go = (nextOffset: number) => setQuery((q) => ({ ...q, offset: nextOffset }));
  const toggle = (caseId: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(caseId);
      else next.delete(caseId);
      return next;
    });
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (sendToAgency === undefined || selected.size === 0) return;
    setSending(true);
    setBatchNotice(null);
    try {
      const result = await sendToAgency({ caseIds: [...selected], comment: comment.trim(), agencyName: agencyName.trim() });
      const at = result.signed[0]?.step.at;
      setHandover(result.handover.length === 0 || at === undefined ? null : { agencyName: agencyName.trim(), date: chinaDay(at), lines: result.handover });
      setBatchNotice(`已送经办机构 ${result.signed.length} 件${result.refused.length > 0 ? `；${result.refused.length} 件未送（不在辖区内、不存在或不是核查通过状态）` : ''}。`);
      setSelected(new Set());
      setQuery((q) => ({ ...q }));
    } catch (err) {
      if (err instanceof AdminApiError && err.code === 'unauthenticated') callbacks.current.onSignedOut();
      setBatchNotice(adminErrorZh(err));
    } finally {
      setSending(false);
    }
  };
  const townshipName = (code: string) => townships.find((t) => t.code === code)?.name ?? code;

  return (
    <div className="county-queue" data-testid="county-queue">
      <form className="county-queue-search" role="search" onSubmit={search}>
        <label htmlFor={`${id}-q`} className="field-label">
          搜索
        </label>
        <input
          id={`${id}-q`}
          type="search"
          enterKeyHint="search"
          autoComplete="off"
          placeholder="身份证号（全部或后几位）、姓名、拼音、案件编号，或扫描申请表二维码"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          搜索
        </button>
        {query.q !== undefined && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('');
              change({ q: undefined });
            }}
          >
            清除搜索
          </button>
        )}
      </form>
      <div className="county-toolbar county-queue-filters">
        <label>
          乡镇（街道）{' '}
          <select aria-label="乡镇（街道）" value={query.township ?? ''} onChange={(e) => change({ township: e.target.value || undefined })}>
            <option value="">全部</option>
            {townships.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          办理状态{' '}
          <select aria-label="办理状态" value={query.status ?? ''} onChange={(e) => change({ status: (e.target.value || undefined) as LifecycleStatus | undefined })}>
            <option value="">全部</option>
            {LIFECYCLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {LIFECYCLE_STATUS_ZH[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          单位部分承担方{' '}
          <select aria-label="单位部分承担方" value={query.payer ?? ''} onChange={(e) => change({ payer: (e.target.value || undefined) as UnitPayer | undefined })}>
            <option value="">全部</option>
            {(Object.keys(PAYER_LABELS) as UnitPayer[]).map((p) => (
              <option key={p} value={p}>
                {PAYER_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          标记{' '}
          <select aria-label="标记" value={query.flag ?? ''} onChange={(e) => change({ flag: (e.target.value || undefined) as CaseFlag | undefined })}>
            <option value="">全部</option>
            {(Object.keys(FLAG_LABELS) as CaseFlag[]).map((f) => (
              <option key={f} value={f}>
                {FLAG_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="county-check">
          <input type="checkbox" checked={query.overdue === true} onChange={(e) => change({ overdue: e.target.checked || undefined })} /> 只看超期案件
        </label>
        <button type="button" className="button" onClick={() => setQuery((q) => ({ ...q }))}>
          刷新
        </button>
        {page && (
          <span data-testid="county-case-count" role="status">
            共 {page.total} 件
          </span>
        )}
      </div>
      {notice && (
        <p className="banner banner-warning" data-testid="county-queue-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {sendToAgency !== undefined && selected.size > 0 && (
        <form className="county-toolbar" data-testid="batch-send" onSubmit={(e) => void send(e)}>
          <span>已选 {selected.size} 件核查通过的案件</span>
          <label>
            接收经办机构 <input aria-label="接收经办机构" required maxLength={64} value={agencyName} onChange={(e) => setAgencyName(e.target.value)} />
          </label>
          <label>
            说明 <input aria-label="送经办机构说明" required maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={sending || selected.size > 200}>
            送经办机构
          </button>
          <button type="button" className="button" onClick={() => setSelected(new Set())}>
            取消选择
          </button>
          {selected.size > 200 && <span className="field-error">一次最多 200 件</span>}
        </form>
      )}
      {batchNotice && (
        <p className="banner" role="status" data-testid="batch-send-notice">
          {batchNotice}
        </p>
      )}
      {handover && <HandoverList handover={handover} townshipName={townshipName} />}
      {page && (
        <table className="county-table" data-testid="county-cases">
          <thead>
            <tr>
              {sendToAgency !== undefined && <th>选择</th>}
              <th>案件编号</th>
              <th>姓名</th>
              <th>身份证号</th>
              <th>乡镇</th>
              <th>登记经办人账号</th>
              <th>办理状态</th>
              <th>单位部分承担方</th>
              <th>标记</th>
              <th>收到时间</th>
            </tr>
          </thead>
          <tbody>
            {page.cases.map((c) => (
              <tr key={c.id} data-testid="county-case-row" data-case-id={c.id}>
                {sendToAgency !== undefined && (
                  <td>
                    {c.lifecycleStatus === 'verified' && (
                      <input type="checkbox" aria-label={`选择 ${c.caseNumber}`} checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                    )}
                  </td>
                )}
                <td>
                  <button type="button" className="county-link" onClick={() => onOpen(c.id)}>
                    {c.caseNumber}
                  </button>
                </td>
                <td>{c.name}</td>
                <td>{c.idNumber}</td>
                <td>{townshipName(c.townshipCode)}</td>
                <td data-testid="county-case-clerk">{c.registeredBy ?? '—'}</td>
                <td>
                  {LIFECYCLE_STATUS_ZH[c.lifecycleStatus] ?? c.lifecycleStatus}
                  {c.status === 'withdrawn' ? '（已撤回）' : ''}
                  {c.lifecycleSince !== null && <span className="county-waiting" data-testid="county-case-waiting">（{waitingDays(c.lifecycleSince)}天）</span>}
                </td>
                <td>{c.unitPayer ? PAYER_LABELS[c.unitPayer] : '—'}</td>
                <td>
                  {caseFlags(c).map((f) => (
                    <span key={f} className={`county-flag county-flag-${f}`} data-flag={f}>
                      {FLAG_LABELS[f]}
                    </span>
                  ))}
                </td>
                <td>{when(c.receivedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <nav className="county-pager" aria-label="翻页">
          <button type="button" className="button" disabled={offset === 0} onClick={() => go(Math.max(0, offset - limit))}>
            上一页
          </button>
          <span data-testid="county-page-number">
            第 {current} / {pages} 页
          </span>
          <button type="button" className="button" disabled={offset + limit >= total} onClick={() => go(offset + limit)}>
            下一页
          </button>
          <label>
            每页{' '}
            <select aria-label="每页件数" value={limit} onChange={(e) => change({ limit: Number(e.target.value) })}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n} 件
                </option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </div>
  );
}
