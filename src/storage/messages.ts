// Chinese for the storage layer's codes, for the clerk. (The engine's codes have theirs in
// src/domain/messages.ts; storageMessageZh passes those through.)

import { isJiexuError, messageZh } from '../domain';
import { isStorageError, type StorageErrorCode, type StorageErrorDetails } from './errors';
import type { StorageReport, StorageWarning } from './persistence';

export function storageErrorZh(code: StorageErrorCode, details: StorageErrorDetails = {}): string {
  switch (code) {
    case 'database-newer-than-app':
      return `本机数据由更新版本的程序写入（数据版本${details.installedVersion ?? '未知'}，本程序只支持到${details.supportedVersion ?? '未知'}），为防止损坏数据，本程序不能打开。请联网刷新以更新程序，切勿清除浏览器数据。`;
    case 'database-upgrade-failed':
      return `本机数据升级（数据版本${details.installedVersion ?? '未知'}→${details.supportedVersion ?? '未知'}）失败，数据保持原样未受影响。请勿清除浏览器数据，并联系县局技术人员。`;
    case 'database-unavailable':
      return '无法打开本机数据库：请确认浏览器未处于无痕（隐私）模式、未禁止网站存储数据，且设备存储空间充足。';
    case 'case-not-found':
      return '本机找不到该案件。';
    case 'revision-conflict':
      return '该案件已在其他窗口或由同步修改，请重新打开案件，核对后再修改。';
    case 'case-withdrawn':
      return '该案件已撤回，不能再修改或撤回。';
    case 'invalid-clerk-name':
      return '请填写经办人姓名（不超过50个字）。';
    case 'invalid-draft':
      return '草稿无法保存，请联系县局技术人员。';
    case 'invalid-enrolment':
      return '注册信息不完整：请检查县局服务器地址（如 https://192.168.1.20:8443）和注册码。';
    case 'invalid-pin-verifier':
      return 'PIN 无法安全保存，请联系县局技术人员。';
  }
}

/** Chinese for any error a repository call may reject with (storage codes, engine codes, anything else). */
export function storageMessageZh(error: unknown): string {
  if (isStorageError(error)) return storageErrorZh(error.code, error.details);
  if (isJiexuError(error)) return messageZh(error.code, error.details);
  return '本机存储出错，刚才的操作未完成；已录入的内容仍在草稿中，请重试。';
}

export function storageWarningZh(warning: StorageWarning, report?: StorageReport): string {
  switch (warning) {
    case 'not-persistent':
      return '本机存储未设为长期保存：设备空间不足时，浏览器可能清除尚未同步到县局的案件。请将本应用添加到主屏幕、允许长期保存，并尽快同步。';
    case 'quota-nearly-full':
      return `本机存储空间即将用完（已用${report?.usageRatio != null ? `${Math.round(report.usageRatio * 100)}%` : '八成以上'}），请尽快同步到县局。`;
    case 'storage-unknown':
      return '此浏览器无法查询存储是否长期保存，请尽快同步到县局。';
  }
}
