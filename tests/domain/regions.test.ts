import { describe, expect, it } from 'vitest';
import {
  counties,
  leagues,
  countiesOfLeague,
  findCounty,
  leagueOfCounty,
  searchRegions,
  type County,
} from '../../src/domain/regions';
import { REGION_DATA } from '../../src/domain/regions-data';

const codes = (counties: readonly County[]) => counties.map((county) => county.code);
const search = (query: string) => codes(searchRegions(query));

// parameters.md, 盟市 section.
const SPEC_LEAGUES: ReadonlyArray<[string, string]> = [
  ['150100', '呼和浩特市'],
  ['150200', '包头市'],
  ['150300', '乌海市'],
  ['150400', '赤峰市'],
  ['150500', '通辽市'],
  ['150600', '鄂尔多斯市'],
  ['150700', '呼伦贝尔市'],
  ['150800', '巴彦淖尔市'],
  ['150900', '乌兰察布市'],
  ['152200', '兴安盟'],
  ['152500', '锡林郭勒盟'],
  ['152900', '阿拉善盟'],
];

describe('Inner Mongolia administrative divisions (GB/T 2260, current edition)', () => {
  it('the region has 103 county-level units under 12 盟市', () => {
    expect(counties()).toHaveLength(103);
    expect(leagues()).toHaveLength(12);
  });

  it('the 12 盟市 carry the codes and names of the spec', () => {
    expect(leagues().map((league) => [league.code, league.name])).toEqual(SPEC_LEAGUES);
  });

  it.each([
    ['150100', 9],
    ['150200', 9],
    ['150300', 3],
    ['150400', 12],
    ['150500', 8],
    ['150600', 9],
    ['150700', 14],
    ['150800', 7],
    ['150900', 11],
    ['152200', 6],
    ['152500', 12],
    ['152900', 3],
  ])('盟市 %s has %i county-level units', (leagueCode, count) => {
    expect(countiesOfLeague(leagueCode)).toHaveLength(count);
  });

  it("every county's code, first four digits + 00, is its 盟市's code", () => {
    const leagueCodes = new Set(leagues().map((league) => league.code));
    for (const county of counties()) {
      expect(`${county.code.slice(0, 4)}00`, county.name).toBe(county.leagueCode);
      expect(leagueCodes.has(county.leagueCode), county.name).toBe(true);
    }
  });

  it('county codes are unique six-digit codes of the region, listed in code order', () => {
    const all = codes(counties());
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^15\d{4}$/);
    expect(all).toEqual([...all].sort());
  });

  it('county names are unique within a 盟市', () => {
    for (const league of leagues()) {
      const names = countiesOfLeague(league.code).map((county) => county.name);
      expect(new Set(names).size, league.name).toBe(names.length);
    }
  });

  it.each([
    ['150102', '新城区', '150100'],
    ['150105', '赛罕区', '150100'],
    ['150125', '武川县', '150100'],
    ['150205', '石拐区', '150200'],
    ['150206', '白云鄂博矿区', '150200'],
    ['150207', '九原区', '150200'],
    ['150223', '达尔罕茂明安联合旗', '150200'],
    ['150302', '海勃湾区', '150300'],
    ['150403', '元宝山区', '150400'],
    ['150428', '喀喇沁旗', '150400'],
    ['150502', '科尔沁区', '150500'],
    ['150581', '霍林郭勒市', '150500'],
    ['150603', '康巴什区', '150600'],
    ['150627', '伊金霍洛旗', '150600'],
    ['150703', '扎赉诺尔区', '150700'],
    ['150722', '莫力达瓦达斡尔族自治旗', '150700'],
    ['150785', '根河市', '150700'],
    ['150802', '临河区', '150800'],
    ['150826', '杭锦后旗', '150800'],
    ['150902', '集宁区', '150900'],
    ['150981', '丰镇市', '150900'],
    ['152201', '乌兰浩特市', '152200'],
    ['152202', '阿尔山市', '152200'],
    ['152501', '二连浩特市', '152500'],
    ['152502', '锡林浩特市', '152500'],
    ['152531', '多伦县', '152500'],
    ['152921', '阿拉善左旗', '152900'],
    ['152922', '阿拉善右旗', '152900'],
    ['152923', '额济纳旗', '152900'],
  ])('code %s is %s in 盟市 %s', (code, name, leagueCode) => {
    expect(findCounty(code)).toMatchObject({ code, name, leagueCode });
  });

  it.each([
    ['150102', '呼和浩特市'],
    ['150203', '包头市'],
    ['150303', '乌海市'],
    ['150702', '呼伦贝尔市'],
    ['150802', '巴彦淖尔市'],
    ['150981', '乌兰察布市'],
    ['152201', '兴安盟'],
    ['152921', '阿拉善盟'],
  ])("the worked examples' placement %s is a county of %s", (code, leagueName) => {
    expect(findCounty(code)).toBeDefined();
    expect(leagueOfCounty(code)?.name).toBe(leagueName);
  });

  it.each(['152601', '150101', '150100', '110101', '', '15010', '1501021', ' 150102'])(
    'code %j is not a current county',
    (code) => {
      expect(findCounty(code)).toBeUndefined();
    },
  );

  it('the 盟市 of a code is found from its first four digits, and only for six-digit codes of a 盟市', () => {
    expect(leagueOfCounty('150981')?.code).toBe('150900');
    expect(leagueOfCounty('152923')?.code).toBe('152900');
    expect(leagueOfCounty('152601')).toBeUndefined(); // 乌兰察布盟's code before 2003
    expect(leagueOfCounty('110101')).toBeUndefined();
    expect(leagueOfCounty('15098')).toBeUndefined();
    expect(leagueOfCounty('1509810')).toBeUndefined();
    expect(leagueOfCounty('15a981')).toBeUndefined();
  });

  it('a 盟市 lists its counties in code order and an unknown 盟市 lists none', () => {
    expect(codes(countiesOfLeague('150300'))).toEqual(['150302', '150303', '150304']);
    expect(countiesOfLeague('152600')).toEqual([]);
    expect(countiesOfLeague('')).toEqual([]);
  });

  it("a caller changing a returned list does not change the module's data", () => {
    const list = countiesOfLeague('150300');
    list.pop();
    expect(countiesOfLeague('150300')).toHaveLength(3);
    expect(() => (counties()[0] as County).formerNames.push('x')).toThrow(TypeError);
  });
});

describe('former names since 1980', () => {
  it('a search for 昭乌达盟 finds today\'s 赤峰市 counties', () => {
    expect(search('昭乌达盟')).toEqual(codes(countiesOfLeague('150400')));
    expect(search('昭乌达盟')).toHaveLength(12);
  });

  it.each([
    ['哲里木盟', '150500', 1999],
    ['伊克昭盟', '150600', 2001],
    ['呼伦贝尔盟', '150700', 2001],
    ['巴彦淖尔盟', '150800', 2003],
    ['昭乌达盟', '150400', 1983],
  ])('the 盟 %s is today %s (renamed %i)', (oldName, leagueCode, year) => {
    expect(leagues().find((league) => league.code === leagueCode)?.formerNames).toEqual([oldName]);
    expect(search(oldName)).toEqual(codes(countiesOfLeague(leagueCode)));
    const record = REGION_DATA.find((league) => league.code === leagueCode);
    expect(record?.former).toEqual([{ name: oldName, until: year, kind: 'renamed' }]);
  });

  it('a search for 乌兰察布盟 also finds the counties transferred to 呼和浩特市 and 包头市 in 1995–1996', () => {
    const transferred = ['150123', '150124', '150125', '150223'];
    expect(search('乌兰察布盟')).toEqual([...transferred, ...codes(countiesOfLeague('150900'))]);
    expect(search('乌兰察布市')).toEqual(codes(countiesOfLeague('150900')));
  });

  it('the 盟市 that kept their names have no former names', () => {
    const unchanged = leagues().filter((league) => league.formerNames.length === 0).map((league) => league.name);
    expect(unchanged).toEqual(['呼和浩特市', '包头市', '乌海市', '兴安盟', '锡林郭勒盟', '阿拉善盟']);
  });

  it('a search for 集宁市 finds 集宁区', () => {
    expect(search('集宁市')).toEqual(['150902']);
    expect(findCounty('150902')?.formerNames).toEqual(['集宁市']);
  });

  it.each([
    ['临河市', ['150802']],
    ['临河县', ['150802']],
    ['海拉尔市', ['150702']],
    ['丰镇县', ['150981']],
    ['布特哈旗', ['150783']],
    ['喜桂图旗', ['150782']],
    ['额尔古纳右旗', ['150784']],
    ['额尔古纳左旗', ['150785']],
    ['阿巴哈纳尔旗', ['152502']],
    ['赤峰县', ['150404']],
    ['通辽县', ['150502']],
    ['石拐矿区', ['150205']],
    ['白云矿区', ['150206']],
    ['东胜县', ['150602', '150603']],
    ['东胜市', ['150602', '150603']],
  ])('a placement recorded in %s is found in today\'s unit', (oldName, expected) => {
    expect(search(oldName)).toEqual(expected);
  });

  it('the county-level 赤峰市 and 通辽市 of before 1983 and 1999 are today 红山区 and 科尔沁区', () => {
    expect(findCounty('150402')?.formerNames).toEqual(['赤峰市']);
    expect(findCounty('150502')?.formerNames).toEqual(['通辽市', '通辽县']);
    expect(findCounty('150404')?.formerNames).toEqual(['郊区', '赤峰县']);
  });

  it('an old unit that was split leads to every unit that covers it today', () => {
    expect(search('满洲里市')).toEqual(['150703', '150781']);
    expect(search('扎鲁特旗')).toEqual(['150526', '150581']);
    expect(search('科尔沁右翼前旗')).toEqual(['152202', '152221']);
    expect(search('郊区')).toEqual(['150102', '150103', '150104', '150105', '150207', '150404']);
    expect(findCounty('150603')?.formerNames).toEqual(['东胜区', '东胜市', '东胜县']);
  });

  it('a 盟市 name written with a county name narrows the search', () => {
    expect(search('包头市郊区')).toEqual(['150207']);
    expect(search('包头郊区')).toEqual(['150207']);
    expect(search('呼和浩特 郊区')).toEqual(['150102', '150103', '150104', '150105']);
    expect(search('赤峰 郊区')).toEqual(['150404']);
    expect(search('昭乌达盟赤峰县')).toEqual(['150404']);
    expect(search('乌兰察布盟 和林格尔县')).toEqual(['150123']);
    expect(search('伊克昭盟　东胜市')).toEqual(['150602', '150603']);
  });

  it('the short forms of the 盟 in everyday use find their counties', () => {
    expect(search('伊盟')).toEqual(codes(countiesOfLeague('150600')));
    expect(search('哲盟')).toEqual(codes(countiesOfLeague('150500')));
    expect(search('锡盟')).toEqual(codes(countiesOfLeague('152500')));
  });

  it('every former name carries the year of its change and points only at current units', () => {
    const currentCodes = new Set(codes(counties()));
    const formers = REGION_DATA.flatMap((league) => [
      ...(league.former ?? []),
      ...league.counties.flatMap((county) => [...(county.former ?? []), ...(county.formerLeagues ?? [])]),
    ]);
    expect(formers.length).toBeGreaterThan(30);
    for (const former of formers) {
      expect(Number.isInteger(former.until), former.name).toBe(true);
      expect(former.until, former.name).toBeGreaterThanOrEqual(1980);
      expect(former.until, former.name).toBeLessThanOrEqual(2016);
    }
    const sources = REGION_DATA.flatMap((league) => league.counties.flatMap((county) => county.former ?? []))
      .map((former) => former.fromCode)
      .filter((code) => code !== undefined);
    expect(sources.length).toBeGreaterThan(0);
    for (const code of sources) expect(currentCodes.has(code), code).toBe(true);
  });
});

describe('searching', () => {
  it('a search by part of a current name finds every unit containing it, in code order', () => {
    expect(search('科尔沁')).toEqual(['150421', '150502', '150521', '150522', '152202', '152221', '152222']);
    expect(search('集宁')).toEqual(['150902']);
    expect(search('额济纳旗')).toEqual(['152923']);
  });

  it('a search by code prefix finds the counties under it', () => {
    expect(search('1503')).toEqual(['150302', '150303', '150304']);
    expect(search('150981')).toEqual(['150981']);
    expect(search('150400')).toEqual(codes(countiesOfLeague('150400')));
    expect(search('15')).toHaveLength(103);
    expect(search('1526')).toEqual([]);
    expect(search('1504 红山')).toEqual(['150402']);
  });

  it('the query is trimmed and an empty query finds nothing', () => {
    expect(search('  集宁市\t')).toEqual(['150902']);
    expect(search('')).toEqual([]);
    expect(search('   ')).toEqual([]);
    expect(search('\u3000')).toEqual([]);
  });

  it('a name outside the region finds nothing', () => {
    expect(search('北京')).toEqual([]);
    expect(search('集宁县')).toEqual([]);
  });

  it('results come in code order whatever matched', () => {
    for (const query of ['旗', '区', '市', '盟', '郊区', '东胜']) {
      const found = search(query);
      expect(found.length, query).toBeGreaterThan(0);
      expect(found, query).toEqual([...found].sort());
    }
  });
});
