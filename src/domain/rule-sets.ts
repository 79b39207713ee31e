// Which text decides a case. A rule set is one notice (or one revision of it, with its own
// effective date) as its own module: its rules, citation ids and parameter file. The engine picks
// the rule set by the application's date and the placement county, so the next notice is added
// beside this one without editing its rules; a case no text covers is refused, never guessed.

import type { CaseFacts } from './case-facts';
import { RULES_VERSION, type Determination } from './determination';
import { evaluate as evaluateNm43 } from './engine';
import { JiexuError } from './errors';
import { isMonthOrDate } from './months';
import { DEFAULT_PARAMETERS, parseParameterSet, type ParameterSet } from './parameters';

export interface RuleSet<P = unknown, D = Determination> {
  /** Stable id, the key of its parameter document (`nm43`). */
  readonly id: string;
  /** The document it implements, as cited. */
  readonly document: string;
  readonly rulesVersion: string;
  /** Administrative-division code prefixes of the areas it governs (`15`: the whole region). */
  readonly regions: readonly string[];
  /**
   * Applications dated on or after this day (`YYYY-MM-DD`) are decided under it, until a later rule
   * set of the same area takes over; null when it governs every earlier application too.
   */
  readonly from: string | null;
  readonly defaultParameters: P;
  /** Validates a parameter document published for this rule set (throws `invalid-parameters`). */
  parseParameters(document: unknown): P;
  evaluate(facts: CaseFacts, parameters: P): D;
}

/** 内政办字〔2019〕43号: the region's rules since the notice, with its own handling of earlier applications (NM43-1.6). */
export const NM43_RULE_SET: RuleSet<ParameterSet> = {
  id: 'nm43',
  document: '内蒙古自治区人民政府办公厅关于解决部分退役士兵社会保险问题的通知（内政办字〔2019〕43号）',
  rulesVersion: RULES_VERSION,
  regions: ['15'],
  from: null,
  defaultParameters: DEFAULT_PARAMETERS,
  parseParameters: parseParameterSet,
  evaluate: evaluateNm43,
};

/** Parameter documents by rule set id; a rule set with none given uses the pack it ships with. */
export type ParametersByRuleSet = Readonly<Record<string, unknown>>;

export interface RuleSetRegistry<D> {
  readonly ruleSets: readonly RuleSet<unknown, D>[];
  /** The rule set that decides this case; `no-rule-set` when none governs its county at its date. */
  ruleSetFor(facts: Pick<CaseFacts, 'applicationDate' | 'placement'>): RuleSet<unknown, D>;
  evaluate(facts: CaseFacts, parameters?: ParametersByRuleSet): D;
}

// Only the day is compared: an application dated by month alone counts from the month's first day.
const dayOf = (dateOrMonth: string) => (dateOrMonth.length === 7 ? `${dateOrMonth}-01` : dateOrMonth);

export function createRuleSetRegistry<D>(sets: readonly RuleSet<unknown, D>[]): RuleSetRegistry<D> {
  const ids = new Set<string>();
  for (const set of sets) {
    if (ids.has(set.id)) throw new Error(`rule set ${set.id} is registered twice`);
    ids.add(set.id);
    if (set.from !== null && !isMonthOrDate(set.from)) throw new Error(`rule set ${set.id}: from ${set.from} is not a date`);
    for (const other of sets) {
      if (other !== set && other.from === set.from && other.regions.some((r) => set.regions.includes(r))) {
        throw new Error(`rule sets ${set.id} and ${other.id} govern the same area from the same date`);
      }
    }
  }

  function ruleSetFor(facts: Pick<CaseFacts, 'applicationDate' | 'placement'>): RuleSet<unknown, D> {
    const day = dayOf(facts.applicationDate);
    const county = facts.placement.countyCode;
    let chosen: RuleSet<unknown, D> | undefined;
    for (const set of sets) {
      if (!set.regions.some((r) => county.startsWith(r))) continue;
      if (set.from !== null && set.from > day) continue;
      // The latest text in force takes over from the ones before it.
      if (!chosen || (chosen.from ?? '') < (set.from ?? '')) chosen = set;
    }
    if (!chosen) {
      throw new JiexuError('no-rule-set', `no rule set governs county ${county} for an application dated ${facts.applicationDate}`, { path: 'applicationDate' });
    }
    return chosen;
  }

  return {
    ruleSets: sets,
    ruleSetFor,
    evaluate(facts, parameters = {}) {
      const set = ruleSetFor(facts);
      const given = parameters[set.id];
      return set.evaluate(facts, given === undefined ? set.defaultParameters : given);
    },
  };
}

/** The rule sets this program knows. */
export const RULE_SETS: RuleSetRegistry<Determination> = createRuleSetRegistry([NM43_RULE_SET]);
