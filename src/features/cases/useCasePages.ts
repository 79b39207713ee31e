// The case list's data: the number of cases, and the rows in view fetched a page at a time, newest
// first. Each page in view is a live query, so a case saved, withdrawn or synced (here or in another
// tab) shows up without a reload; pages scrolled away are dropped.
import { liveQuery, type Subscription } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseSummary } from '../../storage/types';
import type { VisibleRange } from './VirtualList';

export interface CaseListSource {
  count(): Promise<number>;
  listNewest(query: { offset: number; limit: number }): Promise<CaseSummary[]>;
}

export const PAGE_SIZE = 50;
/** Pages kept around the ones in view, so scrolling back a little does not fetch again. */
const KEEP_PAGES = 4;
/** A flick across thousands of rows must not start a query for every page it passes. */
const SETTLE_MS = 60;

export interface CasePages {
  /** Undefined until the first count arrives. */
  count: number | undefined;
  /** The row at index i, or undefined while its page loads. */
  rowAt(index: number): CaseSummary | undefined;
  /** Tell the hook which rows are in view. */
  setRange(range: VisibleRange): void;
  /** The last failure to read the list, if any. */
  error: unknown;
}

function pagesOf(range: VisibleRange, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const out: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) out.push(p);
  return out;
}

export function useCasePages(source: CaseListSource, pageSize = PAGE_SIZE): CasePages {
  const [error, setError] = useState<unknown>(null);
  const count = useLiveQuery(
    () =>
      source.count().catch((e: unknown) => {
        setError(e);
        return 0;
      }),
    [source],
  );
  const [range, setRangeState] = useState<VisibleRange>({ start: 0, end: 0 });
  const [pages, setPages] = useState<ReadonlyMap<number, CaseSummary[]>>(() => new Map());
  const subscriptions = useRef(new Map<number, Subscription>());
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const setRange = useCallback((next: VisibleRange) => {
    if (settle.current !== null) clearTimeout(settle.current);
    settle.current = setTimeout(() => {
      settle.current = null;
      setRangeState((prev) => (prev.start === next.start && prev.end === next.end ? prev : next));
    }, SETTLE_MS);
  }, []);

  // A new source (another database) starts from nothing.
  useEffect(() => {
    const subs = subscriptions.current;
    return () => {
      for (const s of subs.values()) s.unsubscribe();
      subs.clear();
      setPages(new Map());
    };
  }, [source]);

  useEffect(() => {
    const wanted = new Set(pagesOf(range, pageSize));
    const subs = subscriptions.current;
    for (const [page, sub] of subs) {
      if (!wanted.has(page)) {
        sub.unsubscribe();
        subs.delete(page);
      }
    }
    for (const page of wanted) {
      if (subs.has(page)) continue;
      const sub = liveQuery(() => source.listNewest({ offset: page * pageSize, limit: pageSize })).subscribe({
        next: (rows) =>
          setPages((prev) => {
            const next = new Map(prev);
            next.set(page, rows);
            // Forget pages far from the view; they are fetched again if the clerk scrolls back.
            const lo = Math.min(...wanted) - KEEP_PAGES;
            const hi = Math.max(...wanted) + KEEP_PAGES;
            for (const p of next.keys()) if (p < lo || p > hi) next.delete(p);
            return next;
          }),
        error: (e: unknown) => setError(e),
      });
      subs.set(page, sub);
    }
  }, [range, pageSize, source]);

  useEffect(
    () => () => {
      if (settle.current !== null) clearTimeout(settle.current);
    },
    [],
  );

  const rowAt = useCallback(
    (index: number) => {
      const page = pages.get(Math.floor(index / pageSize));
      return page?.[index % pageSize];
    },
    [pages, pageSize],
  );

  return { count, rowAt, setRange, error };
}
