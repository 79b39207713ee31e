// The agencies' results as they send them: an .xlsx or CSV file (UTF-8 or GB18030) with one row per
// case and track. The preview judges every row (its case in the caller's area, each field) and names
// each problem by row number and column; the commit records the good rows as agency findings, each
// beside the engine's re-run (agency-findings.ts), under one audit entry for the import with counts.

import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { AgencyFindingInput, AgencyResultRow, AgencyResultsCommit, AgencyResultsPreview, AgencyTrack } from '../../shared/admin-api';
import { areaContains, type Area } from '../../shared/roles';
import { appendAudit, type AuditBy } from '../audit/chain';
import { ApiError } from '../errors';
import type { CountyContext } from './context';
import { fieldReader, findingAuditDetail, prepareAgencyFinding, storeAgencyFinding, type PreparedFinding } from './agency-findings';

/** Rows one file may hold: a county's results for a campaign fit many times over. */
export const AGENCY_RESULTS_MAX_ROWS = 5000;

type Field = keyof AgencyFindingInput | 'caseNumber' | 'idNumber';

/** Header texts each field is recognised by (compared without spaces, case-insensitively). */
const HEADERS: Readonly<Record<Field, readonly string[]>> = {
  caseNumber: ['案件编号', '案件号', '编号', 'casenumber'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', 'idnumber'],
  track: ['险种', '险种类别', 'track'],
  gapMonths: ['中断月数', '缴费中断月数', '补缴月数', '月数', 'gapmonths'],
  unitAmount: ['单位缴费金额', '单位缴费', '单位金额', '单位部分', 'unitamount'],
  individualAmount: ['个人缴费金额', '个人缴费', '个人金额', '个人部分', 'individualamount'],
  agencyName: ['经办机构', '经办机构名称', 'agencyname'],
  documentNumber: ['文号', '文件文号', '核定文号', 'documentnumber'],
  documentDate: ['文件日期', '日期', '核定日期', 'documentdate'],
  computedOn: ['测算日期', '计算日期', 'computedon'],
};

/** The column each field is named by in problems: its first Chinese header, as the agencies write it. */
const COLUMN: Readonly<Record<Field, string>> = Object.fromEntries(Object.entries(HEADERS).map(([k, v]) => [k, v[0]!])) as Record<Field, string>;

const TRACK_WORDS: Readonly<Record<string, AgencyTrack>> = {
  养老: 'pension',
  养老保险: 'pension',
  基本养老保险: 'pension',
  职工养老保险: 'pension',
  pension: 'pension',
  医疗: 'medical',
  医疗保险: 'medical',
  基本医疗保险: 'medical',
  职工医疗保险: 'medical',
  medical: 'medical',
};

type Cell = string;

function refuse(path: string, message: string): never {
  throw new ApiError(422, 'invalid-request', `${path}: ${message}`, { details: { problems: [{ path, message }] } });
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM dropped), else GB18030, as Excel in China saves CSV. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function cellText(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

async function readRows(bytes: Buffer, fileName: string): Promise<Cell[][]> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      refuse('content', 'not a readable .xlsx file');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) refuse('content', 'the workbook has no sheet');
    const rows: Cell[][] = [];
    for (let r = 1; r <= Math.min(sheet.rowCount, AGENCY_RESULTS_MAX_ROWS + 2); r++) {
      const row = sheet.getRow(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value).trim());
      rows.push(cells);
    }
    if (sheet.rowCount > AGENCY_RESULTS_MAX_ROWS + 1) refuse('content', `at most ${AGENCY_RESULTS_MAX_ROWS} rows per file`);
    return rows;
  }
  const parsed = Papa.parse<string[]>(decodeText(bytes), { skipEmptyLines: false });
  if (parsed.data.length > AGENCY_RESULTS_MAX_ROWS + 2) refuse('content', `at most ${AGENCY_RESULTS_MAX_ROWS} rows per file`);
  return parsed.data.map((r) => r.map((c) => String(c).trim()));
}

const squash = (s: string) => s.replace(/[\s\u3000]/g, '').toLowerCase();

function headerMap(header: readonly Cell[]): Map<Field, number> {
  const map = new Map<Field, number>();
  header.forEach((h, i) => {
    const key = squash(h);
    for (const [field, names] of Object.entries(HEADERS) as [Field, readonly string[]][]) {
      if (!map.has(field) && names.includes(key)) map.set(field, i);
    }
  });
  return map;
}

export interface AgencyResultsRequest {
  fileName: string;
  bytes: Buffer;
  /** Used for rows of a file with no 经办机构 column. */
  agencyName: string | null;
}

/** The request body: the file as base64 with its name, and the agency when the file does not name it. */
export function parseAgencyResultsRequest(body: Record<string, unknown>): AgencyResultsRequest {
  if (typeof body.content !== 'string' || body.content.length === 0 || !/^[A-Za-z0-9+/=\s]+$/.test(body.content)) refuse('content', 'required: the file, base64-encoded');
  const fileName = typeof body.fileName === 'string' ? body.fileName.trim() : '';
  if (fileName === '' || fileName.length > 200) refuse('fileName', 'required: the file’s name (.xlsx or .csv)');
  const agencyName = typeof body.agencyName === 'string' && body.agencyName.trim() !== '' ? body.agencyName.trim().slice(0, 200) : null;
  return { fileName, bytes: Buffer.from(body.content, 'base64'), agencyName };
}

interface JudgedRow extends AgencyResultRow {
  townshipCode: string | null;
}

async function judge(ctx: CountyContext, request: AgencyResultsRequest, area: Area, today: string): Promise<JudgedRow[]> {
  const rows = await readRows(request.bytes, request.fileName);
  const headerIndex = rows.findIndex((r) => r.some((c) => c !== ''));
  if (headerIndex < 0) refuse('content', 'the file is empty');
  const columns = headerMap(rows[headerIndex]!);
  const needed: Field[] = ['track', 'gapMonths', 'unitAmount', 'individualAmount', 'documentNumber', 'documentDate'];
  const missing = needed.filter((f) => !columns.has(f));
  if (!columns.has('caseNumber') && !columns.has('idNumber')) missing.unshift('caseNumber');
  if (!columns.has('agencyName') && request.agencyName === null) missing.push('agencyName');
  if (missing.length > 0) refuse('content', `missing columns: ${missing.map((f) => `${COLUMN[f]} (${f})`).join(', ')}`);

  const out: JudgedRow[] = [];
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (cells.every((c) => c === '')) continue;
    const get = (f: Field): string => {
      const at = columns.get(f);
      return at === undefined ? '' : (cells[at] ?? '');
    };
    const fieldProblems: { path: string; message: string }[] = [];
    const read = fieldReader(today, fieldProblems);
    const trackWord = squash(get('track'));
    const track = TRACK_WORDS[trackWord];
    const problems: { column: string; message: string }[] = [];
    if (!track) problems.push({ column: COLUMN.track, message: 'track: must be 养老 (pension) or 医疗 (medical)' });
    const documentDate = read.date(get('documentDate'), 'documentDate');
    const input: AgencyFindingInput = {
      track: track ?? 'pension',
      gapMonths: read.months(get('gapMonths'), 'gapMonths'),
      unitAmount: read.yuan(get('unitAmount'), 'unitAmount'),
      individualAmount: read.yuan(get('individualAmount'), 'individualAmount'),
      agencyName: read.text(columns.has('agencyName') && get('agencyName') !== '' ? get('agencyName') : (request.agencyName ?? ''), 'agencyName'),
      documentNumber: read.text(get('documentNumber'), 'documentNumber'),
      documentDate,
      computedOn: columns.has('computedOn') && get('computedOn') !== '' ? read.date(get('computedOn'), 'computedOn') : documentDate,
    };
    for (const p of fieldProblems) problems.push({ column: COLUMN[p.path as Field], message: `${p.path}: ${p.message}` });

    // The case: by its number, else by the ID number when exactly one case of the area has it.
    const caseNumber = get('caseNumber');
    const idNumber = get('idNumber').toUpperCase();
    let match: { id: string; case_number: string; township_code: string } | null = null;
    if (caseNumber === '' && idNumber === '') {
      problems.push({ column: COLUMN.caseNumber, message: 'caseNumber: required (or idNumber)' });
    } else {
      const found = await ctx.db
        .selectFrom('cases')
        .select(['id', 'case_number', 'township_code'])
        .where(caseNumber !== '' ? 'case_number' : 'id_number', '=', caseNumber !== '' ? caseNumber : idNumber)
        .execute();
      // A case outside the caller's area is answered as one that does not exist.
      const inArea = found.filter((c) => areaContains(area, { level: 'township', code: c.township_code }));
      const column = caseNumber !== '' ? COLUMN.caseNumber : COLUMN.idNumber;
      const field = caseNumber !== '' ? 'caseNumber' : 'idNumber';
      if (inArea.length === 0) problems.push({ column, message: `${field}: no case of your area has it` });
      else if (inArea.length > 1) problems.push({ column, message: `${field}: ${inArea.length} cases have it; give the case number` });
      else match = inArea[0]!;
      if (match && caseNumber !== '' && idNumber !== '') {
        const id = await ctx.db.selectFrom('cases').select('id_number').where('id', '=', match.id).executeTakeFirstOrThrow();
        if (id.id_number.toUpperCase() !== idNumber) problems.push({ column: COLUMN.idNumber, message: 'idNumber: not the ID number of the case with this number' });
      }
    }
    // In the file's column order, as the reader scans the row.
    const position = (column: string) => {
      const field = (Object.keys(COLUMN) as Field[]).find((f) => COLUMN[f] === column);
      return field === undefined ? Infinity : (columns.get(field) ?? Infinity);
    };
    problems.sort((x, y) => position(x.column) - position(y.column));
    out.push({
      row: i + 1,
      caseId: match?.id ?? null,
      caseNumber: match?.case_number ?? null,
      townshipCode: match?.township_code ?? null,
      input: problems.length === 0 ? input : null,
      problems,
    });
  }
  // The same case and track twice in one file: which one stands would depend on the row order.
  const seen = new Map<string, number>();
  for (const r of out) {
    if (!r.input || !r.caseId) continue;
    const key = `${r.caseId}/${r.input.track}`;
    const first = seen.get(key);
    if (first !== undefined) {
      r.problems.push({ column: COLUMN.track, message: `track: the same case and track as row ${first}` });
      r.input = null;
    } else seen.set(key, r.row);
  }
  return out;
}

function summary(rows: readonly JudgedRow[]): AgencyResultsPreview {
  const shown = rows.map(({ townshipCode: _township, ...r }) => r);
  const good = rows.filter((r) => r.input !== null).length;
  return { rows: shown, good, bad: rows.length - good };
}

/** Every row of the file judged: its case and its problems; nothing is recorded. */
export async function previewAgencyResults(ctx: CountyContext, request: AgencyResultsRequest, area: Area, today: string): Promise<AgencyResultsPreview> {
  return summary(await judge(ctx, request, area, today));
}

/** Records the good rows as findings, in one transaction with one audit entry naming the counts. */
export async function commitAgencyResults(ctx: CountyContext, request: AgencyResultsRequest, area: Area, today: string, by: AuditBy): Promise<AgencyResultsCommit> {
  const rows = await judge(ctx, request, area, today);
  const good = rows.filter((r) => r.input !== null && r.caseId !== null);
  const importId = createHash('sha256').update(request.bytes).digest('hex');
  await ctx.db.transaction().execute(async (trx) => {
    const prepared: PreparedFinding[] = [];
    for (const r of good) {
      const row = await trx.selectFrom('cases').selectAll().where('id', '=', r.caseId!).executeTakeFirstOrThrow();
      prepared.push(await prepareAgencyFinding(trx, ctx, row, r.input!, by));
    }
    const detail = {
      fileSha256: importId,
      rows: rows.length,
      recorded: good.length,
      refused: rows.length - good.length,
      differing: prepared.filter((f) => f.differs === 1).length,
      findings: prepared.map((f, i) => ({ row: good[i]!.row, ...findingAuditDetail(f) })),
    };
    const audit = await appendAudit(trx, { ...by, action: 'agency-results.import', subject: importId, area, detail }, ctx.now());
    for (const f of prepared) await storeAgencyFinding(trx, f, audit.seq);
  });
  return { ...summary(rows), recorded: good.length };
}
