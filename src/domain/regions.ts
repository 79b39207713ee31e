// Inner Mongolia's 盟市 and county-level units: lookups by GB/T 2260 code and a search that also
// knows the names in use since 1980 (the data and its sources are in regions-data.ts).
import { once } from './once';
import { REGION_DATA, type CountyRecord, type FormerName, type LeagueRecord } from './regions-data';

export interface League {
  code: string;
  name: string;
  formerNames: string[];
}

export interface County {
  code: string;
  name: string;
  leagueCode: string;
  /** Names this unit, or a unit its territory belonged to, bore since 1980 (oldest last). */
  formerNames: string[];
}

const SIX_DIGITS = /^\d{6}$/;

// Checked and built on first use, like the tables below: module loading is one task on a slow tablet.
const countyRecordByCode = once(() => {
  const byCode = new Map<string, CountyRecord>();
  for (const league of REGION_DATA) {
    for (const county of league.counties) {
      // Refuse data that breaks the code scheme instead of serving a wrong 盟市 wage row later.
      if (!SIX_DIGITS.test(county.code) || leagueCodeOf(county.code) !== league.code) {
        throw new Error(`regions-data: county ${county.code} ${county.name} does not belong to ${league.code}`);
      }
      if (byCode.has(county.code)) {
        throw new Error(`regions-data: county code ${county.code} appears twice`);
      }
      byCode.set(county.code, county);
    }
  }
  return byCode;
});

function leagueCodeOf(countyCode: string): string {
  return `${countyCode.slice(0, 4)}00`;
}

/**
 * The county's own earlier names plus, for territory split off another unit that still exists, that
 * unit's names from before the split (康巴什区 was 东胜区 until 2016, and 东胜区 was 东胜市 until 2001).
 */
function formerNamesOf(record: CountyRecord, seen: ReadonlySet<string> = new Set()): FormerName[] {
  const result: FormerName[] = [];
  for (const former of record.former ?? []) {
    result.push(former);
    const source = former.fromCode === undefined ? undefined : countyRecordByCode().get(former.fromCode);
    if (former.fromCode !== undefined && source === undefined) {
      throw new Error(`regions-data: ${record.code} refers to unknown county ${former.fromCode}`);
    }
    if (source !== undefined && !seen.has(source.code)) {
      const inherited = formerNamesOf(source, new Set([...seen, record.code]));
      result.push(...inherited.filter((f) => f.until <= former.until));
    }
  }
  return result;
}

function uniqueNames(formers: readonly FormerName[]): string[] {
  return [...new Set([...formers].sort((a, b) => b.until - a.until).map((f) => f.name))];
}

function freezeLeague(record: LeagueRecord): League {
  return Object.freeze({
    code: record.code,
    name: record.name,
    formerNames: Object.freeze(uniqueNames(record.former ?? [])) as string[],
  });
}

const tables = once(() => {
  countyRecordByCode();
  const leagues: readonly League[] = Object.freeze(REGION_DATA.map(freezeLeague));
  const counties: readonly County[] = Object.freeze(
    REGION_DATA.flatMap((league) =>
      league.counties.map(
        (county): County =>
          Object.freeze({
            code: county.code,
            name: county.name,
            leagueCode: league.code,
            formerNames: Object.freeze(uniqueNames(formerNamesOf(county))) as string[],
          }),
      ),
    ).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  );
  return {
    leagues,
    counties,
    leagueByCode: new Map(leagues.map((league) => [league.code, league])),
    countyByCode: new Map(counties.map((county) => [county.code, county])),
    countiesByLeague: new Map<string, readonly County[]>(leagues.map((league) => [league.code, counties.filter((county) => county.leagueCode === league.code)])),
  };
});

/** The region's 盟市, in the order of the data. */
export function leagues(): readonly League[] {
  return tables().leagues;
}

/** The region's current county-level units, in code order. */
export function counties(): readonly County[] {
  return tables().counties;
}

/** A current county-level unit by its six-digit code; old or unknown codes give undefined. */
export function findCounty(code: string): County | undefined {
  return tables().countyByCode.get(code);
}

/**
 * The 盟市 of a county code: its first four digits + "00". Only the shape of the code is checked, so
 * the rules engine finds the 盟市 wage row from the code alone.
 */
export function leagueOfCounty(code: string): League | undefined {
  return SIX_DIGITS.test(code) ? tables().leagueByCode.get(leagueCodeOf(code)) : undefined;
}

/** The county-level units of a 盟市, in code order; an unknown code gives an empty list. */
export function countiesOfLeague(code: string): County[] {
  return [...(tables().countiesByLeague.get(code) ?? [])];
}

// Every string a clerk might type for a county: its names, its 盟市's names (today's, former ones,
// everyday short forms, and any 盟 it belonged to before a transfer) and each 盟市 name written
// before a county name, with and without the final 市/盟 ("包头市郊区", "包头郊区").
const searchKeys = once(() => {
  const keys = new Map<string, readonly string[]>();
  for (const league of REGION_DATA) {
    for (const record of league.counties) {
      const county = findCounty(record.code);
      if (county === undefined) continue;
      const countyNames = [county.name, ...county.formerNames];
      const leagueNames = [
        league.name,
        ...(league.former ?? []).map((f) => f.name),
        ...(league.aliases ?? []),
        ...(record.formerLeagues ?? []).map((f) => f.name),
      ];
      const prefixes = new Set(leagueNames.flatMap((name) => [name, name.replace(/[市盟]$/, '')]));
      const combined = [...prefixes].flatMap((prefix) => countyNames.map((name) => prefix + name));
      keys.set(county.code, [...new Set([...countyNames, ...leagueNames, ...combined])]);
    }
  }
  return keys;
});

function tokenMatches(county: County, token: string): boolean {
  if (/^\d+$/.test(token)) {
    return county.code.startsWith(token) || token === county.leagueCode;
  }
  return (searchKeys().get(county.code) ?? []).some((key) => key.includes(token));
}

/**
 * Counties matching every whitespace-separated part of the query: a part of a current or former name
 * of the county or of its 盟市, or a code prefix (a full 盟市 code gives all its counties). In code
 * order; an empty query gives an empty list.
 */
export function searchRegions(query: string): County[] {
  const tokens = query.trim().split(/\s+/).filter((token) => token !== '');
  if (tokens.length === 0) return [];
  return counties().filter((county) => tokens.every((token) => tokenMatches(county, token)));
}
