import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, quoteOf, RULES, sentence, SENTENCE_IDS, type Determination, type SentenceId } from '../../src/domain';
import { LAW } from '../../src/domain/law/nm43';
import { parseCaseFacts } from '../../src/shared/case';
import { generateCases } from './support/arbitraries';
import { loadExamples, REPO_ROOT } from './support/examples';

const NOTICE_FILE = join(REPO_ROOT, 'src/domain/law/nei-zheng-ban-zi-2019-43.txt');
const SEED_FILE = resolve(REPO_ROOT, '../shared/seed/nei-zheng-ban-zi-2019-43.txt');
const notice = readFileSync(NOTICE_FILE, 'utf8');
const bare = (s: string) => s.replace(/\s+/g, '');

interface NoticeParagraph {
  /** 一（一）, 二, 三（二): the section and subsection it stands under. */
  under: string;
  /** Its place under them, from 1. */
  index: number;
  /** Split at 。 and ；, marks kept apart. */
  sentences: { text: string; end: string }[];
}

const NUMERAL = '[一二三四五六七八九十]+';
const SECTION = new RegExp(`^(${NUMERAL})、`);
const SUBSECTION_HEADING = new RegExp(`^[（(](${NUMERAL})[）)][^。]*$`);
const INLINE_SUBSECTION = new RegExp(`^[（(](${NUMERAL})[）)]`);

/**
 * The notice's paragraphs under their headings. A page break of the source cuts a paragraph with a
 * blank line mid-sentence: a line that ends without 。 or ： and is no heading runs on.
 */
function noticeParagraphs(text: string): NoticeParagraph[] {
  const out: NoticeParagraph[] = [];
  let section = '';
  let subsection = '';
  let index = 0;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = bare(raw);
    if (line === '') continue;
    const sectionMatch = pending === '' ? SECTION.exec(line) : null;
    const headingMatch = pending === '' ? SUBSECTION_HEADING.exec(line) : null;
    if (sectionMatch) {
      section = sectionMatch[1]!;
      subsection = '';
      index = 0;
      continue;
    }
    if (headingMatch) {
      subsection = headingMatch[1]!;
      index = 0;
      continue;
    }
    pending += line;
    if (!/[。：]$/.test(pending)) continue;
    let body = pending;
    pending = '';
    const inline = INLINE_SUBSECTION.exec(body);
    if (inline) {
      subsection = inline[1]!;
      index = 0;
      body = body.slice(inline[0].length);
    }
    index += 1;
    const sentences = [...body.matchAll(/([^。；;]+)([。；;])/g)].map((m) => ({ text: m[1]!, end: m[2]! }));
    out.push({ under: subsection === '' ? section : `${section}（${subsection}）`, index, sentences });
  }
  return out;
}

const paragraphs = noticeParagraphs(notice);
const verified = SENTENCE_IDS.filter((id) => !sentence(id).unverified);
const ORDINAL = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

describe('the law text kept with the engine', () => {
  it.runIf(existsSync(SEED_FILE))('is byte for byte the notice of ../shared/seed', () => {
    expect(readFileSync(NOTICE_FILE).equals(readFileSync(SEED_FILE))).toBe(true);
  });

  it('quotes every sentence and fragment verbatim from the notice, whitespace aside', () => {
    const text = bare(notice);
    for (const id of verified) for (const f of sentence(id).fragments) expect(text.includes(bare(f)), `${id}: ${f}`).toBe(true);
  });

  it('numbers each sentence by its place in its paragraph, split at 。 and ；, under the paragraph its label names', () => {
    for (const id of verified) {
      const s = sentence(id);
      const found = paragraphs.filter((p) => {
        const own = p.sentences[s.n - 1];
        if (!own) return false;
        if (s.fragments.length === 1) return own.text === s.fragments[0] && own.end === s.end;
        let from = 0;
        for (const f of s.fragments) {
          const at = own.text.indexOf(f, from);
          if (at < 0) return false;
          from = at + f.length;
        }
        return true;
      });
      expect(found.length, `${id}: ${s.quote}`).toBe(1);
      const [p] = found;
      expect(s.paragraph.startsWith(p!.under), `${id} stands under ${p!.under}, labelled ${s.paragraph}`).toBe(true);
      const nth = /第(.)段$/.exec(s.paragraph);
      if (nth) expect(nth[1], id).toBe(ORDINAL[p!.index - 1]);
    }
  });

  it('keeps the sentences of one citation id inside one paragraph of the notice', () => {
    for (const rule of Object.keys(LAW) as (keyof typeof LAW)[]) {
      const ids = SENTENCE_IDS.filter((id) => sentence(id).rule === rule && !sentence(id).unverified);
      const homes = new Set(ids.map((id) => paragraphs.findIndex((p) => p.sentences[sentence(id).n - 1]?.text === sentence(id).fragments[0])));
      expect(homes.size, rule).toBeLessThanOrEqual(1);
    }
  });

  it('exempts only the 2024 retirement-age decision, whose text the repository does not hold, from the checks', () => {
    expect(SENTENCE_IDS.filter((id) => sentence(id).unverified).every((id) => sentence(id).rule === 'RA-2024')).toBe(true);
  });

  it('gives each citation id a one-line quote made of its own sentences', () => {
    expect(RULES['NM43-1.1.a'].quote).toBe(sentence('NM43-1.1.a.s2').quote);
    expect(RULES['NM43-1.2.b'].quote).toBe(
      '原安置单位已不存在或缴纳确有困难的，由原安置单位上级主管部门负责补缴；上级主管部门不存在或无力缴纳的，由安置地退役军人事务主管部门申请财政资金解决。政府补缴年限不超过本人军龄',
    );
    expect(RULES['NM43-1.4.a'].quote).toBe(`${sentence('NM43-1.4.a.s2').quote}……${sentence('NM43-1.4.a.s7').quote}`);
    expect(quoteOf(['RA-2024.s1'])).toContain('……');
  });
});

const examples = loadExamples().map((ex) => {
  const parsed = parseCaseFacts(ex.caseJson);
  if (!parsed.ok) throw new Error(`${ex.name}: unreadable case`);
  return { name: ex.name, determination: evaluate(parsed.facts, DEFAULT_PARAMETERS) };
});
const generated = generateCases(200, 20190711).map((facts, i) => ({ name: `generated case ${i}`, determination: evaluate(facts, DEFAULT_PARAMETERS) }));

function citesOwnParagraph(d: Determination): void {
  for (const step of d.trace) {
    expect(step.sentences.length, `${step.step} cites no sentence`).toBeGreaterThan(0);
    for (const id of step.sentences) expect(sentence(id).rule, `${step.step} (${step.rule}) cites ${id}`).toBe(step.rule);
  }
  for (const w of d.warnings) for (const id of w.sentences ?? []) expect(sentence(id).rule, `${w.code} (${w.rule}) cites ${id}`).toBe(w.rule);
}

const stepOf = (d: Determination, name: string) => d.trace.find((s) => s.step === name);
const quotes = (ids: readonly SentenceId[]) => ids.map((id) => sentence(id).quote);

describe('every trace step of the worked examples', () => {
  it.each(examples)('of $name cites at least one sentence, and only sentences of its own rule’s paragraph', ({ determination }) => {
    citesOwnParagraph(determination);
  });

  it.each(examples)('of $name cites for the regime the sentence of 2012-07-01 and for the first insured month the one deeming enlistment first insurance', ({ determination }) => {
    expect(quotes(stepOf(determination, 'regime')!.sentences).some((q) => q.startsWith('2012年7月1日《中华人民共和国军人保险法》实施前退役的'))).toBe(true);
    const first = stepOf(determination, 'first-insured');
    if (determination.inScope) expect(quotes(first!.sentences)).toEqual(['退役士兵入伍时未参加城镇职工基本养老、基本医疗保险的，入伍时间视为首次参保时间']);
    expect(quotes(stepOf(determination, 'scope')!.sentences)[0]).toContain('核查无误后');
  });
});

describe('every trace step and warning of generated cases', () => {
  it('cites at least one sentence, and only sentences of its own rule’s paragraph', () => {
    for (const { determination } of generated) citesOwnParagraph(determination);
  });
});
