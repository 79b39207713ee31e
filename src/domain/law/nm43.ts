// The wording of the law the engine applies, sentence by sentence: the only place it is written.
// Citation ids (policy-rules.md) map to a paragraph of 内政办字〔2019〕43号; a sentence is numbered
// by its place in that paragraph, split at 。 and ；, so `NM43-1.1.c.s3` is the third sentence of
// 一（一）第二段 even though NM43-1.1.b holds the first two. Section 三 is typeset with half-width
// marks in the notice; its `;` splits like ；. Texts are the notice's own with its typesetting
// whitespace left out; tests/domain/law.test.ts holds them to nei-zheng-ban-zi-2019-43.txt beside
// this file. Plain data: the engine runs in the browser and reads no files.

export interface LawSentence {
  /** The wording without its closing mark; verbatim fragments, in order, when only parts are quoted. */
  readonly text: string | readonly string[];
  /** The mark closing it in the source: a quote of it and its successor keeps it. */
  readonly end?: '。' | '；' | ';';
  /** Its source is not kept in this repository, so no test holds it to one. */
  readonly unverified?: true;
}

export interface LawParagraph {
  /** Where it stands in its source, as a clerk would look it up (`一（一）第一段`). */
  readonly paragraph: string;
  readonly sentences: Readonly<Record<number, LawSentence>>;
  /** The sentences a one-line citation of the whole id quotes. */
  readonly headline: readonly number[];
}

export const LAW = {
  'NM43-1.1.a': {
    paragraph: '一（一）第一段',
    sentences: {
      1: { text: '未参加社会保险的允许参保', end: '。' },
      2: { text: '退役士兵入伍时未参加城镇职工基本养老、基本医疗保险的，入伍时间视为首次参保时间', end: '；' },
      3: { text: '2012年7月1日《中华人民共和国军人保险法》实施前退役的，军龄视同为基本养老保险、基本医疗保险缴费年限', end: '；' },
      4: {
        text: '在《中华人民共和国军人保险法》实施后退役、国家给予军人退役基本养老保险补助的，军龄与参加基本养老保险、基本医疗保险的缴费年限合并计算',
        end: '。',
      },
    },
    headline: [2],
  },
  'NM43-1.1.b': {
    paragraph: '一（一）第二段',
    sentences: {
      1: { text: '参保后缴费中断的允许补缴', end: '。' },
      2: { text: '退役士兵参加基本养老保险出现欠缴、断缴的，允许按不超过本人军龄的年限补缴，补缴免收滞纳金', end: '。' },
    },
    headline: [2],
  },
  'NM43-1.1.c': {
    paragraph: '一（一）第二段',
    sentences: {
      3: { text: '达到法定退休年龄、基本养老保险累计缴费年限（含军龄）未达到国家规定最低缴费年限的，允许延长缴费至最低缴费年限', end: '；' },
      4: { text: '2011年7月1日《中华人民共和国社会保险法》实施前首次参保、延长缴费5年后仍不足最低缴费年限的，允许一次性缴费至最低缴费年限', end: '。' },
    },
    headline: [3],
  },
  'NM43-1.1.d': {
    paragraph: '一（一）第二段',
    sentences: {
      5: { text: '达到法定退休年龄、城镇职工基本医疗保险累计缴费年限（含军龄）未达到统筹地区规定年限的，可以缴费至统筹地区规定年限', end: '。' },
    },
    headline: [5],
  },
  'NM43-1.1.e': {
    paragraph: '一（一）第三段',
    sentences: {
      1: { text: '退役士兵参加工伤保险、失业保险、生育保险存在的问题，各地区按规定予以解决', end: '。' },
    },
    headline: [1],
  },
  'NM43-1.2.a': {
    paragraph: '一（二）第一段',
    sentences: {
      1: { text: '退役士兵参加社会保险缴纳费用，原则上单位缴费部分由所在单位负担，个人缴费部分由个人负担', end: '。' },
    },
    headline: [1],
  },
  'NM43-1.2.b': {
    paragraph: '一（二）第二段',
    sentences: {
      1: { text: '原安置单位已不存在或缴纳确有困难的，由原安置单位上级主管部门负责补缴', end: '；' },
      2: { text: '上级主管部门不存在或无力缴纳的，由安置地退役军人事务主管部门申请财政资金解决', end: '。' },
      3: { text: '政府补缴年限不超过本人军龄', end: '。' },
      4: {
        text: '上述单位缴费财政补助部分，自治区在中央财政资金补助的基础上，根据经费需求确定自治区本级、盟市、旗县（市、区）三级承担比例，确保资金落实到位',
        end: '。',
      },
    },
    headline: [1, 2, 3],
  },
  'NM43-1.2.c': {
    paragraph: '一（二）第三段',
    sentences: {
      1: { text: '原安置单位或其主管部门不存在或缴纳确有困难的界定，由同级人民政府按相关规定负责确认', end: '。' },
    },
    headline: [1],
  },
  'NM43-1.2.d': {
    paragraph: '一（二）第四段',
    sentences: {
      1: { text: '对于个人缴费部分，个人属于最低生活保障对象、特困人员的，地方人民政府对其个人缴费予以适当补助', end: '。' },
    },
    headline: [1],
  },
  'NM43-1.3.a': {
    paragraph: '一（三）',
    sentences: {
      1: { text: '城镇职工基本养老保险', end: '。' },
      2: { text: '缴费工资基数由安置地按照补缴时上年度职工平均工资的60%确定，单位和个人缴费费率按照补缴时安置地规定执行，相应记录个人权益', end: '。' },
    },
    headline: [2],
  },
  'NM43-1.3.b': {
    paragraph: '一（三）',
    sentences: {
      1: { text: '城镇职工基本医疗保险', end: '。' },
      2: { text: '缴费工资基数由参保地按照补缴时上年度职工平均工资的60%予以确定，单位和个人缴费费率按参保地规定执行', end: '。' },
    },
    headline: [2],
  },
  'NM43-1.4.a': {
    paragraph: '一（四）第一段',
    sentences: {
      1: { text: '建立“一门受理、协同办理”的经办机制', end: '。' },
      2: { text: '需要参加社会保险或补缴社会保险费的退役士兵，持本人有效身份证件和退役证明，到安置地退役军人事务主管部门登记军龄、提出申请，并填写申请表', end: '。' },
      3: { text: '原安置单位存在的，退役士兵将所需材料提交原安置单位', end: '；' },
      4: { text: '原安置单位不存在的，提交给主管部门', end: '。' },
      5: { text: '原安置单位或其主管部门收齐材料后，交到原办理安置手续相应层级的退役军人事务主管部门', end: '。' },
      6: { text: '其他情况的，由退役士兵将所需材料直接提交原办理安置手续层级的退役军人事务主管部门', end: '。' },
      7: { text: '自治区退役士兵提出申请的截止时间为2019年12月31日', end: '。' },
    },
    headline: [2, 7],
  },
  'NM43-1.4.b': {
    paragraph: '一（四）第二段',
    sentences: {
      1: { text: '安置地退役军人事务主管部门对申请人服役经历和退役方式核查无误后，将申请表分别提供给同级养老、医疗保险经办机构', end: '。' },
      2: { text: '养老、医疗保险经办机构按照有关规定认定断缴时间，认真计算单位和个人应补缴的资金，并及时反馈退役军人事务主管部门', end: '。' },
      3: { text: '核查统计测算工作完成后，由退役军人事务主管部门或原安置单位（或其上级主管部门）启动办理补缴手续', end: '。' },
    },
    headline: [2],
  },
  'NM43-1.4.c': {
    paragraph: '一（四）第三段',
    sentences: {
      1: { text: '各级退役军人事务主管部门应到当地养老、医疗保险经办机构办理社会保险参保登记', end: '。' },
      2: { text: '退役军人事务主管部门作为参保单位仅负责此项补缴工作，完成补缴后，应及时将退役士兵社会保险关系转出或办理中断缴费手续', end: '。' },
    },
    headline: [2],
  },
  'NM43-1.4.d': {
    paragraph: '一（四）第五段',
    sentences: {
      1: { text: '对需要参加社会保险或补缴社会保险费但个人未申请的退役士兵，安置地退役军人事务主管部门要根据信息采集情况对未申请人员通过电话予以告知', end: '。' },
    },
    headline: [1],
  },
  'NM43-1.5': {
    paragraph: '一（五）',
    sentences: {
      1: { text: '基本养老保险补缴在退役士兵提出申请后，及时按程序进行审核补缴', end: '。' },
      2: { text: '基本医疗保险在退役士兵提出申请后，达到法定退休年龄时予以补缴', end: '。' },
    },
    headline: [1, 2],
  },
  'NM43-1.6': {
    paragraph: '一（六）',
    sentences: {
      1: { text: '自治区原有退役士兵相关政策与本通知要求不一致的，以本通知要求为准', end: '。' },
      2: { text: '本通知施行前，已经按自治区原有退役士兵补缴费用政策办理相关手续的，仍按原规定办理', end: '。' },
    },
    headline: [2],
  },
  'NM43-2': {
    paragraph: '二',
    sentences: {
      1: { text: '自治区退役士兵社会保险接续工作自本通知下发之日开始，至2019年12月31日结束，分三个步骤实施', end: '。' },
    },
    headline: [1],
  },
  'NM43-3.2': {
    paragraph: '三（二）',
    sentences: {
      1: { text: '压实工作责任', end: '。' },
      2: { text: '坚持“谁审查、谁负责,谁签字、谁负责”,做到不落一人、不错一人,确保政策落实到位', end: '。' },
      3: { text: '各级退役军人事务主管部门要认真核实涉及的退役士兵的人数、范围、类型,摸清底数、摸准情况', end: ';' },
      4: { text: '民政部门要认真核实涉及的退役士兵属于低保对象和特困人员的情况', end: ';' },
      5: { text: '人力资源社会保障、医保部门要认真核实涉及的退役士兵的基本养老、基本医疗保险欠缴和断缴情况', end: ';' },
    },
    headline: [2],
  },
  'NM43-3.3': {
    paragraph: '三（三）',
    sentences: {
      1: { text: '做好帮扶援助', end: '。' },
      2: { text: '对于达到法定退休年龄,按照本通知要求缴费后仍未达到最低缴费年限的,各地区要采取多种有效措施予以帮助', end: '。' },
      3: { text: '要积极通过教育培训、推荐就业、扶持创业等方式,帮助退役士兵就业创业', end: '。' },
      4: { text: '对于年龄偏大、扶持后仍就业困难的退役士兵，符合条件的，优先通过政府购买的公共服务岗位帮扶就业', end: '。' },
    },
    headline: [2],
  },
  'NM43-3.4': {
    paragraph: '三（四）',
    sentences: {
      2: {
        text: '建立退役士兵社会保险接续工作周报告制度，退役士兵社会保险接续工作开展期间，各盟市要于每周四上午12时前将本周工作进展情况报送自治区退役士兵社会保险接续工作专班，由工作专班汇总后于每周五报送自治区党委、政府和退役军人事务部',
        end: '。',
      },
    },
    headline: [2],
  },
  // The decision's 办法 (国务院关于渐进式延迟法定退休年龄的办法), numbered by its articles.
  'RA-2024': {
    paragraph: '全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024年9月13日）及其办法',
    sentences: {
      1: {
        text: ['从2025年1月1日起，男职工和原法定退休年龄为五十五周岁的女职工，法定退休年龄每四个月延迟一个月', '原法定退休年龄为五十周岁的女职工，法定退休年龄每二个月延迟一个月'],
        unverified: true,
      },
      2: { text: ['最低缴费年限由15年逐步提高至20年，每年提高6个月'], unverified: true },
    },
    headline: [1],
  },
} as const satisfies Record<string, LawParagraph>;

export type LawId = keyof typeof LAW;

type SentenceNumber<R extends LawId> = Extract<keyof (typeof LAW)[R]['sentences'], number>;

/** `<citation id>.s<N>`: the N-th sentence of the paragraph the id stands for. */
export type SentenceId = { [R in LawId]: `${R}.s${SentenceNumber<R>}` }[LawId];

export interface Sentence {
  id: SentenceId;
  rule: LawId;
  /** Its place in the paragraph, from 1. */
  n: number;
  paragraph: string;
  /** Verbatim fragments in order; one when the whole sentence is quoted. */
  fragments: readonly string[];
  /** The fragments joined by the elision mark, as shown. */
  quote: string;
  end: LawSentence['end'];
  unverified: boolean;
}

export const ELISION = '……';

function buildSentences(): Record<SentenceId, Sentence> {
  const out: Partial<Record<SentenceId, Sentence>> = {};
  for (const [rule, p] of Object.entries(LAW) as [LawId, LawParagraph][]) {
    for (const [key, s] of Object.entries(p.sentences)) {
      const id = `${rule}.s${key}` as SentenceId;
      const fragments: readonly string[] = typeof s.text === 'string' ? [s.text] : s.text;
      out[id] = { id, rule, n: Number(key), paragraph: p.paragraph, fragments, quote: fragments.join(ELISION), end: s.end, unverified: s.unverified === true };
    }
  }
  return out as Record<SentenceId, Sentence>;
}

const SENTENCES = buildSentences();

/** Every sentence id, citation ids in the order of policy-rules.md, sentences in the notice's order. */
export const SENTENCE_IDS = Object.keys(SENTENCES) as SentenceId[];

export function sentence(id: SentenceId): Sentence {
  return SENTENCES[id];
}

export function sentenceIdsOf(rule: LawId): SentenceId[] {
  return SENTENCE_IDS.filter((id) => SENTENCES[id].rule === rule);
}

/**
 * One quote of several sentences, in the order given: a sentence and the one after it in the same
 * paragraph keep the mark between them; anything skipped or left out shows as ……
 */
export function quoteOf(ids: readonly SentenceId[]): string {
  let out = '';
  let previous: Sentence | undefined;
  for (const id of ids) {
    const s = SENTENCES[id];
    if (previous) {
      const next = previous.paragraph === s.paragraph && previous.n + 1 === s.n && previous.fragments.length === 1 && previous.end !== undefined;
      out += next ? previous.end : ELISION;
    }
    out += s.quote;
    previous = s;
  }
  return out;
}

/** The one-line quote of a whole citation id. */
export function headlineOf(rule: LawId): string {
  return quoteOf(LAW[rule].headline.map((n) => `${rule}.s${n}` as SentenceId));
}
