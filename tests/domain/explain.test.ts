import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, explain, messageZh, parameterLabelZh, RULES, type MessageCode, type ParameterSet } from '../../src/domain';
import { parseCaseFacts } from '../../src/shared/case';
import { warningSchema } from '../../src/shared/determination';
import { numeralZh, percentZh } from '../../src/domain/format-zh';
import { baseCase } from './support/cases';
import { loadExamples } from './support/examples';
import { paramsWith } from './support/params';

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
    expect(t).toContain('按通知标准，断缴部分允许按不超过本人军龄的年限补缴，免收滞纳金：测算可补缴57个月（4年9个月）。');
    expect(t.some((s) => s.includes('2018年') && s.includes('60%') && s.includes('3678.75元') && s.includes('33550.20元') && s.includes('16775.10元'))).toBe(true);
  });

  it('says who pays the unit share, what to bring, where the materials go and when the medical part is paid', () => {
    const d = explain(determinationOf('05-unit-gone-superior-pays'));
    expect(d.find((s) => s.text.includes('上级主管部门负责补缴'))?.rule).toBe('NM43-1.2.b');
    expect(d.find((s) => s.text.includes('身份证件和退役证明'))?.rule).toBe('NM43-1.4.a');
    expect(d.find((s) => s.text.includes('提交其上级主管部门'))?.rule).toBe('NM43-1.4.a');
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
    expect(t.some((s) => s.includes('少70个月（5年10个月）') && s.includes('测算可延长缴费60个月（5年）') && s.includes('仍不足的10个月，允许一次性缴费'))).toBe(true);
  });

  it('mentions the subsidy for 低保/特困 and a late application (example 09)', () => {
    const d = explain(determinationOf('09-dibao-late-application'));
    expect(d.find((s) => s.rule === 'NM43-1.2.d')?.text).toContain('最低生活保障对象或特困人员');
    expect(d.find((s) => s.text.includes('申请截止时间是2019年12月31日，您的申请晚于截止时间'))?.rule).toBe('NM43-1.4.a');
  });

  it('says when the agency determined the gap, and names provisional parameters', () => {
    const d = explain(determinationOf('10-agency-gap'));
    expect(d.find((s) => s.text.includes('经办机构认定的断缴时间为40个月'))?.rule).toBe('NM43-1.4.b');
    expect(d.find((s) => s.text.includes('还是暂用的'))?.text).toContain('2018年度全区职工平均工资');
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

const allNonProvisional = (p: ParameterSet) => {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.provisional === 'boolean') o.provisional = false;
      Object.values(o).forEach(visit);
    }
  };
  visit(p);
};
const exampleFacts = (name: string) => {
  const parsed = parseCaseFacts(examples.find((e) => e.name === name)!.caseJson);
  if (!parsed.ok) throw new Error('bad example');
  return parsed.facts;
};
const textsWith = (name: string, params: ParameterSet) => explain(evaluate(exampleFacts(name), params)).map((s) => s.text);
const allTexts = () => examples.flatMap((ex) => texts(ex.name));

describe('what the veteran is told promises no more than the notice', () => {
  it('tells a late applicant first that everything after it is the notice’s standard, for the county to decide', () => {
    const d = explain(determinationOf('09-dibao-late-application'));
    expect(d[0]!.rule).toBe('NM43-1.4.a');
    expect(d[0]!.text).toContain('晚于截止时间');
    expect(d[0]!.text).toContain('研究决定');
    const t = d.map((s) => s.text).join('\n');
    expect(t).not.toContain('本次可补缴');
    expect(t).not.toContain('及时办理补缴');
  });

  it('calls every amount an estimate the agencies settle, even when no parameter is provisional', () => {
    const t = textsWith('01-deemed-basic', paramsWith(allNonProvisional));
    const amounts = t.find((s) => s.includes('33550.20元'))!;
    expect(amounts).toContain('测算');
    expect(amounts).toContain('以养老保险经办机构认定和计算的为准');
    expect(t.join('\n')).not.toMatch(/应补缴\d/);
  });

  it('says when the region-wide wage stands in for the placement place’s, and names the 盟市 wage when there is one', () => {
    expect(texts('01-deemed-basic').join('\n')).toContain('暂用2018年度全区职工月平均工资6131.25元代替安置地的工资');
    const own = paramsWith((p) => {
      p.wages.leagues['150100'] = [{ year: 2018, value: '7000.00', unit: 'CNY/month', source: 'test', provisional: false }];
    });
    const t = textsWith('01-deemed-basic', own).join('\n');
    expect(t).toContain('按2018年度呼和浩特市职工月平均工资7000.00元');
    expect(t).not.toContain('全区');
  });

  it('names no payer for the extension and one-time payment, and offers the one-time payment with its condition', () => {
    const t = texts('07-retired-short-extension-and-one-time').join('\n');
    expect(t).not.toContain('由本人缴纳');
    expect(t).toContain('通知没有写明延长缴费和一次性缴费的费用由谁负担');
    expect(t).toContain('您在2011年7月1日《中华人民共和国社会保险法》实施前首次参保');
    expect(t).toContain('允许延长缴费至最低缴费年限');
  });

  it('offers the local help of 三（三） only to those still short after paying as the notice allows', () => {
    const help = explain(determinationOf('07-retired-short-extension-and-one-time')).find((s) => s.rule === 'NM43-3.3')!;
    expect(help.text).toContain('按通知允许的方式延长缴费、一次性缴费之后仍未达到最低缴费年限');
  });

  it('says “允许”, as the notice does, where a warning spoke of “需”', () => {
    expect(messageZh('still-short-after-payment')).not.toContain('需');
    expect(messageZh('still-short-after-payment')).toContain('允许延长缴费');
  });

  it('says the medical years are provisional, in plain words', () => {
    expect(texts('01-deemed-basic').find((s) => s.startsWith('基本医疗保险累计'))).toContain('暂按300个月（25年）测算');
    expect(textsWith('01-deemed-basic', paramsWith(allNonProvisional)).find((s) => s.startsWith('基本医疗保险累计'))).toContain('当地规定的缴费年限为300个月（25年）');
  });

  it('states the 低保/特困 subsidy and the unit’s payer as subject to the verification the notice requires', () => {
    expect(explain(determinationOf('09-dibao-late-application')).find((s) => s.rule === 'NM43-1.2.d')!.text).toContain('经民政部门核实后');
    const superior = explain(determinationOf('05-unit-gone-superior-pays')).find((s) => s.text.includes('上级主管部门负责补缴'))!;
    expect(superior.text).toContain('经确认后');
    expect(texts('05-unit-gone-superior-pays').find((s) => s.includes('已不存在或缴纳确有困难'))).toContain('您登记的情况是');
  });

  it('tells a veteran with no unit and no superior to hand in the materials himself, directly', () => {
    expect(texts('06-fiscal-retired-medical-cap')).toContain('原安置单位及其上级主管部门都已不存在，由您本人将所需材料直接提交原办理安置手续层级的退役军人事务主管部门。');
  });

  it('gives every count of a year or more also in years and months, with no jargon, ids or clerk instructions', () => {
    for (const text of allTexts()) {
      for (const m of text.matchAll(/(?<![年\d])(\d+)个月(?!（)/g)) {
        expect(Number(m[1]), text).toBeLessThan(12);
      }
      expect(text).not.toMatch(/NM43-|RA-2024|暂定参数|统筹地区|草稿|请同步/);
    }
  });

  it('speaks of the gradual delay of retirement only to those who retire under it', () => {
    expect(explain(determinationOf('07-retired-short-extension-and-one-time')).find((s) => s.rule === 'RA-2024')!.text).not.toContain('渐进式');
    expect(explain(determinationOf('05-unit-gone-superior-pays')).find((s) => s.rule === 'RA-2024')!.text).toContain('按渐进式延迟法定退休年龄的规定');
  });

  it('takes every date, cap and wage from the parameter set the determination used', () => {
    const changed = paramsWith((p) => {
      p.fixed.extensionCapMonths = [{ ...p.fixed.extensionCapMonths[0]!, value: 48 }];
      p.fixed.applicationDeadline = [{ ...p.fixed.applicationDeadline[0]!, value: '2019-11-30' }];
      p.fixed.militaryInsuranceLawDate = [{ ...p.fixed.militaryInsuranceLawDate[0]!, from: '2012-08-01', value: '2012-08-01' }];
      p.wages.region = p.wages.region.map((w) => (w.year === 2023 ? { ...w, value: '9000.00' } : w));
    });
    const retired = textsWith('07-retired-short-extension-and-one-time', changed).join('\n');
    expect(retired).toContain('测算可延长缴费48个月（4年）');
    expect(retired).toContain('延长缴费4年后仍不足');
    expect(retired).toContain('2023年度全区职工月平均工资9000.00元');
    expect(retired).toContain('您在2012年8月1日《中华人民共和国军人保险法》实施前退役');
    expect(retired).not.toMatch(/5年后|8105\.00|2012年7月1日/);
    expect(textsWith('09-dibao-late-application', changed)[0]).toContain('申请截止时间是2019年11月30日');
  });
});

describe('labels over whole unions', () => {
  it('every parameter a determination uses has a Chinese name', () => {
    for (const ex of examples) {
      for (const step of determinationOf(ex.name).trace) {
        for (const u of step.parameters) expect(parameterLabelZh(u.name), u.name).not.toBe('本程序尚不认识的参数');
      }
    }
  });
});

describe('the numbers of a form’s parts', () => {
  it.each([
    [1, '一'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [12, '十二'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
  ])('%i is written %s', (n, zh) => {
    expect(numeralZh(n)).toBe(zh);
  });

  it('refuses what is not a whole number from 1 to 99', () => {
    for (const n of [0, 100, 1.5, -1]) expect(() => numeralZh(n)).toThrow(RangeError);
  });
});
