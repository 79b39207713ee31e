// Inner Mongolia's 盟市 and county-level units (市辖区, 县级市, 县, 旗, 自治旗) as data, with the names
// they bore since 1980 so that a placement recorded decades ago under an old name still finds today's
// unit.
//
// Codes and names: GB/T 2260 as published by the Ministry of Civil Affairs (民政部《县以上行政区划代码》),
// current edition; checked line by line against the MCA tables of December 2020/2021 (public mirror:
// github.com/cn/GB2260, mca/202112.tsv). The last county-level change in the region is 康巴什区 (2016).
//
// History: every name and year below was read off the MCA code tables of successive Decembers in
// that mirror (mca/198012 … mca/201312): a name is "former" only if one year's table lists it and a
// later table lists today's unit instead. `until` is the year of the State Council approval, i.e. of
// the first December table showing the new name (集宁市 → 集宁区 was approved on 2003-12-01,
// 国函〔2003〕122号, although the new offices opened in 2004). The tables do not say where territory
// went; for `merged` and `part-of` entries that comes from the units' published histories
// (康巴什区: 2016 approval, three 东胜区 subdistricts; 赛罕区: 2000 adjustment of 郊区 and 新城区).
// Names that did not change are not listed: 土默特左旗, 满洲里市, 乌兰浩特市, 海勃湾区 and the rest.

/** How an old name relates to today's unit. */
export type FormerNameKind =
  /** the same unit under an earlier name (boundaries may have been adjusted at the same time) */
  | 'renamed'
  /** the whole old unit was merged into this one */
  | 'merged'
  /** only part of this unit's territory lay in the old unit (the old unit was split) */
  | 'part-of';

export interface FormerName {
  name: string;
  /** Year the old name stopped being the unit's name (year of the approval). */
  until: number;
  kind: FormerNameKind;
  /**
   * For `part-of`: today's code of the unit the territory came from, when that unit still exists.
   * Its own earlier names then also lead here (territory of 东胜区 before 2016 was 东胜市 before 2001).
   */
  fromCode?: string;
  note?: string;
}

/** A county that belonged to another 盟市 before being transferred to today's. */
export interface FormerLeague {
  name: string;
  until: number;
}

export interface CountyRecord {
  code: string;
  name: string;
  former?: readonly FormerName[];
  formerLeagues?: readonly FormerLeague[];
}

export interface LeagueRecord {
  code: string;
  name: string;
  former?: readonly FormerName[];
  /** Short forms in everyday use on old forms and files (伊盟, 哲盟 …). */
  aliases?: readonly string[];
  counties: readonly CountyRecord[];
}

export const REGION_DATA: readonly LeagueRecord[] = [
  {
    code: '150100',
    name: '呼和浩特市',
    counties: [
      {
        code: '150102',
        name: '新城区',
        // 2000: 郊区's 保合少 and 毫沁营 townships came to 新城区.
        former: [{ name: '郊区', until: 2000, kind: 'part-of', note: '呼和浩特市郊区' }],
      },
      {
        code: '150103',
        name: '回民区',
        former: [{ name: '郊区', until: 2000, kind: 'part-of', note: '呼和浩特市郊区' }],
      },
      {
        code: '150104',
        name: '玉泉区',
        former: [{ name: '郊区', until: 2000, kind: 'part-of', note: '呼和浩特市郊区' }],
      },
      {
        code: '150105',
        name: '赛罕区',
        former: [
          { name: '郊区', until: 2000, kind: 'renamed', note: '呼和浩特市郊区' },
          { name: '新城区', until: 2000, kind: 'part-of', fromCode: '150102' },
        ],
      },
      { code: '150121', name: '土默特左旗' },
      { code: '150122', name: '托克托县' },
      { code: '150123', name: '和林格尔县', formerLeagues: [{ name: '乌兰察布盟', until: 1995 }] },
      { code: '150124', name: '清水河县', formerLeagues: [{ name: '乌兰察布盟', until: 1995 }] },
      { code: '150125', name: '武川县', formerLeagues: [{ name: '乌兰察布盟', until: 1996 }] },
    ],
  },
  {
    code: '150200',
    name: '包头市',
    counties: [
      { code: '150202', name: '东河区' },
      { code: '150203', name: '昆都仑区' },
      { code: '150204', name: '青山区' },
      { code: '150205', name: '石拐区', former: [{ name: '石拐矿区', until: 1999, kind: 'renamed' }] },
      {
        code: '150206',
        name: '白云鄂博矿区',
        // The MCA tables say 白云矿区 up to 2006-12 and 白云鄂博矿区 from 2007-12.
        former: [{ name: '白云矿区', until: 2007, kind: 'renamed' }],
      },
      { code: '150207', name: '九原区', former: [{ name: '郊区', until: 1999, kind: 'renamed', note: '包头市郊区' }] },
      { code: '150221', name: '土默特右旗' },
      { code: '150222', name: '固阳县' },
      { code: '150223', name: '达尔罕茂明安联合旗', formerLeagues: [{ name: '乌兰察布盟', until: 1996 }] },
    ],
  },
  {
    code: '150300',
    name: '乌海市',
    counties: [
      { code: '150302', name: '海勃湾区' },
      { code: '150303', name: '海南区' },
      { code: '150304', name: '乌达区' },
    ],
  },
  {
    code: '150400',
    name: '赤峰市',
    former: [{ name: '昭乌达盟', until: 1983, kind: 'renamed' }],
    aliases: ['昭盟'],
    counties: [
      { code: '150402', name: '红山区', former: [{ name: '赤峰市', until: 1983, kind: 'renamed', note: '县级赤峰市' }] },
      { code: '150403', name: '元宝山区' },
      {
        code: '150404',
        name: '松山区',
        former: [
          { name: '郊区', until: 1993, kind: 'renamed', note: '赤峰市郊区' },
          { name: '赤峰县', until: 1983, kind: 'renamed' },
        ],
      },
      { code: '150421', name: '阿鲁科尔沁旗' },
      { code: '150422', name: '巴林左旗' },
      { code: '150423', name: '巴林右旗' },
      { code: '150424', name: '林西县' },
      { code: '150425', name: '克什克腾旗' },
      { code: '150426', name: '翁牛特旗' },
      { code: '150428', name: '喀喇沁旗' },
      { code: '150429', name: '宁城县' },
      { code: '150430', name: '敖汉旗' },
    ],
  },
  {
    code: '150500',
    name: '通辽市',
    former: [{ name: '哲里木盟', until: 1999, kind: 'renamed' }],
    aliases: ['哲盟'],
    counties: [
      {
        code: '150502',
        name: '科尔沁区',
        former: [
          { name: '通辽市', until: 1999, kind: 'renamed', note: '县级通辽市' },
          { name: '通辽县', until: 1986, kind: 'merged', note: 'merged into 县级通辽市' },
        ],
      },
      { code: '150521', name: '科尔沁左翼中旗' },
      { code: '150522', name: '科尔沁左翼后旗' },
      { code: '150523', name: '开鲁县' },
      { code: '150524', name: '库伦旗' },
      { code: '150525', name: '奈曼旗' },
      { code: '150526', name: '扎鲁特旗' },
      {
        code: '150581',
        name: '霍林郭勒市',
        former: [{ name: '扎鲁特旗', until: 1985, kind: 'part-of', fromCode: '150526' }],
      },
    ],
  },
  {
    code: '150600',
    name: '鄂尔多斯市',
    former: [{ name: '伊克昭盟', until: 2001, kind: 'renamed' }],
    aliases: ['伊盟'],
    counties: [
      {
        code: '150602',
        name: '东胜区',
        former: [
          { name: '东胜市', until: 2001, kind: 'renamed' },
          { name: '东胜县', until: 1983, kind: 'renamed' },
        ],
      },
      {
        code: '150603',
        name: '康巴什区',
        // 2016: formed from 东胜区's 哈巴格希, 青春山 and 滨河 subdistricts.
        former: [{ name: '东胜区', until: 2016, kind: 'part-of', fromCode: '150602' }],
      },
      { code: '150621', name: '达拉特旗' },
      { code: '150622', name: '准格尔旗' },
      { code: '150623', name: '鄂托克前旗' },
      { code: '150624', name: '鄂托克旗' },
      { code: '150625', name: '杭锦旗' },
      { code: '150626', name: '乌审旗' },
      { code: '150627', name: '伊金霍洛旗' },
    ],
  },
  {
    code: '150700',
    name: '呼伦贝尔市',
    former: [{ name: '呼伦贝尔盟', until: 2001, kind: 'renamed' }],
    aliases: ['呼盟'],
    counties: [
      { code: '150702', name: '海拉尔区', former: [{ name: '海拉尔市', until: 2001, kind: 'renamed' }] },
      {
        code: '150703',
        name: '扎赉诺尔区',
        former: [{ name: '满洲里市', until: 2013, kind: 'part-of', fromCode: '150781' }],
      },
      { code: '150721', name: '阿荣旗' },
      { code: '150722', name: '莫力达瓦达斡尔族自治旗' },
      { code: '150723', name: '鄂伦春自治旗' },
      { code: '150724', name: '鄂温克族自治旗' },
      { code: '150725', name: '陈巴尔虎旗' },
      { code: '150726', name: '新巴尔虎左旗' },
      { code: '150727', name: '新巴尔虎右旗' },
      { code: '150781', name: '满洲里市' },
      { code: '150782', name: '牙克石市', former: [{ name: '喜桂图旗', until: 1983, kind: 'renamed' }] },
      { code: '150783', name: '扎兰屯市', former: [{ name: '布特哈旗', until: 1983, kind: 'renamed' }] },
      { code: '150784', name: '额尔古纳市', former: [{ name: '额尔古纳右旗', until: 1994, kind: 'renamed' }] },
      { code: '150785', name: '根河市', former: [{ name: '额尔古纳左旗', until: 1994, kind: 'renamed' }] },
    ],
  },
  {
    code: '150800',
    name: '巴彦淖尔市',
    former: [{ name: '巴彦淖尔盟', until: 2003, kind: 'renamed' }],
    aliases: ['巴盟'],
    counties: [
      {
        code: '150802',
        name: '临河区',
        former: [
          { name: '临河市', until: 2003, kind: 'renamed', note: 'approved 2003-12; offices opened 2004' },
          { name: '临河县', until: 1984, kind: 'renamed' },
        ],
      },
      { code: '150821', name: '五原县' },
      { code: '150822', name: '磴口县' },
      { code: '150823', name: '乌拉特前旗' },
      { code: '150824', name: '乌拉特中旗' },
      { code: '150825', name: '乌拉特后旗' },
      { code: '150826', name: '杭锦后旗' },
    ],
  },
  {
    code: '150900',
    name: '乌兰察布市',
    former: [{ name: '乌兰察布盟', until: 2003, kind: 'renamed' }],
    aliases: ['乌盟'],
    counties: [
      {
        code: '150902',
        name: '集宁区',
        former: [{ name: '集宁市', until: 2003, kind: 'renamed', note: '国函〔2003〕122号' }],
      },
      { code: '150921', name: '卓资县' },
      { code: '150922', name: '化德县' },
      { code: '150923', name: '商都县' },
      { code: '150924', name: '兴和县' },
      { code: '150925', name: '凉城县' },
      { code: '150926', name: '察哈尔右翼前旗' },
      { code: '150927', name: '察哈尔右翼中旗' },
      { code: '150928', name: '察哈尔右翼后旗' },
      { code: '150929', name: '四子王旗' },
      { code: '150981', name: '丰镇市', former: [{ name: '丰镇县', until: 1990, kind: 'renamed' }] },
    ],
  },
  {
    code: '152200',
    name: '兴安盟',
    counties: [
      { code: '152201', name: '乌兰浩特市' },
      {
        code: '152202',
        name: '阿尔山市',
        former: [{ name: '科尔沁右翼前旗', until: 1996, kind: 'part-of', fromCode: '152221' }],
      },
      { code: '152221', name: '科尔沁右翼前旗' },
      { code: '152222', name: '科尔沁右翼中旗' },
      { code: '152223', name: '扎赉特旗' },
      { code: '152224', name: '突泉县' },
    ],
  },
  {
    code: '152500',
    name: '锡林郭勒盟',
    aliases: ['锡盟'],
    counties: [
      { code: '152501', name: '二连浩特市' },
      { code: '152502', name: '锡林浩特市', former: [{ name: '阿巴哈纳尔旗', until: 1983, kind: 'renamed' }] },
      { code: '152522', name: '阿巴嘎旗' },
      { code: '152523', name: '苏尼特左旗' },
      { code: '152524', name: '苏尼特右旗' },
      { code: '152525', name: '东乌珠穆沁旗' },
      { code: '152526', name: '西乌珠穆沁旗' },
      { code: '152527', name: '太仆寺旗' },
      { code: '152528', name: '镶黄旗' },
      { code: '152529', name: '正镶白旗' },
      { code: '152530', name: '正蓝旗' },
      { code: '152531', name: '多伦县' },
    ],
  },
  {
    code: '152900',
    name: '阿拉善盟',
    aliases: ['阿盟'],
    counties: [
      { code: '152921', name: '阿拉善左旗' },
      { code: '152922', name: '阿拉善右旗' },
      { code: '152923', name: '额济纳旗' },
    ],
  },
];
