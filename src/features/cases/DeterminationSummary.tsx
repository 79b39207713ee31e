// A stored determination: its key figures, each with the paragraph of the notice behind it, the
// warnings and out-of-scope reasons in Chinese, and (on screen) the engine's explanation sentences.
import { explain, outOfScopeZh, type Determination } from '../../domain';
import { Citation } from '../Citation';
import { OUT_OF_SCOPE_NEXT_STEP, warningZh } from '../labels';
import { keyFigures, provisionalLabels } from './figures';

export const DISCLAIMER = '测算结果仅供参考，以经办机构核定为准';

export function FiguresTable({ determination }: { determination: Determination }) {
  const figures = keyFigures(determination);
  if (figures.length === 0) return null;
  return (
    <table className="figure-table" data-testid="key-figures">
      <thead>
        <tr>
          <th scope="col" className="col-label">
            项目
          </th>
          <th scope="col">测算结果</th>
          <th scope="col" className="col-rule">
            依据（内政办字〔2019〕43号）
          </th>
        </tr>
      </thead>
      <tbody>
        {figures.map((f) => (
          <tr key={f.key} data-figure={f.key}>
            <th scope="row">{f.label}</th>
            <td>
              {f.value}
              {f.provisional && (
                <>
                  {' '}
                  <span className="provisional-mark">待核实</span>
                </>
              )}
            </td>
            <td className="cite">
              {f.rule === 'RA-2024' ? '延迟法定退休年龄的决定' : f.paragraph}（{f.rule}）
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OutOfScope({ determination }: { determination: Determination }) {
  if (determination.inScope) return null;
  return (
    <ul className="notice" data-testid="out-of-scope">
      {determination.outOfScopeReasons.map((r) => (
        <li key={r}>
          {outOfScopeZh(determination, r)}。{OUT_OF_SCOPE_NEXT_STEP[r]}
        </li>
      ))}
    </ul>
  );
}

export function WarningsList({ determination }: { determination: Determination }) {
  // Provisional parameters are listed once, by name, below; the figure rows carry 待核实.
  const warnings = determination.warnings.filter((w) => w.code !== 'provisional-parameter');
  const provisional = provisionalLabels(determination);
  if (warnings.length === 0 && provisional.length === 0) return null;
  return (
    <ul className="case-warnings" data-testid="warnings">
      {warnings.map((w, i) => (
        <li key={`${w.code}-${i}`}>
          {warningZh(w)} <span className="cite">（{w.rule}）</span>
        </li>
      ))}
      {provisional.length > 0 && <li>暂定参数（待核实）：{provisional.join('、')}</li>}
    </ul>
  );
}

export function Explanation({ determination }: { determination: Determination }) {
  const sentences = explain(determination);
  return (
    <ol className="case-explanation" data-testid="explanation">
      {sentences.map((s, i) => (
        <li key={i}>
          {s.text} <Citation rule={s.rule} paragraph={s.paragraph} />
        </li>
      ))}
    </ol>
  );
}

export function VersionLine({ determination, parameterSetVersion }: { determination: Determination; parameterSetVersion: string }) {
  return (
    <p className="version-line" data-testid="parameter-version">
      参数版本 {parameterSetVersion} · 规则版本 {determination.rulesVersion} · 测算月份 {determination.asOf}
    </p>
  );
}
