// The fiscal part of a unit contribution (a case whose unitPayer is 'fiscal') is shared between
// 自治区本级, 盟市 and 旗县（市、区） in ratios the region sets (NM43-1.2.b.s4); the notice gives none,
// so until a published set holds them, asking is `not-in-force`, never a silent zero.

import { JiexuError } from './errors';
import { largestRemainderSplit, parseScaled, type ScaledDecimal } from './money';
import { isIsoDate } from './months';
import type { FiscalSplitRow, ParameterSet, ParameterUse } from './parameters';

/** Shares as decimal texts (`"0.5"`) or parsed; they must add up to exactly one. */
export interface FiscalShares {
  readonly region: ScaledDecimal | string;
  readonly league: ScaledDecimal | string;
  readonly county: ScaledDecimal | string;
}

/** Amounts in fen (integers), adding up to the amount split. */
export interface FiscalSplit {
  readonly region: number;
  readonly league: number;
  readonly county: number;
}

const PARAMETER = 'fiscalSplit';

function scaled(v: ScaledDecimal | string, which: string): ScaledDecimal {
  if (typeof v !== 'string') return v;
  const d = parseScaled(v);
  if (!d) throw new JiexuError('invalid-parameters', `fiscalSplit.${which}: not a decimal share: ${v}`, { path: `fiscalSplit.${which}` });
  return d;
}

/**
 * An amount of fen split in the three shares, each rounded so that they add up to the amount to the
 * fen: largest remainder, equal remainders in the order region, league, county.
 */
export function fiscalSplit(amountFen: number, shares: FiscalShares): FiscalSplit {
  const parts = [scaled(shares.region, 'region'), scaled(shares.league, 'league'), scaled(shares.county, 'county')];
  const [region, league, county] = largestRemainderSplit(amountFen, parts) as [number, number, number];
  return { region, league, county };
}

/** The shares in force on a date for a 盟市's counties, with what a determination would cite. */
export interface FiscalSharesInForce {
  readonly shares: FiscalShares;
  readonly use: ParameterUse;
}

/**
 * The shares in force on a date (`YYYY-MM-DD`) in a 盟市: its own rows when it has one in force, else
 * the region's; `not-in-force` when neither has.
 */
export function fiscalSharesInForce(set: ParameterSet, leagueCode: string | undefined, on: string): FiscalSharesInForce {
  if (!isIsoDate(on)) throw new JiexuError('invalid-case', `on: not a date (expected YYYY-MM-DD): ${on}`, { path: 'on' });
  const table = set.fiscalSplit;
  const latest = (rows: readonly FiscalSplitRow[] | undefined): FiscalSplitRow | undefined => rows?.filter((r) => r.from <= on).at(-1);
  const own = leagueCode === undefined ? undefined : latest(table?.leagues[leagueCode]);
  const row = own ?? latest(table?.region);
  if (!row) {
    const first = [...(table?.region ?? []), ...(leagueCode === undefined ? [] : (table?.leagues[leagueCode] ?? []))].map((r) => r.from).sort()[0];
    throw new JiexuError(
      'not-in-force',
      `parameter ${PARAMETER} has no value in force on ${on}${first ? ` (its first value is from ${first})` : ''}: the region has not published the fiscal split ratios`,
      { parameter: PARAMETER, month: on.slice(0, 7), ...(first ? { firstFrom: first } : {}), path: 'fiscalSplit' },
    );
  }
  const name = own ? `${PARAMETER}.${leagueCode}` : `${PARAMETER}.region`;
  return {
    shares: { region: row.region, league: row.league, county: row.county },
    use: Object.freeze({ name, value: `${row.region}/${row.league}/${row.county}`, unit: row.unit, from: row.from, source: row.source, provisional: row.provisional }),
  };
}
