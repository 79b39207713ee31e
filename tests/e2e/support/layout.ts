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
