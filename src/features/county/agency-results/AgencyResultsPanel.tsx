// 经办结果导入: an agencies' results file (.xlsx or CSV) previewed row by row, each problem named by its
// row, column and reason in Chinese; then only the good rows recorded as agency findings, once confirmed.
import { useId, useState } from 'react';
import type { AgencyResultRow, AgencyResultsCommit, AgencyResultsPreview } from '../../../shared/admin-api';
import type { AdminApi } from '../api';
import { serverReasonZh } from '../common/problems';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import './agency-results.css';

type AgencyResultsApi = NonNullable<AdminApi['agencyResults']>;
type FileBody = Parameters<AgencyResultsApi['preview']>[0];

const TRACK_ZH = { pension: '养老', medical: '医疗' } as const;

/** The file's bytes as base64, as the server's request body carries them. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** A row's reason in Chinese: the server writes `field: reason`, and the column already names the field. */
export function rowProblemZh(message: string): string {
  return serverReasonZh(message.replace(/^[A-Za-z]+: /, ''));
}

export function AgencyResultsPanel({ agencyResults, canImport, onSignedOut }: { agencyResults: AgencyResultsApi; canImport: boolean; onSignedOut(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const [file, setFile] = useState<File | null>(null);
  const [agencyName, setAgencyName] = useState('');
  const [missingFile, setMissingFile] = useState(false);
  // The body that was previewed is the one committed: the same bytes, name and agency.
  const [previewed, setPreviewed] = useState<{ body: FileBody; preview: AgencyResultsPreview } | null>(null);
  const [result, setResult] = useState<AgencyResultsCommit | null>(null);

  const preview = async () => {
    setResult(null);
    setPreviewed(null);
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMissingFile(false);
    const name = agencyName.trim();
    const body: FileBody = { fileName: file.name, content: await readBase64(file), ...(name ? { agencyName: name } : {}) };
    const answer = await run(() => agencyResults.preview(body));
    if (answer) setPreviewed({ body, preview: answer });
  };

  const commit = async () => {
    if (!previewed || previewed.preview.good === 0) return;
    if (!window.confirm(`导入 ${previewed.preview.good} 条经办机构测算结果？有问题的 ${previewed.preview.bad} 行不导入。导入后记入审计链。`)) return;
    const answer = await run(() => agencyResults.commit(previewed.body));
    if (answer) {
      setResult(answer);
      setPreviewed(null);
    }
  };

  return (
    <div className="county-panel county-agency-results" data-testid="county-agency-results">
      <h3 id={`${id}-t`}>经办结果导入</h3>
      <p>选择社保经办机构报来的测算结果文件（.xlsx 或 .csv，每行一个案件的一个险种），先预览，核对无误后导入没有问题的行。</p>
      <form
        className="county-form"
        aria-labelledby={`${id}-t`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void preview();
        }}
      >
        <label htmlFor={`${id}-f`} className="field-label">
          结果文件（.xlsx 或 .csv）
        </label>
        <input
          id={`${id}-f`}
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          aria-invalid={missingFile || undefined}
          aria-describedby={missingFile ? `${id}-fe` : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setMissingFile(false);
            setPreviewed(null);
            setResult(null);
          }}
        />
        {missingFile && (
          <p id={`${id}-fe`} className="field-error" role="alert">
            请选择结果文件。
          </p>
        )}
        <label htmlFor={`${id}-a`} className="field-label">
          经办机构（文件中没有「经办机构」列时填写）
        </label>
        <input id={`${id}-a`} value={agencyName} maxLength={200} onChange={(e) => setAgencyName(e.target.value)} />
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            预览
          </button>
        </div>
      </form>
      {previewed && <PreviewTable preview={previewed.preview} busy={busy} onCommit={canImport ? () => void commit() : null} />}
      {result && (
        <p className="banner" role="status" data-testid="agency-results-done">
          已导入 {result.recorded} 条；未导入 {result.bad} 行（有问题）。
        </p>
      )}
    </div>
  );
}

function PreviewTable({ preview, busy, onCommit }: { preview: AgencyResultsPreview; busy: boolean; onCommit: (() => void) | null }) {
  return (
    <section aria-label="预览结果" data-testid="agency-results-preview">
      <p role="status" data-testid="agency-results-counts">
        共 {preview.rows.length} 行：可导入 {preview.good} 行，有问题 {preview.bad} 行。
      </p>
      <div className="county-table-scroll">
        <table className="county-findings">
          <thead>
            <tr>
              <th scope="col">行号</th>
              <th scope="col">匹配的案件</th>
              <th scope="col">险种</th>
              <th scope="col">中断月数</th>
              <th scope="col">单位缴费金额（元）</th>
              <th scope="col">个人缴费金额（元）</th>
              <th scope="col">问题</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <PreviewRow key={r.row} row={r} />
            ))}
          </tbody>
        </table>
      </div>
      {onCommit && (
        <div className="actions">
          <button type="button" className="button button-primary" disabled={busy || preview.good === 0} onClick={onCommit}>
            导入 {preview.good} 条
          </button>
        </div>
      )}
    </section>
  );
}

function PreviewRow({ row }: { row: AgencyResultRow }) {
  return (
    <tr data-testid="agency-results-row" data-good={row.problems.length === 0}>
      <td>{row.row}</td>
      <td>{row.caseNumber ?? '—'}</td>
      <td>{row.input ? TRACK_ZH[row.input.track] : '—'}</td>
      <td>{row.input ? row.input.gapMonths : '—'}</td>
      <td>{row.input ? row.input.unitAmount : '—'}</td>
      <td>{row.input ? row.input.individualAmount : '—'}</td>
      <td>
        {row.problems.length === 0 ? (
          '✓ 可导入'
        ) : (
          <ul>
            {row.problems.map((p, i) => (
              <li key={i} data-testid="agency-results-problem">
                ⚠ 「{p.column}」列：{rowProblemZh(p.message)}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
