// Times and counts of the sync screens, in Chinese.

/** 今天 14:05 / 5月2日 14:05 / 2023年12月30日 14:05, in the tablet's time zone. */
export function syncTimeZh(iso: string | null, now: Date = new Date()): string {
  if (!iso) return '从未';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '从未';
  const hm = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  if (t.toDateString() === now.toDateString()) return `今天 ${hm}`;
  if (t.getFullYear() === now.getFullYear()) return `${t.getMonth() + 1}月${t.getDate()}日 ${hm}`;
  return `${t.getFullYear()}年${t.getMonth() + 1}月${t.getDate()}日 ${hm}`;
}
