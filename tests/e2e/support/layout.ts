// Layout checks shared by the browser tests.
import type { Locator } from 'playwright-core';

export interface NumberedList {
  list: string;
  items: number;
  /** The list's left padding, px: where its numbers are drawn. */
  padding: number;
  /** The width of its widest number ("12. ") in the list's font, px. */
  marker: number;
}

/**
 * Every numbered list inside `root`, with the room its numbers need. A number wider than the list's
 * padding hangs outside the list, where a box that clips (a sheet, a contained panel) cuts it.
 */
export function numberedLists(root: Locator): Promise<NumberedList[]> {
  return root.evaluate((el) =>
    [...el.querySelectorAll('ol')].map((ol) => {
      const s = getComputedStyle(ol);
      const canvas = document.createElement('canvas').getContext('2d')!;
      canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      return { list: ol.className, items: ol.children.length, padding: parseFloat(s.paddingLeft), marker: canvas.measureText(`${ol.children.length}. `).width };
    }),
  );
}

export interface SmallTarget {
  /** The element's tag, its text or label, for the failure message. */
  what: string;
  width: number;
  height: number;
}

/**
 * Every visible control inside `root` that a finger cannot reliably hit: smaller than `min` px either
 * way. A checkbox or radio counts by its label when the label holds it (the whole label takes the tap).
 */
export function smallTouchTargets(root: Locator, min = 44): Promise<SmallTarget[]> {
  return root.evaluate((el, least) => {
    const out: { what: string; width: number; height: number }[] = [];
    for (const c of el.querySelectorAll<HTMLElement>('button, a[href], [role="tab"], input, select, textarea, summary')) {
      const target = (c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio') && c.closest('label')) || c;
      if (c instanceof HTMLInputElement && c.type === 'hidden') continue;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < least - 0.5 || r.height < least - 0.5) {
        const label = (target.textContent ?? '').trim() || c.getAttribute('aria-label') || c.id || '';
        out.push({ what: `${target.tagName.toLowerCase()} ${label.slice(0, 30)}`, width: Math.round(r.width), height: Math.round(r.height) });
      }
    }
    return out;
  }, min);
}
