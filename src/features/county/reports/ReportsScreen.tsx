// 报表: the weekly report, the end-of-August statistics and the completion summary of the caller's
// area, on screen with charts, printable on A4 (reports.css) and downloadable as .xlsx. Every figure
// comes from the server, computed from the cases; nothing here is typed in.
import { useState } from 'react';
import { REPORT_KIND_ZH } from '../../../shared/reports';
import type { ReportsApi } from '../api';
import { AugustStatisticsView, CompletionView } from './AreaReportViews';
import { WeeklyReportView } from './WeeklyReportView';
import './reports.css';

/** The policy table's actions that open this screen and sign a 报送. */
export const REPORT_READ_ACTION = 'report.read';
export const REPORT_SUBMIT_ACTION = 'report.submit';

type View = 'weekly' | 'august-statistics' | 'completion';
const VIEWS: readonly View[] = ['weekly', 'august-statistics', 'completion'];

export function ReportsScreen({ reports, actions, onSignedOut }: { reports: ReportsApi; actions: readonly string[]; onSignedOut(): void }) {
  const [view, setView] = useState<View>('weekly');
  return (
    <div className="county-panel county-reports" data-testid="county-reports">
      <div className="county-toolbar county-report-controls" role="group" aria-label="报表种类">
        {VIEWS.map((v) => (
          <button key={v} type="button" aria-pressed={view === v} className={`button${view === v ? ' button-primary' : ''}`} onClick={() => setView(v)}>
            {REPORT_KIND_ZH[v]}
          </button>
        ))}
      </div>
      {view === 'weekly' && <WeeklyReportView reports={reports} onSignedOut={onSignedOut} canSubmit={actions.includes(REPORT_SUBMIT_ACTION)} />}
      {view === 'august-statistics' && <AugustStatisticsView reports={reports} onSignedOut={onSignedOut} />}
      {view === 'completion' && <CompletionView reports={reports} onSignedOut={onSignedOut} />}
    </div>
  );
}
