// 同步: the tablet's enrolment (server address + enrolment code), the 日终同步 button with a
// progress bar and counts, and what stopped the last sync (请更新应用, a revoked tablet, the clock).
import { useId, useState, type FormEvent } from 'react';
import { clockSkewZh, DEVICE_REVOKED_ZH, syncErrorZh, UPDATE_APP_ZH } from '../../sync/messages';
import type { CasesRepository } from '../../storage';
import type { TabletSync, TabletSyncState } from '../../sync/tablet-sync';
import { AttentionList } from './AttentionList';
import { syncTimeZh } from './format';
import { currentTabletSync, useTabletSyncState } from './store';
import './sync.css';

export function SyncScreen({ service: given, cases }: { service?: TabletSync; cases?: CasesRepository }) {
  const state = useTabletSyncState();
  const service = given ?? currentTabletSync();
  if (!state || !service || !state.loaded) {
    return (
      <p className="opening" role="status">
        正在读取同步状态…
      </p>
    );
  }
  return (
    <section className="panel sync-screen" aria-labelledby="sync-title" data-testid="sync-screen">
      <h2 id="sync-title">同步到县局</h2>
      {state.enrolment && !state.revoked ? <SyncPanel state={state} service={service} /> : <EnrolForm service={service} revoked={state.revoked} pending={state.pending} />}
      {cases && <AttentionList cases={cases} caseHref={(id) => `#/cases/${encodeURIComponent(id)}`} />}
    </section>
  );
}

function SyncPanel({ state, service }: { state: TabletSyncState; service: TabletSync }) {
  const e = state.enrolment!;
  const progress = state.progress;
  const errorCode = state.lastErrorCode;
  return (
    <>
      {state.updateRequired && (
        <p className="banner banner-warning" role="alert" data-testid="update-required">
          {UPDATE_APP_ZH}
        </p>
      )}
      <dl className="sync-facts">
        <dt>乡镇（街道）</dt>
        <dd data-testid="sync-township">{e.township.name}</dd>
        <dt>县局服务器</dt>
        <dd>
          <code>{e.serverUrl}</code>
        </dd>
        <dt>待同步</dt>
        <dd>
          <strong data-testid="sync-pending">{state.pending}</strong> 条修改
        </dd>
        <dt>上次成功同步</dt>
        <dd data-testid="sync-last-success">{syncTimeZh(state.lastSuccessAt)}</dd>
      </dl>
      {progress && (
        <div className="sync-running" role="status" data-testid="sync-progress">
          <progress className="sync-progress" max={Math.max(progress.total, 1)} value={progress.sent} aria-label="同步进度" />
          <p>
            已发送 {progress.sent} / {progress.total} 条{progress.retries > 0 ? `（网络不稳，已重试${progress.retries}次）` : ''}
          </p>
        </div>
      )}
      {!state.running && errorCode && !state.updateRequired && (
        <p className="field-error" role="alert" data-testid="sync-error">
          {syncErrorZh(errorCode)}
        </p>
      )}
      {state.clockSkewMs !== null && (
        <p className="banner banner-warning" role="alert" data-testid="clock-skew">
          {clockSkewZh(state.clockSkewMs)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button-primary sync-button-big" disabled={state.running} onClick={() => void service.syncNow()} data-testid="sync-now">
          {state.running ? '正在同步…' : '日终同步'}
        </button>
      </div>
      <p className="empty-hint">联网时每隔几分钟、恢复联网时和打开应用时也会自动同步。记录在县局确认收到之前一直保存在本机。</p>
    </>
  );
}

export function EnrolForm({ service, revoked, pending }: { service: TabletSync; revoked: boolean; pending: number }) {
  const id = useId();
  const [serverUrl, setServerUrl] = useState(() => (typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : ''));
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (serverUrl.trim() === '' || code.trim() === '') {
      setError('请填写县局服务器地址和注册码。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await service.enrol(serverUrl, code);
      if (!r.ok) setError(r.code === 'invalid-server-url' ? '服务器地址不正确，应形如 https://192.168.1.20:8443' : syncErrorZh(r.code, r));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sync-form" onSubmit={(e) => void submit(e)} data-testid="enrol-form">
      {revoked ? (
        <p className="banner banner-warning" role="alert" data-testid="device-revoked">
          {DEVICE_REVOKED_ZH}（本机未同步：{pending} 条）
        </p>
      ) : (
        <p>本设备尚未在县局注册。请输入县局提供的服务器地址和一次性注册码（县局管理页面上以文字和二维码显示）。</p>
      )}
      <label htmlFor={`${id}-url`} className="field-label">
        县局服务器地址
      </label>
      <input id={`${id}-url`} type="url" inputMode="url" autoCapitalize="none" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} />
      <label htmlFor={`${id}-code`} className="field-label">
        注册码
      </label>
      <input id={`${id}-code`} type="text" autoCapitalize="characters" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在注册…' : revoked ? '重新注册本设备' : '注册本设备'}
        </button>
      </div>
    </form>
  );
}
