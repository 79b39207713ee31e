import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, explain, messageZh, parameterLabelZh, RULES, type MessageCode } from '../../src/domain';
import { parseCaseFacts } from '../../src/shared/case';
import { warningSchema } from '../../src/shared/determination';
import { percentZh } from '../../src/domain/format-zh';
import { baseCase } from './support/cases';
import { loadExamples } from './support/examples';

const examples = loadExamples();
const determinationOf = (name: string) => {
  const ex = examples.find((e) => e.name === name)!;
  const parsed = parseCaseFacts(ex.caseJson);
  if (!parsed.ok) throw new Error('bad example');
  return evaluate(parsed.facts, DEFAULT_PARAMETERS);
};
const texts = (name: string) => explain(determinationOf(name)).map((s) => s.text);

describe('explanation in Chinese', () => {
  it('every sentence carries a citation id with its paragraph and quote', () => {
    for (const ex of examples) {
      for (const s of explain(determinationOf(ex.name))) {
        expect(RULES[s.rule].paragraph).toBe(s.paragraph);
        expect(s.quote).toBe(RULES[s.rule].quote);
        expect(s.text).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('says what counts as contribution time, what may be back-paid and what it costs (example 01)', () => {
    const t = texts('01-deemed-basic');
    expect(t).toContain('您在2012年7月1日《中华人民共和国军人保险法》实施前退役，军龄57个月（4年9个月）视同基本养老保险、基本医疗保险缴费年限。');
    expect(t).toContain('断缴部分可按不超过本人军龄的年限补缴：本次可补缴57个月，免收滞纳金。');
    expect(t.some((s) => s.includes('2018年') && s.includes('60%') && s.includes('3678.75元') && s.includes('33550.20元') && s.includes('16775.10元'))).toBe(true);
  });

  it('says who pays the unit share, what to bring, where the materials go and when the medical part is paid', () => {
    const d = explain(determinationOf('05-unit-gone-superior-pays'));
    expect(d.find((s) => s.text.includes('上级主管部门负责补缴'))?.rule).toBe('NM43-1.2.b');
    expect(d.find((s) => s.text.includes('身份证件和退役证明'))?.rule).toBe('NM43-1.4.a');
    expect(d.find((s) => s.text.includes('提交其主管部门'))?.rule).toBe('NM43-1.4.a');
    expect(d.find((s) => s.text.includes('达到法定退休年龄（2029年6月）时予以补缴'))?.rule).toBe('NM43-1.5');
  });

  it('explains the fiscal cap and the uncovered unit share (example 06)', () => {
    const d = explain(determinationOf('06-fiscal-retired-medical-cap'));
    const cap = d.find((s) => s.text.includes('不超过军龄，即35个月'));
    expect(cap?.rule).toBe('NM43-1.2.b');
    expect(cap?.text).toContain('71451.74元');
  });

  it('explains extension and one-time payment at retirement (example 07)', () => {
    const t = texts('07-retired-short-extension-and-one-time');
    expect(t.some((s) => s.includes('少70个月') && s.includes('延长缴费60个月') && s.includes('10个月可一次性缴费'))).toBe(true);
  });

  it('mentions the subsidy for 低保/特困 and a late application (example 09)', () => {
    const d = explain(determinationOf('09-dibao-late-application'));
    expect(d.find((s) => s.rule === 'NM43-1.2.d')?.text).toContain('最低生活保障对象或特困人员');
    expect(d.find((s) => s.text.includes('晚于申请截止日期（2019年12月31日）'))?.rule).toBe('NM43-1.4.a');
  });

  it('says when the agency determined the gap, and names provisional parameters', () => {
    const d = explain(determinationOf('10-agency-gap'));
    expect(d.find((s) => s.text.includes('经办机构认定的断缴时间为40个月'))?.rule).toBe('NM43-1.4.b');
    expect(d.find((s) => s.text.includes('暂定参数'))?.text).toContain('2018年度全区职工平均工资');
  });

  it('explains why a case is out of scope', () => {
    expect(explain(determinationOf('04-invalid-id'))).toEqual([
      expect.objectContaining({ rule: 'NM43-1.4.a', text: expect.stringContaining('身份证号码校验位不正确') as unknown }),
    ]);
    expect(explain(determinationOf('03-post-2012-no-subsidy'))[0]?.rule).toBe('NM43-1.1.a');
  });

  it('explains a combined regime and a recorded first insured month', () => {
    const d = evaluate(
      baseCase({ service: { enlistment: '2010-09', discharge: '2015-09', militarySubsidyReceived: true }, pension: { insuredAtEnlistment: true, firstInsured: '2009-01', periods: [] } }),
      DEFAULT_PARAMETERS,
    );
    const t = explain(d).map((s) => s.text);
    expect(t.some((s) => s.includes('合并计算'))).toBe(true);
    expect(t).toContain('您入伍时已参加城镇职工基本养老保险，首次参保时间为2009年1月。');
  });
});

describe('codes in Chinese', () => {
  it.each<MessageCode>([
    'not-in-force',
    'invalid-case',
    'unknown-county',
    'invalid-id-number',
    'invalid-parameters',
    'bad-service-dates',
    'post-2012-without-subsidy',
    // Every warning code the determination schema allows: a new one without a message fails here.
    ...warningSchema._zod.def.getter().shape.code.options,
  ])('%s has a Chinese message', (code) => {
    expect(messageZh(code)).toMatch(/[\u4e00-\u9fff]{4}/);
  });

  it('a missing wage year reads as the county asks', () => {
    expect(messageZh('not-in-force', { year: 2030 })).toBe('本设备参数中尚无2030年度职工平均工资，请同步或联系县局');
  });

  it('parameter names have Chinese labels, per-盟市 wages with the 盟市 name', () => {
    expect(parameterLabelZh('wage.150100.2023')).toBe('2023年度呼和浩特市职工平均工资');
    expect(parameterLabelZh('rate.medical.unit')).toBe('基本医疗保险单位缴费比例');
  });
});

describe('rates in Chinese sentences', () => {
  it.each([
    ['0.16', '16%'],
    ['0.08', '8%'],
    ['0.02', '2%'],
    ['0.075', '7.5%'],
    ['0.2', '20%'],
    ['1', '100%'],
    ['0.60', '60%'],
    ['0.0025', '0.25%'],
  ])('shows the rate %s as %s, exactly as published', (rate, shown) => {
    expect(percentZh(rate)).toBe(shown);
  });
});
