// The sections of the intake form: 身份, 服役, 安置, 参保, 救助, 申请.
import { useEffect, useState, type ReactNode } from 'react';
import { Controller, useFormContext, useWatch } from 'react-hook-form';
import { checkIdNumber, dateZh, idProblemZh, monthZh, percentZh, type ParameterSet } from '../../domain';
import { useRepositories } from '../../app/providers';
import { paths } from '../../app/router';
import type { CaseSummary } from '../../storage';
import { CASE_STATUS_LABELS, DISCHARGE_MODE_LABELS, FEMALE_CATEGORY_LABELS, SEX_LABELS } from '../labels';
import { CountyPicker } from './CountyPicker';
import { Checkbox, Choice, DateField, ErrorText, MonthField, TextField, YesNo, errorId, fieldId, useFieldError } from './fields';
import { DISCHARGE_MODE_OPTIONS, needsPayerConfirmation, tidyIdNumber, type IntakeFormValues } from './form-model';
import { PeriodsEditor } from './PeriodsEditor';

/**
 * The value of a parameter series in force today. The form has no determination yet, so its hints
 * read the device's current parameter set, as the determination will.
 */
function inForceToday<V>(series: readonly { from: string; value: V }[]): V | undefined {
  const today = new Date().toISOString().slice(0, 10);
  return (series.filter((e) => e.from <= today).at(-1) ?? series[0])?.value;
}

function lawDateHint(p: ParameterSet): string {
  const date = inForceToday(p.fixed.militaryInsuranceLawDate);
  return `${date ? dateZh(date) : ''}《军人保险法》施行后退役的，退役时应发放此项补助；之前退役的选“未领取”。`;
}

function asOfHint(p: ParameterSet): string {
  const share = inForceToday(p.fixed.baseWageShare);
  return `以此日期为补缴时间测算。缴费基数为上年度职工平均工资的${share ? percentZh(share) : '规定比例'}。费率按此日期安置地的规定。默认今天，不得早于申请日期。`;
}

function Section({ id, title, children, note }: { id: string; title: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="form-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`} className="form-section-title">
        {title}
      </h2>
      {note && <p className="section-note">{note}</p>}
      <div className="field-grid">{children}</div>
    </section>
  );
}

/** The ID number checked as it is typed: length, characters, birth date, checksum; 15 → 18. */
function IdStatus() {
  const raw = useWatch<IntakeFormValues, 'facts.person.idNumber'>({ name: 'facts.person.idNumber' });
  const error = useFieldError('facts.person.idNumber');
  const id = tidyIdNumber(raw ?? '');
  if (id === '' || error) return null;
  const check = checkIdNumber(id);
  let body: ReactNode;
  let tone: 'ok' | 'bad' | 'neutral' = 'neutral';
  if (check.valid) {
    tone = 'ok';
    body = (
      <>
        号码有效 · 出生 <strong data-testid="id-birth">{monthZh(check.birth)}</strong> · 性别 <strong data-testid="id-sex">{SEX_LABELS[check.sex]}</strong>
        {check.upgradedFrom15 && (
          <>
            <br />
            15位旧号码，对应18位号码 <strong data-testid="id-upgraded">{check.idNumber}</strong>
          </>
        )}
      </>
    );
  } else if (id.length < 15 || id.length === 16 || id.length === 17) {
    body = `已输入 ${id.length} 位，应为18位（或15位旧号码）`;
  } else {
    tone = 'bad';
    body = idProblemZh(check.reason);
  }
  return (
    <p className={`id-status id-status-${tone}`} data-testid="id-status" aria-live="polite">
      {body}
    </p>
  );
}

function FemaleCategory() {
  const raw = useWatch<IntakeFormValues, 'facts.person.idNumber'>({ name: 'facts.person.idNumber' });
  const check = checkIdNumber(tidyIdNumber(raw ?? ''));
  if (!check.valid || check.sex !== 'female') return null;
  return (
    <Choice
      name="facts.person.femaleCategory"
      label="女性退休类别"
      options={(['cadre', 'worker'] as const).map((v) => ({ value: v, label: FEMALE_CATEGORY_LABELS[v] }))}
      hint="用于确定法定退休年龄（渐进式延迟法定退休年龄的规定）"
    />
  );
}

/** Cases already on this tablet with the same ID number: two registrations of one veteran must be noticed. */
function DuplicateWarning({ currentCaseId }: { currentCaseId: string | null }) {
  const { cases } = useRepositories();
  const raw = useWatch<IntakeFormValues, 'facts.person.idNumber'>({ name: 'facts.person.idNumber' });
  const check = checkIdNumber(tidyIdNumber(raw ?? ''));
  const idNumber = check.valid ? check.idNumber : null;
  const [found, setFound] = useState<{ idNumber: string; cases: CaseSummary[] } | null>(null);

  useEffect(() => {
    if (!idNumber) return;
    let live = true;
    const timer = setTimeout(() => {
      cases.findByIdNumber(idNumber).then(
        (list) => live && setFound({ idNumber, cases: list }),
        () => live && setFound(null),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [cases, idNumber]);

  const others = found && found.idNumber === idNumber ? found.cases.filter((c) => c.id !== currentCaseId) : [];
  if (others.length === 0) return null;
  return (
    <div className="duplicate-warning field-wide" role="alert" data-testid="duplicate-warning">
      <p>
        <strong>本机已有此身份证号码的受理记录（{others.length} 条）</strong>，请先核对，避免重复登记：
      </p>
      <ul>
        {others.map((c) => (
          <li key={c.id}>
            <a href={paths.case(c.id)}>{c.caseNumber}</a> {c.name} · {CASE_STATUS_LABELS[c.status]} · 登记于 {c.createdAt.slice(0, 10)}{' '}
            <a href={paths.intake(c.id)}>修改该记录</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function IdentitySection({ currentCaseId }: { currentCaseId: string | null }) {
  return (
    <Section id="section-identity" title="一、身份">
      <TextField
        name="facts.person.idNumber"
        label="身份证号码"
        maxLength={24}
        className="field-wide"
        hint="18位，末位可为X；15位旧号码自动升位"
      >
        <IdStatus />
      </TextField>
      <DuplicateWarning currentCaseId={currentCaseId} />
      <TextField name="registration.name" label="姓名" maxLength={50} autoComplete="off" />
      <TextField name="registration.phone" label="联系电话" inputMode="tel" maxLength={20} hint="手机或座机，没有可不填" />
      <TextField name="registration.address" label="住址" className="field-wide" maxLength={200} />
      <FemaleCategory />
    </Section>
  );
}

export function ServiceSection() {
  const { parameters } = useRepositories();
  return (
    <Section id="section-service" title="二、服役">
      <MonthField name="facts.service.enlistment" label="入伍时间" hint="以退役证件为准" />
      <MonthField name="facts.service.discharge" label="退役时间" />
      <Choice
        name="registration.dischargeMode"
        label="退役方式"
        options={DISCHARGE_MODE_OPTIONS.map((m) => ({ value: m, label: DISCHARGE_MODE_LABELS[m] }))}
      />
      <YesNo
        name="facts.service.militarySubsidyReceived"
        label="是否领取了军人退役基本养老保险补助"
        yes="已领取"
        no="未领取"
        hint={lawDateHint(parameters)}
      />
    </Section>
  );
}

function PlacementCounty() {
  const { control } = useFormContext<IntakeFormValues>();
  const name = 'facts.placement.countyCode';
  const error = useFieldError(name);
  return (
    <fieldset className={`field field-wide choice${error ? ' field-invalid' : ''}`}>
      <legend className="field-label">安置地</legend>
      <Controller
        control={control}
        name={name}
        render={({ field }) => (
          <CountyPicker
            idBase={fieldId(name)}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            invalid={!!error}
            describedBy={error ? errorId(name) : undefined}
            selectRef={field.ref}
          />
        )}
      />
      <ErrorText name={name} message={error} />
    </fieldset>
  );
}

function PayerQuestions() {
  const placement = useWatch<IntakeFormValues, 'facts.placement'>({ name: 'facts.placement' });
  const { unitExists, superiorExists } = placement;
  const needsConfirmation = needsPayerConfirmation(placement);
  return (
    <>
      <TextField name="registration.unitName" label="原安置单位名称" maxLength={100} className="field-wide" />
      <YesNo name="facts.placement.unitExists" label="原安置单位现在是否存在" yes="存在" no="已不存在" />
      {unitExists !== false && <YesNo name="facts.placement.unitCanPay" label="原安置单位能否缴纳单位部分" yes="能缴纳" no="缴纳确有困难" />}
      <TextField name="registration.superiorName" label="原安置单位的上级主管部门名称" maxLength={100} className="field-wide" />
      <YesNo name="facts.placement.superiorExists" label="上级主管部门现在是否存在" yes="存在" no="已不存在" />
      {superiorExists !== false && <YesNo name="facts.placement.superiorCanPay" label="上级主管部门能否缴纳" yes="能缴纳" no="无力缴纳" />}
      {needsConfirmation && (
        <TextField
          name="registration.confirmedBy"
          label="由哪一级人民政府确认“不存在或缴纳确有困难”"
          maxLength={100}
          className="field-wide"
          hint="依据 NM43-1.2.c 一（二）第三段：由同级人民政府按相关规定负责确认。例：××旗人民政府"
        />
      )}
    </>
  );
}

export function PlacementSection() {
  return (
    <Section id="section-placement" title="三、安置" note="单位缴费部分由谁承担、材料交到哪里，取决于原安置单位及其上级主管部门的情况（NM43-1.2.b、NM43-1.4.a）。">
      <PlacementCounty />
      <PayerQuestions />
    </Section>
  );
}

function FirstInsured({ answer, name, label }: { answer: 'facts.pension.insuredAtEnlistment' | 'registration.medicalInsuredAtEnlistment'; name: 'facts.pension.firstInsured' | 'registration.medicalFirstInsured'; label: string }) {
  const insured = useWatch<IntakeFormValues>({ name: answer });
  if (insured !== true) return null;
  return <MonthField name={name} label={label} />;
}

export function InsuranceSection() {
  return (
    <Section id="section-insurance" title="四、参保">
      <div className="subsection field-wide">
        <h3 className="subsection-title">城镇职工基本养老保险</h3>
        <div className="field-grid">
          <YesNo name="facts.pension.insuredAtEnlistment" label="入伍时是否已参加" yes="已参加" no="未参加" hint="未参加的，入伍时间视为首次参保时间（NM43-1.1.a）" />
          <FirstInsured answer="facts.pension.insuredAtEnlistment" name="facts.pension.firstInsured" label="养老保险首次参保时间" />
          <div className="field-wide">
            <PeriodsEditor scheme="pension" title="养老保险缴费记录" hint="入伍前和退役后实际缴费的各段时间都要填，起止月份都计入；服役期间按军龄计算，不必填。以参保缴费记录为准。" />
          </div>
        </div>
      </div>
      <div className="subsection field-wide">
        <h3 className="subsection-title">城镇职工基本医疗保险</h3>
        <div className="field-grid">
          <YesNo name="registration.medicalInsuredAtEnlistment" label="入伍时是否已参加" yes="已参加" no="未参加" />
          <FirstInsured answer="registration.medicalInsuredAtEnlistment" name="registration.medicalFirstInsured" label="医疗保险首次参保时间" />
          <div className="field-wide">
            <PeriodsEditor scheme="medical" title="医疗保险缴费记录" hint="入伍前和退役后实际缴费的各段时间都要填，起止月份都计入；服役期间按军龄计算，不必填。" />
          </div>
        </div>
      </div>
      <TextField
        name="registration.otherInsuranceNote"
        label="工伤、失业、生育保险情况（仅作记录）"
        multiline
        maxLength={500}
        className="field-wide"
        hint="这三项由当地按规定解决（NM43-1.1.e），本表只记录情况。"
      />
    </Section>
  );
}

export function AssistanceSection() {
  return (
    <Section id="section-assistance" title="五、救助" note="属于最低生活保障对象或特困人员的，地方人民政府对个人缴费予以适当补助（NM43-1.2.d），由民政部门核实。">
      <Checkbox name="facts.assistance.dibao" label="最低生活保障对象（低保）" />
      <Checkbox name="facts.assistance.tekun" label="特困人员" />
    </Section>
  );
}

export function DatesSection() {
  const { parameters } = useRepositories();
  return (
    <Section id="section-dates" title="六、申请">
      <DateField name="facts.applicationDate" label="申请日期" hint="默认今天" />
      <DateField name="facts.asOf" label="测算日期" hint={asOfHint(parameters)} />
    </Section>
  );
}
