// Where the drill-down stands: the report's own area, then each area opened below it; a step back
// is a click on an earlier one.
import type { Area } from '../../../shared/roles';
import { areaName, type AreaRowLike } from './drill';

export function AreaTrail({ root, trail, rowsOf, onTrail }: { root: AreaRowLike; trail: readonly Area[]; rowsOf(area: Area): AreaRowLike; onTrail(trail: Area[]): void }) {
  if (trail.length === 0) return null;
  const steps = [root, ...trail.map(rowsOf)];
  return (
    <nav className="county-toolbar county-report-trail" aria-label="地区层级">
      {steps.map((s, i) =>
        i === steps.length - 1 ? (
          <span key={s.area.code} aria-current="location">
            {areaName(s)}
          </span>
        ) : (
          <span key={s.area.code}>
            <button type="button" className="county-link" onClick={() => onTrail(trail.slice(0, i))}>
              {areaName(s)}
            </button>{' '}
            ›
          </span>
        ),
      )}
    </nav>
  );
}
