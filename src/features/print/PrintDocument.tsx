// The printed application form (申请表) and receipt (回执) of one case, as A4 pages. Everything comes
// from the stored case: the facts and registration, the stored determination with its citations
// and parameter-set version; the QR code of the case id is drawn here, offline.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { COUNTY_DEPARTMENT, ROUTING_SENTENCES, RULES, UNIT_SHARE_PAYER, explain, monthsZh, numeralZh, usedDateZh, type Determination, type RuleId } from '../../domain';
import { useRepositories } from '../../app/providers';
import { paths, type PrintKind } from '../../app/router';
import { storageMessageZh } from '../../storage/messages';
import type { CaseRecord } from '../../storage/types';
import { DISCLAIMER, FiguresTable, OutOfScope, WarningsList } from '../cases/DeterminationSummary';
import { factSections } from '../cases/facts';
import { countyZh, dateTimeZh, dayZh, maskIdNumber } from '../cases/format';
import { CASE_STATUS_LABELS } from '../labels';
import { QrCode } from './QrCode';
import './print.css';


export const FORM_TITLE = '内蒙古自治区退役士兵社会保险接续申请表';
export const RECEIPT_TITLE = '退役士兵社会保险接续申请受理回执';

const FORM_ITEM = '本申请表（本人签字）';

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
    { text: FORM_ITEM, rule: 'NM43-1.4.a' },
  ];
  if (d.pension && d.pension.unitPayer !== 'unit') {
    items.push({ text: '同级人民政府对原安置单位或其上级主管部门“不存在或缴纳确有困难”的确认', rule: 'NM43-1.2.c' });
  }
  if (record.facts.assistance.dibao || record.facts.assistance.tekun) {
    items.push({ text: '最低生活保障对象或特困人员的证明', rule: 'NM43-1.2.d' });
  }
  return items;
}

/** A paragraph of the notice as the veteran's papers name it: no internal ids on them. */
function paragraphZh(rule: RuleId): string {
  return rule === 'RA-2024' ? '延迟法定退休年龄的决定' : `通知${RULES[rule].paragraph}`;
}

/** The late application's caveat, with the deadline the determination used. */
function lateCaveat(d: Determination): string | null {
  if (!d.applicationLate) return null;
  const deadline = usedDateZh(d, 'application-deadline', 'applicationDeadline');
  return `申请晚于本通知规定的申请截止时间${deadline ? `（${deadline}）` : ''}，能否补缴、怎样办理，由${COUNTY_DEPARTMENT}研究决定。`;
}

const ESTIMATE_CAVEAT = '以上金额为受理窗口按登记信息所作的测算，断缴时间和应补缴金额以养老、医疗保险经办机构认定和计算的为准。';

/** A blank line to write on, with the date to fill in by hand. */
function SignLine({ label, testId }: { label: string; testId?: string }) {
  return (
    <div className="signature" data-testid={testId}>
      <span>{label}</span>
      <span className="signature-line" />
      <span className="date-line">{'\u3000\u3000年\u3000\u3000月\u3000\u3000日'}</span>
    </div>
  );
}

/** A box the county office, civil affairs or an insurance agency fills in by hand on the paper. */
function VerifyBox({ title, lines, testId }: { title: string; lines: string[]; testId: string }) {
  return (
    <div className="verify-box" data-testid={testId}>
      <h4>{title}</h4>
      {lines.map((line) => (
        <p key={line} className="verify-line">
          {line}
        </p>
      ))}
      <SignLine label="经办人（签字）：" />
      <p className="verify-seal">（盖章）</p>
    </div>
  );
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
  // The papers handed in with the form; the form itself is not its own attachment.
  const attachments = documentChecklist(record).filter((item) => item.text !== FORM_ITEM);
  const claimsAssistance = record.facts.assistance.dibao || record.facts.assistance.tekun;
  const late = lateCaveat(d);
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
            <span>登记人 {record.createdBy}</span>
            {record.status !== 'registered' && <strong className="sheet-status">{CASE_STATUS_LABELS[record.status]}</strong>}
          </div>
        </div>
        {/* The county office scans this to open the synced case. */}
        <QrCode text={record.id} label={`案件二维码：${record.id}`} className="qr qr-small" />
      </header>

      {sections.map((section, i) => (
        <section key={section.title} className="sheet-section">
          <h3>
            {numeralZh(i + 1)}、{section.title}
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

      <section className="sheet-section" data-testid="print-attachments">
        <h3>{numeralZh(sections.length + 1)}、附件</h3>
        <ol className="attachments">
          {attachments.map((item) => (
            <li key={item.text}>{item.text}</li>
          ))}
        </ol>
      </section>

      <section className="sheet-section sheet-signatures" data-testid="print-declaration">
        <h3>{numeralZh(sections.length + 2)}、申请人承诺</h3>
        <p className="sheet-declaration">本人承诺以上所填信息和所附材料真实、准确。</p>
        <SignLine label="申请人（签字）：" testId="sign-applicant" />
      </section>

      <section className="sheet-section sheet-determination" data-testid="print-determination">
        <h3>{numeralZh(sections.length + 3)}、测算结果（受理窗口填写，仅供参考）</h3>
        <p className="sheet-note">以下由受理窗口按登记信息、依本通知的标准测算，不属于申请人承诺的内容。{ESTIMATE_CAVEAT}</p>
        {late && <p className="sheet-note sheet-late">{late}</p>}
        <OutOfScope determination={d} />
        <FiguresTable determination={d} />
        <WarningsList determination={d} />
      </section>

      <section className="sheet-section" data-testid="print-explanation">
        <h3>{numeralZh(sections.length + 4)}、向本人说明</h3>
        <ol className="sheet-explanation">
          {explain(d).map((s, i) => (
            <li key={i}>
              {s.text}
              <span className="cite">（{paragraphZh(s.rule)}）</span>
            </li>
          ))}
        </ol>
      </section>

      <section className="sheet-section sheet-signatures" data-testid="print-acceptance">
        <h3>{numeralZh(sections.length + 5)}、受理</h3>
        <div className="signature-grid">
          <SignLine label="经办人（签字）：" testId="sign-clerk" />
          <SignLine label="受理单位（盖章）：" testId="sign-seal" />
        </div>
      </section>

      <section className="sheet-section sheet-verification" data-testid="print-verification">
        <h3>{numeralZh(sections.length + 6)}、核查和认定（由有关部门填写）</h3>
        <VerifyBox
          testId="verify-county"
          title="安置地退役军人事务主管部门核查意见（服役经历和退役方式）"
          lines={['服役经历：□ 核查无误　□ 有误，情况：', '退役方式：□ 核查无误　□ 有误，情况：']}
        />
        {d.pension && d.pension.unitPayer !== 'unit' && (
          <VerifyBox testId="verify-government" title="同级人民政府确认（原安置单位或其上级主管部门不存在或缴纳确有困难）" lines={['确认意见：']} />
        )}
        {claimsAssistance && (
          <VerifyBox testId="verify-civil-affairs" title="民政部门核实（最低生活保障对象、特困人员）" lines={['□ 最低生活保障对象　□ 特困人员　□ 不属于']} />
        )}
        <VerifyBox
          testId="verify-pension"
          title="养老保险经办机构认定"
          lines={['断缴时间：自\u3000\u3000年\u3000\u3000月至\u3000\u3000年\u3000\u3000月，共\u3000\u3000个月', '应补缴金额：单位部分\u3000\u3000\u3000\u3000元，个人部分\u3000\u3000\u3000\u3000元']}
        />
        <VerifyBox
          testId="verify-medical"
          title="医疗保险经办机构认定"
          lines={['缴费年限：累计\u3000\u3000个月，尚差\u3000\u3000个月', '应补缴金额：单位部分\u3000\u3000\u3000\u3000元，个人部分\u3000\u3000\u3000\u3000元']}
        />
      </section>
      <Footer record={record} />
    </article>
  );
}

function Receipt({ record }: { record: CaseRecord }) {
  const d = record.determination;
  const late = lateCaveat(d);
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
                  <td>{CASE_STATUS_LABELS[record.status]}</td>
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
              <span className="cite">（{paragraphZh(item.rule)}）</span>
            </li>
          ))}
        </ul>
        {d.routing && <p data-testid="receipt-routing">材料提交：{ROUTING_SENTENCES[d.routing]}</p>}
      </section>

      {d.inScope && d.pension && (
        <section className="sheet-section" data-testid="receipt-summary">
          <h3>测算摘要（仅供参考）</h3>
          {late && <p className="sheet-late">{late}</p>}
          <p>
            军龄{monthsZh(d.militaryMonths ?? 0)}。按通知标准测算，养老保险可补缴{monthsZh(d.pension.backPayMonths)}：单位部分{d.pension.unitAmount}元，
            {UNIT_SHARE_PAYER[d.pension.unitPayer]}；个人部分{d.pension.individualAmount}元，由本人负担（{paragraphZh('NM43-1.1.b')}、{RULES['NM43-1.3.a'].paragraph}、
            {RULES['NM43-1.2.a'].paragraph}）。
          </p>
          <p>{ESTIMATE_CAVEAT}</p>
        </section>
      )}
      <p>请凭本回执查询办理进度。</p>
      <SignLine label="受理单位（盖章）：" testId="sign-seal" />
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
