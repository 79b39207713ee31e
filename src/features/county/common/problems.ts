// What is wrong with a field, in Chinese: the reasons the server gives in English (`path: message`,
// administration.ts, case-lifecycle.ts, case-review.ts, case-queue.ts) and the words the county
// page's forms use before asking it, one table, so that the admin reads the same sentence both ways.
import { z } from 'zod';
import { VERIFICATION_CHECK_ZH, type VerificationCheck } from '../../../shared/case-lifecycle';

const LEVEL_ZH: Readonly<Record<string, string>> = { township: '乡镇（街道）', county: '旗县', league: '盟市', region: '自治区' };

/** Each server reason by its English wording (first match wins), and how it reads in Chinese. */
const SERVER_REASONS: readonly { pattern: RegExp; zh(m: RegExpExecArray): string }[] = [
  { pattern: /^required: a date YYYY-MM-DD$/, zh: () => '请填写日期（年-月-日）' },
  { pattern: /^required for a [a-z-]+: \{ level/, zh: () => '必须选择辖区级别并填写辖区代码' },
  { pattern: /^required: a whole number of months from (\d+) to (\d+)$/, zh: (m) => `须为${m[1]}至${m[2]}的整数（月）` },
  { pattern: /^required: yuan, not negative, with at most two decimals$/, zh: () => '须为不小于0的金额（元），最多两位小数' },
  { pattern: /^required: record the government’s confirmation/, zh: () => '请先在「单位部分承担方确认」中登记同级人民政府的确认文件' },
  { pattern: /^required: the unit’s share is not paid by the original unit/, zh: () => '单位部分不由原安置单位缴纳，须有同级人民政府的确认' },
  { pattern: /^only the region, or a 盟市 for its own counties, may change the fiscal split ratios/, zh: () => '财政补助分担比例只能由自治区（或盟市为本盟市旗县）发布，请保留现行参数中的比例' },
  // The agencies' results file (agency-results.ts): the file itself, and each row's case.
  { pattern: /^required \(or idNumber\)$/, zh: () => '请填写案件编号或身份证号' },
  { pattern: /^required: the file, base64-encoded$/, zh: () => '请选择文件' },
  { pattern: /^required: the file’s name/, zh: () => '请选择文件（.xlsx 或 .csv）' },
  { pattern: /^must be 养老 \(pension\) or 医疗 \(medical\)$/, zh: () => '须为「养老」或「医疗」' },
  { pattern: /^no case of your area has it$/, zh: () => '本辖区没有这个案件' },
  { pattern: /^(\d+) cases have it; give the case number$/, zh: (m) => `有${m[1]}件案件相符，请填写案件编号` },
  { pattern: /^not the ID number of the case with this number$/, zh: () => '与该案件编号的身份证号不符' },
  { pattern: /^the same case and track as row (\d+)$/, zh: (m) => `与第${m[1]}行是同一案件、同一险种` },
  { pattern: /^not a readable \.xlsx file$/, zh: () => '不是可读取的 .xlsx 文件' },
  { pattern: /^the workbook has no sheet$/, zh: () => '工作簿中没有工作表' },
  { pattern: /^at most (\d+) rows per file$/, zh: (m) => `每个文件最多${m[1]}行` },
  { pattern: /^the file is empty$/, zh: () => '文件是空的' },
  { pattern: /^missing columns: (.+)$/, zh: (m) => `缺少列：${m[1]!.replace(/ \([A-Za-z]+\)/g, '').split(', ').join('、')}` },
  { pattern: /^required\b/, zh: () => '必须填写' },
  { pattern: /^at (least|most) (\d+) characters$/, zh: (m) => `${m[1] === 'least' ? '至少' : '最多'}${m[2]}个字符` },
  { pattern: /^must differ from the current one$/, zh: () => '不能与当前密码相同' },
  { pattern: /^3–64 characters: letters, digits/, zh: () => '须为3至64个字符：字母、数字或 . _ -，以字母或数字开头' },
  { pattern: /^expected a 9-digit township code/, zh: () => '须为9位数字（旗县代码6位加3位），如150102001' },
  { pattern: /^the first six digits (\d*) are not a county of the region$/, zh: (m) => `前6位 ${m[1]} 不是自治区的旗县代码` },
  { pattern: /^no township (\S+): create it first$/, zh: (m) => `没有代码为 ${m[1]} 的乡镇（街道），请先新建` },
  { pattern: /^the region is (\d+)$/, zh: (m) => `自治区的代码是 ${m[1]}` },
  { pattern: /^(\S*) is not a 盟市 of the region$/, zh: (m) => `${m[1]} 不是自治区的盟市代码` },
  { pattern: /^(\S*) is not a county of the region$/, zh: (m) => `${m[1]} 不是自治区的旗县代码` },
  { pattern: /^(\S*) is not a township code/, zh: (m) => `${m[1]} 不是乡镇（街道）代码（旗县6位加3位）` },
  { pattern: /^expected one of township, county/, zh: () => '请选择辖区级别' },
  {
    pattern: /^a [a-z-]+ has an area of level ([a-z ]+)$/,
    zh: (m) => `该角色的辖区只能是${m[1]!
      .split(' or ')
      .map((l) => LEVEL_ZH[l] ?? l)
      .join('或')}`,
  },
  { pattern: /^only a window clerk or outreach worker has a township/, zh: () => '只有窗口经办人和外勤人员的辖区是乡镇（街道）' },
  { pattern: /^must be one of /, zh: () => '不是可选的值' },
  { pattern: /^is in the future$/, zh: () => '不能晚于今天' },
  { pattern: /^\S+ is given twice$/, zh: () => '重复填写' },
  { pattern: /^only for the step /, zh: () => '这一步不需要填写' },
  { pattern: /^must be text$/, zh: () => '须为文字' },
  { pattern: /^must be an object$/, zh: () => '格式不正确' },
  { pattern: /^a whole number from (\d+) to (\d+)$/, zh: (m) => `须为${m[1]}至${m[2]}的整数` },
  { pattern: /^expected a whole number of hours from (\d+) to (\d+)$/, zh: (m) => `须为${m[1]}至${m[2]}的整数（小时）` },
  { pattern: /^not a version of this case$/, zh: () => '不是本案件的版本' },
  { pattern: /^not an IPv4 or IPv6 address$/, zh: () => '不是有效的IP地址' },
  { pattern: /^expected a date \(YYYY-MM-DD\) or an ISO instant inside the week$/, zh: () => '须为该周内的一个日期（年-月-日）' },
  { pattern: /^expected a year from (\d+) to (\d+)$/, zh: (m) => `须为${m[1]}至${m[2]}年之间的年份` },
  { pattern: /^expected text$/, zh: () => '须为文字' },
];

/** A server reason in Chinese; one this table does not know reads as a plain refusal, never in English. */
export function serverReasonZh(message: string): string {
  for (const { pattern, zh } of SERVER_REASONS) {
    const m = pattern.exec(message);
    if (m) return zh(m);
  }
  return '不符合要求';
}

const CHECK_FIELD_ZH: Readonly<Record<string, string>> = { check: '核查项目', documentNumber: '依据文件文号', documentDate: '文件日期', recordedBy: '核实人' };

/** A path into 核查通过's sub-checks (`checks[1].documentDate`) as the form names it, or null. */
export function checkFieldZh(path: string, checks?: readonly VerificationCheck[]): string | null {
  const m = /^checks\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  const check = checks?.[i];
  const which = check ? `「${VERIFICATION_CHECK_ZH[check]}」` : `第${i + 1}项核查`;
  return m[2] ? `${which}的${CHECK_FIELD_ZH[m[2]] ?? m[2]}` : which;
}

/** The forms' own words for a field's problem before the server is asked, naming the field by its label. */
export const formProblemZh = {
  required: (label: string) => `请填写「${label}」。`,
  choose: (label: string) => `请选择「${label}」。`,
  atLeast: (label: string, n: number) => `「${label}」至少${n}个字符。`,
  atMost: (label: string, n: number) => `「${label}」最多${n}个字符。`,
  username: (label: string) => `「${label}」须为3至64个字符：字母、数字或 . _ -，以字母或数字开头。`,
  digits: (label: string, n: number) => `「${label}」须为${n}位数字。`,
};

/** A trimmed text that must be there and at most `max` characters long. */
export function requiredText(label: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, formProblemZh.required(label))
    .max(max, formProblemZh.atMost(label, max));
}
