// The printed application form (申请表) and receipt (回执) of one case, as A4 pages. Everything comes
// from the stored case: the facts and registration, the stored determination with its citations
// and parameter-set version; the QR code of the case id is drawn here, offline.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { RULES, type Determination, type RuleId } from '../../domain';
import { useRepositories } from '../../app/providers';
import { paths, type PrintKind } from '../../app/router';
import { storageMessageZh } from '../../storage/messages';
import type { CaseRecord } from '../../storage/types';
import { DISCLAIMER, FiguresTable, OutOfScope, WarningsList } from '../cases/DeterminationSummary';
import { factSections } from '../cases/facts';
import { countyZh, dateTimeZh, dayZh, maskIdNumber } from '../cases/format';
import { CASE_STATUS_LABELS, ROUTING_LABELS } from '../labels';
import { QrCode } from './QrCode';
import './print.css';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export const FORM_TITLE = '内蒙古自治区退役士兵社会保险接续申请表';
export const RECEIPT_TITLE = '退役士兵社会保险接续申请受理回执';

interface ChecklistItem {
  text: string;
  rule: RuleId;
}

/** What the veteran brings or hands in (NM43-1.4.a), and what this case needs besides. */
export function documentChecklist(record: Pick<CaseRecord, 'facts' | 'determination'>): ChecklistItem[] {
  const d = record.determination;
  const items: ChecklistItem[] = [
    { text: '本人有效身份证件（居民身份证）', rule: 'NM43-1.4.a' },
    { text: '退役证明（退伍证、复员证、转业证等）', rule: 'NM43-1.4.a' },
    { text: '本申请表（本人签字）', rule: 'NM43-1.4.a' },
  ];
  if (d.pension && d.pension.unitPayer !== 'unit') {
    items.push({ text: '同级人民政府对原安置单位或其上级主管部门“不存在或缴纳确有困难”的确认', rule: 'NM43-1.2.c' });
  }
  if (record.facts.assistance.dibao || record.facts.assistance.tekun) {
    items.push({ text: '最低生活保障对象或特困人员的证明', rule: 'NM43-1.2.d' });
  }
  return items;
}

/** Where the materials go (NM43-1.4.a), in words. */
export function materialsDestination(d: Determination): string | null {
  return d.routing ? ROUTING_LABELS[d.routing] : null;
}

/** The county of the window that registered the case: the case number starts with its code. */
function windowCounty(record: CaseRecord): string {
  const code = /^(\d{6})-/.exec(record.caseNumber)?.[1] ?? record.facts.placement.countyCode;
  return countyZh(code);
}

function Footer({ record }: { record: CaseRecord }) {
  const d = record.determination;
  return (
    <footer className="sheet-footer">
      <p className="sheet-disclaimer" data-testid="disclaimer">
        {DISCLAIMER}。
      </p>
      <p data-testid="parameter-version">
        参数版本 {record.parameterSetVersion} · 规则版本 {d.rulesVersion} · 测算月份 {d.asOf} · 政策依据 内政办字〔2019〕43号
      </p>
    </footer>
  );
}

function ApplicationForm({ record }: { record: CaseRecord }) {
  const d = record.determination;
  const sections = factSections(record);
  return (
    <article className="sheet sheet-form" aria-label="申请表" data-testid="print-form">
      <header className="sheet-head sheet-head-with-qr">
        <div className="sheet-head-text">
          <h2 className="sheet-title">{FORM_TITLE}</h2>
          <div className="sheet-meta">
            <span>
              案件编号 <strong data-testid="print-case-number">{record.caseNumber}</strong>
            </span>
            <span>受理地 {windowCounty(record)}</span>
            <span>登记时间 {dateTimeZh(record.createdAt)}</span>
            {record.status !== 'registered' && <strong className="sheet-status">{CASE_STATUS_LABELS[record.status] ?? record.status}</strong>}
          </div>
        </div>
        {/* The county office scans this to open the synced case. */}
        <QrCode text={record.id} label={`案件二维码：${record.id}`} className="qr qr-small" />
      </header>

      {sections.map((section, i) => (
        <section key={section.title} className="sheet-section">
          <h3>
            {NUMERALS[i]}、{section.title}
          </h3>
          <table className="sheet-table">
            <tbody>
              {section.rows.map((r) => (
                <tr key={r.path} data-field={r.path}>
                  <th scope="row">{r.label}</th>
                  <td>{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}

      <section className="sheet-section sheet-determination">
        <h3>{NUMERALS[sections.length]}、测算结果</h3>
        <OutOfScope determination={d} />
        <FiguresTable determination={d} />
        <WarningsList determination={d} />
      </section>

      <section className="sheet-section sheet-signatures">
        <p className="sheet-declaration">本人承诺以上所填信息真实、准确。</p>
        <div className="signature-grid">
          <div className="signature">
            <span>申请人（签字）：</span>
            <span className="signature-line" />
            <span>日期：</span>
            <span className="date-line">{'年\u3000\u3000月\u3000\u3000日'}</span>
          </div>
          <div className="signature">
            <span>经办人（签字）：</span>
            <span className="signature-line">{record.createdBy}</span>
            <span>日期：</span>
            <span className="date-line">{dayZh(record.createdAt)}</span>
          </div>
          <div className="signature">
            <span>受理单位（盖章）：</span>
            <span className="signature-line" />
          </div>
        </div>
      </section>
      <Footer record={record} />
    </article>
  );
}

function Receipt({ record }: { record: CaseRecord }) {
  const d = record.determination;
  const destination = materialsDestination(d);
  return (
    <article className="sheet sheet-receipt" aria-label="回执" data-testid="print-receipt">
      <header className="sheet-head">
        <h2 className="sheet-title">{RECEIPT_TITLE}</h2>
      </header>
      <div className="receipt-body">
        <div className="receipt-facts">
          <table className="sheet-table">
            <tbody>
              <tr>
                <th scope="row">案件编号</th>
                <td>
                  <strong className="receipt-number" data-testid="print-case-number">
                    {record.caseNumber}
                  </strong>
                </td>
              </tr>
              <tr>
                <th scope="row">申请人</th>
                <td>{record.registration.name}</td>
              </tr>
              <tr>
                <th scope="row">身份证号码</th>
                <td>{maskIdNumber(record.facts.person.idNumber)}</td>
              </tr>
              <tr>
                <th scope="row">受理地</th>
                <td>{windowCounty(record)}（窗口设备 {record.deviceId}）</td>
              </tr>
              <tr>
                <th scope="row">经办人</th>
                <td>{record.createdBy}</td>
              </tr>
              <tr>
                <th scope="row">受理日期</th>
                <td>{dayZh(record.createdAt)}</td>
              </tr>
              {record.status !== 'registered' && (
                <tr>
                  <th scope="row">状态</th>
                  <td>{CASE_STATUS_LABELS[record.status] ?? record.status}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <figure className="receipt-qr">
          <QrCode text={record.id} label={`案件二维码：${record.id}`} />
          <figcaption>案件识别码 {record.id}</figcaption>
        </figure>
      </div>

      <section className="sheet-section">
        <h3>请备齐以下材料</h3>
        <ul className="checklist" data-testid="checklist">
          {documentChecklist(record).map((item) => (
            <li key={item.text}>
              <span className="checkbox" aria-hidden="true" />
              {item.text}
              <span className="cite">（{item.rule}）</span>
            </li>
          ))}
        </ul>
        {destination && <p>材料提交：{destination}，由其收齐后交到原办理安置手续相应层级的退役军人事务主管部门。</p>}
      </section>

      {d.inScope && d.pension && (
        <section className="sheet-section">
          <h3>测算摘要</h3>
          <p>
            军龄 {d.militaryMonths} 个月；养老保险可补缴 {d.pension.backPayMonths} 个月，单位应补缴 {d.pension.unitAmount} 元，个人应补缴 {d.pension.individualAmount}{' '}
            元（{RULES['NM43-1.1.b'].paragraph}、{RULES['NM43-1.3.a'].paragraph}）。
          </p>
        </section>
      )}
      <p>请凭本回执查询办理进度。</p>
      <div className="signature">
        <span>受理单位（盖章）：</span>
        <span className="signature-line" />
      </div>
      <Footer record={record} />
    </article>
  );
}

export default function PrintDocument({ caseId, kind }: { caseId: string; kind: PrintKind }) {
  const { cases } = useRepositories();
  const loaded = useLiveQuery(
    () =>
      cases.get(caseId).then(
        (record) => ({ record, error: null }),
        (e: unknown) => ({ record: undefined, error: storageMessageZh(e) }),
      ),
    [cases, caseId],
  );

  const title = kind === 'form' ? '申请表' : '回执';
  useEffect(() => {
    // The PDF's and the print dialog's name.
    const before = document.title;
    if (loaded?.record) document.title = `${title} ${loaded.record.caseNumber} ${loaded.record.registration.name}`;
    return () => {
      document.title = before;
    };
  }, [loaded, title]);

  if (loaded === undefined) {
    return (
      <p className="opening" role="status">
        正在读取案件…
      </p>
    );
  }
  const record = loaded.record;
  if (!record) {
    return (
      <section className="panel" role="alert">
        <h2>找不到该案件</h2>
        <p>{loaded.error ?? '本机没有这个案件的记录。'}</p>
        <div className="actions">
          <a className="button" href={paths.cases()}>
            返回受理记录
          </a>
        </div>
      </section>
    );
  }

  return (
    <div className="print-screen" data-print-kind={kind}>
      <div className="print-toolbar" role="toolbar" aria-label="打印">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          打印
        </button>
        <a className="button" href={paths.print(record.id, kind === 'form' ? 'receipt' : 'form')}>
          {kind === 'form' ? '改打回执' : '改打申请表'}
        </a>
        <a className="button" href={paths.case(record.id)}>
          返回案件
        </a>
        <span className="print-hint">请选择 A4 纸、纵向打印。</span>
      </div>
      {kind === 'form' ? <ApplicationForm record={record} /> : <Receipt record={record} />}
    </div>
  );
}
