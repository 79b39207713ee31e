// 需处理的案件: what the county sent back for correction (退回补正) and what conflicts, so that the
// window sees them after a sync instead of finding them by chance in the list.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import type { CaseAttention, CasesRepository } from '../../storage';
import { caseRefusalZh } from '../../sync/messages';

export function AttentionList({ cases, caseHref }: { cases: CasesRepository; caseHref(id: string): string }) {
  const [items, setItems] = useState<CaseAttention[]>([]);
  useEffect(() => {
    const sub = liveQuery(() => cases.needingAttention(50)).subscribe({ next: setItems, error: () => undefined });
    return () => sub.unsubscribe();
  }, [cases]);
  if (items.length === 0) return null;
  return (
    <section className="sync-attention" aria-labelledby="sync-attention-title" data-testid="sync-attention">
      <h3 id="sync-attention-title">需处理的案件（{items.length}）</h3>
      <ul>
        {items.map((c) => (
          <li key={c.id} data-testid="attention-item">
            <a href={caseHref(c.id)}>
              {c.caseNumber} {c.name}
            </a>
            {c.syncState === 'conflict' && <span className="sync-attention-tag">与县局版本冲突，待县局裁决</span>}
            {c.countyStatus === 'correction-requested' && <span className="sync-attention-tag">县局退回补正：{c.correctionRequest}</span>}
            {c.refusal !== null && <span className="sync-attention-tag">{caseRefusalZh(c.refusal)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
