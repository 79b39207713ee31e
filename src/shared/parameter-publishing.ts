// Parameter publishing as the county page sees it: the published sets, and the impact a draft set
// would have on the open cases (which figures change, by how much). One definition for the server
// that computes it and the page that shows it; the comparison itself is here so that both add up
// the same way, in whole fen.

import { formatFen, parseYuanToFen } from '../domain/money';
import type { FiguresDigest } from './sync-protocol';
import type { LifecycleStatus } from './case-lifecycle';

/** A parameter set the server knows (GET /api/admin/parameter-sets). */
export interface ParameterSetItem {
  version: string;
  title: string;
  issued: string;
  /**
   * The dates from which the values this set adds or changes (against the set published before it)
   * apply, oldest first; a wage year Y applies from 1 January of Y + 1 (the wage of the year before).
   */
  effectiveDates: string[];
  /** Null for the set the program ships. */
  publishedAt: string | null;
  publishedBy: string | null;
  /** The set new determinations use: the newest issued. */
  inForce: boolean;
  builtIn: boolean;
}

/** GET /api/admin/parameter-sets/:version. */
export interface ParameterSetDetail extends ParameterSetItem {
  document: unknown;
}

/** The figures of a determination a parameter set can change. */
export const IMPACT_FIGURES = [
  'inScope',
  'militaryMonths',
  'backPayMonths',
  'pensionUnitAmount',
  'pensionIndividualAmount',
  'pensionUnitPayer',
  'medicalUnitAmount',
  'medicalIndividualAmount',
  'medicalUnitPayer',
] as const satisfies readonly (keyof FiguresDigest)[];
export type ImpactFigure = (typeof IMPACT_FIGURES)[number];

export const MONEY_FIGURES = ['pensionUnitAmount', 'pensionIndividualAmount', 'medicalUnitAmount', 'medicalIndividualAmount'] as const satisfies readonly ImpactFigure[];
export type MoneyFigure = (typeof MONEY_FIGURES)[number];

export interface FigureChange {
  figure: ImpactFigure;
  old: string | number | boolean | null;
  new: string | number | boolean | null;
  /** new − old: yuan to the fen for amounts ('-12.30'), months for months; null for the others. */
  difference: string | number | null;
}

/** One open case the draft changes. */
export interface CaseImpact {
  caseId: string;
  caseNumber: string;
  townshipCode: string;
  townshipName: string;
  lifecycleStatus: LifecycleStatus;
  /** The set the case uses now. */
  parametersVersion: string;
  changes: FigureChange[];
  /** Why the engine gives no determination, under the set it uses now and under the draft (null: it gives one). */
  error: { old: string | null; new: string | null };
}

/** Sums over the changed cases, per amount, in yuan to the fen; `difference` is new − old. */
export interface ImpactTotals {
  changedCases: number;
  amounts: Record<MoneyFigure, { old: string; new: string; difference: string }>;
  /** The four amounts' differences together. */
  difference: string;
}

/** POST /api/admin/parameter-sets/preview: one page of the caller's open cases, examined under the draft. */
export interface ParameterImpactPage {
  draftVersion: string;
  /** Every open case of the caller's area (not completed, transferred, not eligible or withdrawn). */
  openCases: number;
  /** The open cases this page examined: from `offset`, in case-number order. */
  offset: number;
  examined: number;
  /** The offset of the next page; null when this page reached the last open case. */
  next: number | null;
  changed: CaseImpact[];
  totals: ImpactTotals;
}

/** What the audit chain keeps of a publication's impact: the server's open cases, no case named. */
export interface ImpactSummary {
  openCases: number;
  /** Fewer than openCases when there were more than the work a publication allows (PUBLISH_IMPACT_CAP). */
  examined: number;
  totals: ImpactTotals;
}

export const PREVIEW_DEFAULT_LIMIT = 200;
export const PREVIEW_MAX_LIMIT = 500;

type Value = string | number | boolean | null;

/** The figures that differ between a case's determination now and under the draft (null: none). */
export function figureChanges(old: FiguresDigest | null, draft: FiguresDigest | null): FigureChange[] {
  const out: FigureChange[] = [];
  for (const figure of IMPACT_FIGURES) {
    const a: Value = old?.[figure] ?? null;
    const b: Value = draft?.[figure] ?? null;
    if (a === b) continue;
    out.push({ figure, old: a, new: b, difference: differenceOf(figure, a, b) });
  }
  return out;
}

function fen(v: Value): number {
  return typeof v === 'string' ? (parseYuanToFen(v) ?? 0) : 0;
}

function differenceOf(figure: ImpactFigure, a: Value, b: Value): string | number | null {
  if ((MONEY_FIGURES as readonly string[]).includes(figure)) return formatFen(fen(b) - fen(a));
  if (figure === 'militaryMonths' || figure === 'backPayMonths') return (typeof b === 'number' ? b : 0) - (typeof a === 'number' ? a : 0);
  return null;
}

/** Running sums in fen: `add` each changed case, `totals` at the end. */
export class ImpactSums {
  private changedCases = 0;
  private readonly old = new Map<MoneyFigure, number>(MONEY_FIGURES.map((f) => [f, 0]));
  private readonly draft = new Map<MoneyFigure, number>(MONEY_FIGURES.map((f) => [f, 0]));

  /** A changed case: amounts absent on one side count as zero there. */
  add(changes: readonly FigureChange[]): void {
    this.changedCases++;
    for (const c of changes) {
      if (!(MONEY_FIGURES as readonly string[]).includes(c.figure)) continue;
      const f = c.figure as MoneyFigure;
      this.old.set(f, this.old.get(f)! + fen(c.old));
      this.draft.set(f, this.draft.get(f)! + fen(c.new));
    }
  }

  /** Another page's totals (the county page adds the pages it has fetched). */
  addTotals(t: ImpactTotals): void {
    this.changedCases += t.changedCases;
    for (const f of MONEY_FIGURES) {
      this.old.set(f, this.old.get(f)! + signedFen(t.amounts[f].old));
      this.draft.set(f, this.draft.get(f)! + signedFen(t.amounts[f].new));
    }
  }

  totals(): ImpactTotals {
    const amounts = Object.fromEntries(
      MONEY_FIGURES.map((f) => [f, { old: formatFen(this.old.get(f)!), new: formatFen(this.draft.get(f)!), difference: formatFen(this.draft.get(f)! - this.old.get(f)!) }]),
    ) as ImpactTotals['amounts'];
    const difference = MONEY_FIGURES.reduce((sum, f) => sum + this.draft.get(f)! - this.old.get(f)!, 0);
    return { changedCases: this.changedCases, amounts, difference: formatFen(difference) };
  }
}

function signedFen(text: string): number {
  return text.startsWith('-') ? -fen(text.slice(1)) : fen(text);
}
