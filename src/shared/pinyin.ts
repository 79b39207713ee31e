// Pinyin of a name for search ("zs" and "zhangsan" find 张三), on the tablet and on the county
// server alike. pinyin-pro and its dictionary are large, so they load on first use, in their own
// chunk, not with the first screen.

type PinyinPro = typeof import('pinyin-pro');

let loading: Promise<PinyinPro> | null = null;

function loadPinyin(): Promise<PinyinPro> {
  loading ??= import('pinyin-pro').catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/** Starts loading the pinyin dictionary (e.g. when the intake form opens), so the first save does not wait. */
export function preloadPinyin(): void {
  void loadPinyin().catch(() => undefined);
}

/** At most this many readings per name: a long name of polyphonic characters would otherwise multiply. */
export const MAX_INITIAL_READINGS = 16;

const HAN = /\p{Script=Han}/u;
const LATIN_OR_DIGIT = /^[a-z0-9]$/;

function letters(name: string): string[] {
  return [...name.normalize('NFKC').toLowerCase()].filter((c) => HAN.test(c) || LATIN_OR_DIGIT.test(c));
}

function initialsOf(p: PinyinPro, text: string, surname: 'head' | 'off'): string {
  const out = p.pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', surname, nonZh: 'consecutive' });
  return out.join('').toLowerCase();
}

/**
 * Every plausible string of initials of a name, best guess first: the surname reading of the first
 * characters (单 as shàn, 曾 as zēng, 欧阳 …), the reading in context, then the other readings of
 * polyphonic characters, up to MAX_INITIAL_READINGS. Characters other than Han, Latin letters and
 * digits (spaces, the · of Mongolian names) are left out.
 */
export async function nameInitialReadings(name: string): Promise<string[]> {
  const chars = letters(name);
  if (chars.length === 0) return [];
  const p = await loadPinyin();
  const text = chars.join('');
  const readings = new Set<string>([initialsOf(p, text, 'head'), initialsOf(p, text, 'off')]);

  let partial = [''];
  for (const c of chars) {
    const options = HAN.test(c) ? [...new Set(p.pinyin(c, { pattern: 'first', toneType: 'none', type: 'array', multiple: true }).map((s) => s.toLowerCase()))] : [c];
    const next: string[] = [];
    for (const prefix of partial) {
      for (const o of options) {
        if (next.length < MAX_INITIAL_READINGS) next.push(prefix + o);
      }
    }
    partial = next;
  }
  for (const r of partial) {
    if (readings.size >= MAX_INITIAL_READINGS) break;
    readings.add(r);
  }
  return [...readings].filter((r) => r.length > 0);
}

/** The best-guess initials of a name ("张三" → "zs", "单田芳" → "stf"). */
export async function nameInitials(name: string): Promise<string> {
  return (await nameInitialReadings(name))[0] ?? '';
}

function fullOf(p: PinyinPro, text: string, surname: 'head' | 'off'): string {
  return p.pinyin(text, { toneType: 'none', type: 'array', surname, nonZh: 'consecutive', v: true }).join('').toLowerCase();
}

/**
 * The county queue's search text of a name: its whole pinyin (the surname reading and the reading in
 * context) and every reading of its initials, each after a space, so that `LIKE '% q%'` finds a
 * reading that begins with q ("zs", "zhang", "zhangsan" all find 张三).
 */
export async function namePinyinSearchText(name: string): Promise<string> {
  const chars = letters(name);
  if (chars.length === 0) return '';
  const p = await loadPinyin();
  const text = chars.join('');
  const readings = new Set([fullOf(p, text, 'head'), fullOf(p, text, 'off'), ...(await nameInitialReadings(name))]);
  return [...readings]
    .filter((r) => /^[a-z0-9]+$/.test(r))
    .map((r) => ` ${r}`)
    .join('');
}
