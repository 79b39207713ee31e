// Legal retirement age and minimum pension contribution months (RA-2024).

import type { MonthIndex } from './months';
import type { MinimumPensionRule, RetirementCategoryRule, RetirementRules } from './parameters';

export type RetirementCategory = 'male' | 'female-cadre' | 'female-worker';

export interface RetirementAge {
  category: RetirementCategory;
  delayMonths: number;
  ageMonths: number;
  month: MonthIndex;
}

export function retirementRuleOf(rules: RetirementRules, category: RetirementCategory): RetirementCategoryRule {
  return category === 'male' ? rules.male : category === 'female-cadre' ? rules.femaleCadre : rules.femaleWorker;
}

/**
 * RA-2024 全国人大常委会关于实施渐进式延迟法定退休年龄的决定:
 * "男职工和原法定退休年龄为五十五周岁的女职工，法定退休年龄每四个月延迟一个月……原法定退休年龄为五十周岁的女职工，每二个月延迟一个月"
 * Keyed by birth month, so it gives the old ages to anyone born before the first delayed month.
 */
export function retirementOf(birthMonth: MonthIndex, category: RetirementCategory, rules: RetirementRules): RetirementAge {
  const r = retirementRuleOf(rules, category);
  const b = birthMonth - r.firstDelayedBirth;
  const delayMonths = b < 0 ? 0 : Math.min(Math.floor(b / r.stepBirthMonths) + 1, r.capMonths);
  const ageMonths = r.originalAgeMonths + delayMonths;
  return { category, delayMonths, ageMonths, month: birthMonth + ageMonths };
}

/**
 * RA-2024 《国务院关于渐进式延迟法定退休年龄的办法》第二条:
 * "从2030年1月1日起，将职工按月领取基本养老金最低缴费年限由15年逐步提高至20年，每年提高6个月"
 * By the calendar year of the retirement month.
 */
export function minimumPensionMonths(year: number, rule: MinimumPensionRule): number {
  if (year < rule.firstRaisedYear) return rule.baseMonths;
  return Math.min(rule.baseMonths + rule.stepMonthsPerYear * (year - rule.firstRaisedYear + 1), rule.capMonths);
}
