// 移交清单: the cases one batch sent to the agencies, printed on A4 and signed by who hands over and
// the agency that receives. ID numbers in full: the agency finds the insured person by them, and the
// reviewer may read them for his area; the paper goes to the agency alone.
import { formatFen } from '../../../domain/money';
import { areaZh, type HandoverLine } from '../api';
import { UNIT_PAYER_LABELS } from '../../labels';
import './handover.css';

export interface Handover {
  agencyName: string;
  /** The calendar day the batch was signed, YYYY-MM-DD. */
  date: string;
  lines: HandoverLine[];
}

export function HandoverList({ handover, townshipName }: { handover: Handover; townshipName(code: string): string }) {
  const { lines } = handover;
  const counties = [...new Set(lines.map((l) => l.townshipCode.slice(0, 6)))];
  const estimated = lines.filter((l) => l.estimateFen !== null);
  const totalFen = estimated.reduce((sum, l) => sum + l.estimateFen!, 0);
  return (
    <section className="handover-sheet" data-testid="handover-list" aria-label="移交清单">
      <h2>退役士兵养老保险接续移交清单</h2>
      <p>
        旗县：{counties.map((c) => areaZh({ level: 'county', code: c })).join('、')}{'\u3000'}移交日期：{handover.date}{'\u3000'}接收经办机构：{handover.agencyName}
      </p>
      <table>
        <thead>
          <tr>
            <th>序号</th>
            <th>案件编号</th>
            <th>姓名</th>
            <th>身份证号</th>
            <th>乡镇</th>
            <th>单位部分承担方</th>
            <th>系统测算金额（元）</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={l.caseId} data-testid="handover-line">
              <td>{i + 1}</td>
              <td>{l.caseNumber}</td>
              <td>{l.name}</td>
              <td>{l.idNumber}</td>
              <td>{townshipName(l.townshipCode)}</td>
              <td>{l.unitPayer ? UNIT_PAYER_LABELS[l.unitPayer] : '—'}</td>
              <td className="handover-amount">{l.estimateFen === null ? '—' : formatFen(l.estimateFen)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={6} data-testid="handover-count">
              合计 {lines.length} 件{estimated.length < lines.length ? `（其中 ${lines.length - estimated.length} 件无测算金额）` : ''}
            </td>
            <td className="handover-amount" data-testid="handover-total">
              {formatFen(totalFen)}
            </td>
          </tr>
        </tfoot>
      </table>
      <div className="handover-signatures">
        <p>移交人（签字）：＿＿＿＿＿＿{'\u3000'}日期：＿＿＿＿年＿＿月＿＿日</p>
        <p>接收人（经办机构，签字盖章）：＿＿＿＿＿＿{'\u3000'}日期：＿＿＿＿年＿＿月＿＿日</p>
      </div>
      <button type="button" className="button handover-no-print" onClick={() => window.print()}>
        打印移交清单
      </button>
    </section>
  );
}
