// A list that renders only the rows in view. Every row has the same height, so the position of row
// i is i × rowHeight and nothing has to be measured: 100,000 cases cost as much as 20. The list
// scrolls inside its own box (a fixed height), so the page around it stays put.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VisibleRange {
  /** First row index in view (with overscan), inclusive. */
  start: number;
  /** One past the last row in view (with overscan). */
  end: number;
}

export interface VirtualListProps {
  count: number;
  /** Height of every row, px. */
  rowHeight: number;
  /** Rows rendered above and below the visible ones, so a quick flick does not show blanks. */
  overscan?: number;
  /** The accessible name of the list. */
  label: string;
  renderRow: (index: number) => ReactNode;
  /** Called whenever the rendered range changes (to fetch the data of those rows). */
  onRangeChange?: (range: VisibleRange) => void;
  className?: string;
  /** Reset the scroll position to the top when this changes (new search results). */
  resetKey?: unknown;
}

/** Before the box has been laid out (or in a DOM without layout), assume a tablet screen's worth. */
const FALLBACK_VIEWPORT_PX = 720;
/** The box's top and bottom border (box-sizing: border-box). */
const BORDER_PX = 2;

export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): VisibleRange {
  if (count <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + viewport) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) };
}

export function VirtualList({ count, rowHeight, overscan = 6, label, renderRow, onRangeChange, className, resetKey }: VirtualListProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT_PX);
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const measure = () => setViewport(box.clientHeight > 0 ? box.clientHeight : FALLBACK_VIEWPORT_PX);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(box);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box) box.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  // One state update per animation frame, however many scroll events the browser sends.
  const onScroll = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      if (boxRef.current) setScrollTop(boxRef.current.scrollTop);
    });
  }, []);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const range = visibleRange(scrollTop, viewport, rowHeight, count, overscan);
  useEffect(() => {
    onRangeChange?.(range);
    // The range is a value: report it when its bounds change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range.start, range.end, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) {
    rows.push(
      <div key={i} role="listitem" aria-setsize={count} aria-posinset={i + 1} className="vlist-row" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div ref={boxRef} className={className ? `vlist ${className}` : 'vlist'} style={{ height: count * rowHeight + BORDER_PX }} onScroll={onScroll} data-testid="virtual-list">
      <div role="list" aria-label={label} className="vlist-canvas" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
