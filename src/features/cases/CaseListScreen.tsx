// 受理记录: every case on this tablet, newest first, with its status and sync state; a search box
// over ID numbers (whole or the last digits), names and pinyin initials. The list is virtual: only
// the rows in view exist, and their data is fetched a page at a time, so 100,000 cases scroll as
// smoothly as 20.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useRepositories } from '../../app/providers';
import { paths } from '../../app/router';
import type { CaseSummary } from '../../storage/types';
import { CASE_STATUS_LABELS, SYNC_STATE_LABELS } from '../labels';
import { ROW_HEIGHT, SEARCH_DEBOUNCE_MS, SEARCH_LIMIT } from './constants';
import { CountyStatusBadge } from './county-status';
import { dateTimeZh, maskIdNumber } from './format';
import { useCasePages } from './useCasePages';
import { VirtualList } from './VirtualList';
import './cases.css';

export { ROW_HEIGHT, SEARCH_LIMIT, SEARCH_DEBOUNCE_MS };

type SearchState =
  | { kind: 'none' }
  | { kind: 'too-short' }
  | { kind: 'searching'; query: string }
  | { kind: 'results'; query: string; rows: CaseSummary[] }
  | { kind: 'failed'; query: string; message: string };

/** ID digits alone are ambiguous below four: so many cases end in the same three digits. */
export function isTooShortIdQuery(query: string): boolean {
  const q = query.replace(/\s+/g, '');
  return /^\d+[xX]?$/.test(q) && q.length < 4;
}

export function StatusBadges({ summary }: { summary: Pick<CaseSummary, 'status' | 'syncState'> }) {
  return (
    <span className="case-badges">
      <span className={`badge badge-status-${summary.status}`}>{CASE_STATUS_LABELS[summary.status]}</span>
      <span className={`badge badge-sync-${summary.syncState}`}>{SYNC_STATE_LABELS[summary.syncState]}</span>
    </span>
  );
}

function CaseRow({ summary }: { summary: CaseSummary }) {
  return (
    <a className="case-row" href={paths.case(summary.id)} data-testid="case-row" data-case-id={summary.id}>
      <span className="case-row-line">
        <span className="case-row-name">{summary.name}</span>
        <span className="case-badges">
          <StatusBadges summary={summary} />
          <CountyStatusBadge status={summary.lifecycleStatus} />
        </span>
      </span>
      <span className="case-row-line case-row-meta">
        <span className="case-row-number">{summary.caseNumber}</span>
        <span className="case-row-id" aria-label={`身份证号码 ${maskIdNumber(summary.idNumber)}`}>
          {maskIdNumber(summary.idNumber)}
        </span>
        <span className="case-row-date">{dateTimeZh(summary.createdAt)}</span>
        <span className="case-row-figure">{summary.inScope ? `可补缴 ${summary.backPayMonths ?? 0} 个月` : '不适用本通知，待县局审核'}</span>
      </span>
    </a>
  );
}

function PlaceholderRow() {
  return (
    <span className="case-row case-row-loading" aria-busy="true">
      <span className="case-row-line">正在读取…</span>
    </span>
  );
}

export function CaseListScreen() {
  const { cases } = useRepositories();
  const pages = useCasePages(cases);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>({ kind: 'none' });
  const request = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inputId = useId();
  const hintId = useId();

  const runSearch = useCallback(
    (raw: string) => {
      const q = raw.trim();
      const ticket = ++request.current;
      if (q === '') return setSearch({ kind: 'none' });
      if (isTooShortIdQuery(q)) return setSearch({ kind: 'too-short' });
      setSearch((prev) => (prev.kind === 'results' ? prev : { kind: 'searching', query: q }));
      cases.search(q, { limit: SEARCH_LIMIT }).then(
        (rows) => {
          if (ticket === request.current) setSearch({ kind: 'results', query: q, rows });
        },
        (e: unknown) => {
          if (ticket === request.current) setSearch({ kind: 'failed', query: q, message: e instanceof Error ? e.message : String(e) });
        },
      );
    },
    [cases],
  );

  const onChange = (value: string) => {
    setQuery(value);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      runSearch(value);
    }, SEARCH_DEBOUNCE_MS);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    runSearch(query);
  };
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  // A too-short ID query only adds a hint: the whole list stays in view.
  const searching = search.kind !== 'none' && search.kind !== 'too-short';
  const results = search.kind === 'results' ? search.rows : null;
  const total = pages.count;

  let status: string;
  if (search.kind === 'too-short') status = '按身份证号码查找时，请至少输入后4位';
  else if (search.kind === 'searching') status = '正在查找…';
  else if (search.kind === 'failed') status = `查找失败：${search.message}`;
  else if (results) {
    status =
      results.length === 0
        ? `没有找到“${search.kind === 'results' ? search.query : ''}”`
        : results.length >= SEARCH_LIMIT
          ? `找到的记录超过${SEARCH_LIMIT}件，只列出最新的${SEARCH_LIMIT}件；请输入更完整的号码或姓名`
          : `找到 ${results.length} 件`;
  } else status = total === undefined ? '正在读取…' : `本机共 ${total} 件，最新的在前`;

  return (
    <div className="cases-screen">
      <section className="panel cases-panel" aria-labelledby="cases-title">
        <div className="cases-head">
          <h2 id="cases-title">受理记录</h2>
          <a className="button button-primary" href={paths.intake()}>
            新登记
          </a>
        </div>
        <form role="search" className="cases-search" onSubmit={onSubmit}>
          <label htmlFor={inputId} className="cases-search-label">
            查找
          </label>
          <input
            id={inputId}
            className="cases-search-input"
            type="search"
            inputMode="search"
            autoComplete="off"
            spellCheck={false}
            value={query}
            aria-describedby={hintId}
            placeholder="身份证号码或后4位以上、姓名、拼音首字母"
            onChange={(e) => onChange(e.target.value)}
          />
          <button type="submit" className="button">
            查找
          </button>
        </form>
        <p id={hintId} className="cases-status" role="status" data-testid="cases-status">
          {status}
        </p>
        {pages.error !== null && !searching && <p className="cases-error">读取受理记录失败：{pages.error instanceof Error ? pages.error.message : String(pages.error)}</p>}
        {!searching && total === 0 ? (
          <div className="empty-state">
            <p className="empty-title">尚无受理记录</p>
            <p className="empty-hint">本机登记的受理记录将列在这里，联网后同步至县局。</p>
          </div>
        ) : results ? (
          results.length > 0 && (
            <VirtualList
              label="查找结果"
              count={results.length}
              rowHeight={ROW_HEIGHT}
              resetKey={results}
              renderRow={(i) => <CaseRow summary={results[i]!} />}
            />
          )
        ) : (
          !searching && (
            <VirtualList
              label="受理记录，最新的在前"
              count={total ?? 0}
              rowHeight={ROW_HEIGHT}
              onRangeChange={pages.setRange}
              renderRow={(i) => {
                const row = pages.rowAt(i);
                return row ? <CaseRow summary={row} /> : <PlaceholderRow />;
              }}
            />
          )
        )}
      </section>
    </div>
  );
}
