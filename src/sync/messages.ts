// Chinese for the sync codes the clerk may see: the one place they are put into words.

import { UPDATE_REQUIRED_CODES, type TabletCaseRefusal } from '../shared/sync-protocol';

export const UPDATE_APP_ZH = '请更新应用：本应用与县局服务器的版本不一致，已暂停同步；未同步的记录仍保存在本机，更新后会继续同步。';
export const DEVICE_REVOKED_ZH = '本设备已被县局停用，未同步的记录仍保存在本机。请联系县局重新注册本设备。';

/** 约N分钟 / 约N小时: a wait the server gave in seconds, rounded up (the tablet's clock may be off, so never a time of day). */
export function waitZh(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 90) return `${minutes}分钟`;
  return `${Math.ceil(minutes / 60)}小时`;
}

/** Locked after repeated wrong passwords or enrolment codes; `retryAfterSeconds` from the server when it gave one. */
export function tooManyAttemptsZh(retryAfterSeconds: number | undefined): string {
  const when = retryAfterSeconds === undefined ? '请稍后再试' : `请${waitZh(retryAfterSeconds)}后再试`;
  return `输错次数过多，已暂时锁定：${when}。如需立即解锁，请联系县局管理员。`;
}

/** The clerk's explanation of a sync error code (`network` and `timeout` are the client's own). */
export function syncErrorZh(code: string, details: { retryAfterSeconds?: number } = {}): string {
  if (UPDATE_REQUIRED_CODES.has(code)) return UPDATE_APP_ZH;
  switch (code) {
    case 'too-many-attempts':
      return tooManyAttemptsZh(details.retryAfterSeconds);
    case 'device-revoked':
      return DEVICE_REVOKED_ZH;
    case 'not-enrolled':
      return '本设备尚未在县局注册，不能同步。请输入县局服务器地址和注册码。';
    case 'unauthenticated':
      return '县局服务器不认识本设备的凭证，请联系县局重新注册本设备。未同步的记录仍保存在本机。';
    case 'forbidden':
      return '县局服务器拒绝了本设备的请求（权限不符），请联系县局。未同步的记录仍保存在本机。';
    case 'sequence-gap':
    case 'invalid-batch':
    case 'invalid-request':
      return '县局服务器拒收了本机的数据，已暂停同步，记录仍保存在本机。请联系县局技术人员。';
    case 'enrolment-code-invalid':
      return '注册码无效：请核对后重新输入，或向县局索取新的注册码。';
    case 'enrolment-code-expired':
      return '注册码已过期，请向县局索取新的注册码。';
    case 'enrolment-code-used':
      return '该注册码已被使用（每个注册码只能注册一台设备），请向县局索取新的注册码。';
    case 'device-already-enrolled':
      return '本设备已注册。如需改注册到其他乡镇，请先由县局停用本设备。';
    case 'enrolment-proof-invalid':
      return '注册请求未能通过本机密钥校验，请重新打开应用后再试；如仍不行，请联系县局技术人员。';
    case 'enrolment-clock-wrong':
      return '本机日期或时间与县局服务器相差一天以上，无法注册：请校准本机日期和时间后重新注册。';
    case 'wrong-credentials':
      return '用户名或密码不正确。';
    case 'account-disabled':
      return '该经办人账号已被县局停用。';
    case 'local':
      return '本机存储出错，同步未完成；记录仍在本机，稍后会自动重试。如一直出现，请重新打开应用。';
    case 'offline':
      return '本机没有网络，联网后会自动同步；记录都保存在本机。';
    case 'timeout':
    case 'network':
      return '连接不上县局服务器，稍后会自动重试；记录都保存在本机。';
    default:
      return `同步未完成（${code}），稍后会自动重试；记录都保存在本机。`;
  }
}

/** 本机时间与县局服务器相差…: shown when the server says the device clock is off. */
export function clockSkewZh(skewMs: number): string {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  return `本机时间比县局服务器${skewMs > 0 ? '快' : '慢'}约${minutes}分钟，请校准本机日期和时间（登记时间以服务器接收时间为准）。`;
}

/** Why the county refused one case (its case number); the case stays on this tablet, unsent. */
export function caseRefusalZh(refusal: TabletCaseRefusal): string {
  switch (refusal) {
    case 'case-number-other-device':
      return '县局拒收：案件编号中的设备号不属于本机，案件仍保存在本机，请联系县局处理。';
    case 'case-number-other-county':
      return '县局拒收：案件编号中的旗县代码与本案安置地旗县不符，案件仍保存在本机，请联系县局处理。';
    case 'case-number-taken':
      return '县局拒收：该案件编号已被另一案件使用，案件仍保存在本机，请联系县局处理。';
    case 'case-locked-after-verification':
      return '县局已核查通过本案，不再接受平板上的修改；本机的修改仍保存在本机。如需更正，请联系县局退回补正后再修改。';
    default:
      // A reason added by a newer county server than this app.
      return `县局拒收本案（原因代码 ${refusal}），案件仍保存在本机。请更新应用或联系县局处理。`;
  }
}
