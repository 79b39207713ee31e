import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, sentence } from '../../../src/domain';
import DeterminationView from '../../../src/features/intake/DeterminationView';
import { example01 } from './support';

afterEach(cleanup);

const DEEMED = '2012年7月1日《中华人民共和国军人保险法》实施前退役的，军龄视同为基本养老保险、基本医疗保险缴费年限';
const FIRST_INSURED = '退役士兵入伍时未参加城镇职工基本养老、基本医疗保险的，入伍时间视为首次参保时间';

async function openTrace(): Promise<HTMLElement> {
  const determination = evaluate(example01, DEFAULT_PARAMETERS);
  render(<DeterminationView state={{ kind: 'determined', determination }} params={DEFAULT_PARAMETERS} />);
  const why = screen.getByTestId('why');
  act(() => {
    (why as HTMLDetailsElement).open = true;
  });
  fireEvent(why, new Event('toggle'));
  await waitFor(() => expect(why.querySelector('.trace')).not.toBeNull());
  return why;
}

function traceStep(why: HTMLElement, title: string): HTMLElement {
  const step = [...why.querySelectorAll<HTMLElement>('.trace-step')].find((li) => li.querySelector('.trace-title strong')?.textContent === title);
  if (!step) throw new Error(`no trace step ${title}`);
  return step;
}

describe('the citation beside a trace step', () => {
  it('names the sentences the step cites and, tapped, quotes those sentences rather than the paragraph’s first', async () => {
    const why = await openTrace();
    const regime = traceStep(why, '军龄与认定方式');
    const toggle = within(regime).getByRole('button', { name: /NM43-1\.1\.a\.s3 NM43-1\.1\.a\.s4/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('title')).toBeNull();
    expect(within(regime).queryByTestId('citation-quote')).toBeNull();

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const quote = within(regime).getByTestId('citation-quote');
    expect(quote.textContent).toContain(DEEMED);
    expect(quote.textContent).toContain(sentence('NM43-1.1.a.s4').quote);
    expect(quote.textContent).not.toContain(FIRST_INSURED);

    fireEvent.click(toggle);
    expect(within(regime).queryByTestId('citation-quote')).toBeNull();
  });

  it('quotes the first insured sentence beside the first insured step', async () => {
    const why = await openTrace();
    const first = traceStep(why, '首次参保时间');
    fireEvent.click(within(first).getByRole('button', { name: /NM43-1\.1\.a\.s2/ }));
    expect(within(first).getByTestId('citation-quote').textContent).toBe(FIRST_INSURED);
  });
});

describe('the citation beside a figure and a warning', () => {
  it('quotes the sentence the figure’s step applies, not the first of its paragraph', () => {
    const determination = evaluate(example01, DEFAULT_PARAMETERS);
    render(<DeterminationView state={{ kind: 'determined', determination }} params={DEFAULT_PARAMETERS} />);
    const backPay = screen.getByTestId('figure-backPayMonths');
    const step = determination.trace.find((s) => s.step === 'back-pay-months')!;
    fireEvent.click(within(backPay).getByRole('button', { name: new RegExp(step.sentences[0]!.replaceAll('.', '\\.')) }));
    expect(within(backPay).getByTestId('citation-quote').textContent).toBe(step.sentences.map((id) => sentence(id).quote).join(''));
  });

  it('quotes the sentence a warning cites', () => {
    const determination = evaluate(example01, DEFAULT_PARAMETERS);
    const warning = determination.warnings.find((w) => w.sentences && w.sentences.length > 0);
    expect(warning).toBeDefined();
    render(<DeterminationView state={{ kind: 'determined', determination }} params={DEFAULT_PARAMETERS} />);
    const item = [...document.querySelectorAll<HTMLElement>('.warnings li')].find((li) => within(li).queryByRole('button', { name: new RegExp(warning!.sentences![0]!.replaceAll('.', '\\.')) }));
    expect(item).toBeDefined();
    fireEvent.click(within(item!).getByRole('button'));
    expect(within(item!).getByTestId('citation-quote').textContent).toContain(sentence(warning!.sentences![0]!).quote);
  });
});

describe('the list of the policy text quoted', () => {
  it('quotes each sentence the trace cites, once, with its id and paragraph', async () => {
    const why = await openTrace();
    const items = [...why.querySelectorAll('.quotes li')].map((li) => li.textContent);
    expect(items).toContain(`NM43-1.1.a.s3 一（一）第一段：“${DEEMED}”`);
    expect(items).toContain(`NM43-1.1.a.s2 一（一）第一段：“${FIRST_INSURED}”`);
    expect(new Set(items).size).toBe(items.length);
  });
});
