// 注册码与设备: one-time enrolment codes (text and QR) for a township's tablet, and the enrolled devices.
import { useCallback, useEffect, useId, useState } from 'react';
import { QrCode } from '../../print/QrCode';
import type { DeviceItem, IssuedCode } from '../api';
import type { PanelProps } from '../common/panel';
import { TownshipSelect, useTownships } from '../common/townships';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { when } from '../common/when';

/** Tablets in use that have not synced for longer than the server allows (STALE_DEVICE_DAYS): cases may wait on them. */
function StaleDevices({ devices, names }: { devices: DeviceItem[]; names: ReadonlyMap<string, string> }) {
  const stale = devices.filter((d) => d.stale);
  if (stale.length === 0) return null;
  return (
    <div className="county-alert" role="alert" data-testid="stale-devices">
      <p>以下 {stale.length} 台平板已超过规定天数未同步，其登记的案件可能尚未报到县局，请联系所在乡镇窗口：</p>
      <ul>
        {stale.map((d) => (
          <li key={d.deviceId} data-device-id={d.deviceId}>
            <code>{d.deviceId}</code>（{names.get(d.townshipCode) ?? d.townshipCode}），最近同步：{d.lastSeenAt === null ? '从未同步' : when(d.lastSeenAt)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DevicesPanel({ api, onSignedOut }: PanelProps) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships } = useTownships(api, run);
  const [township, setTownship] = useState('');
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [devices, setDevices] = useState<DeviceItem[]>([]);
  const reload = useCallback(() => {
    void run(() => api.devices()).then((d) => d && setDevices(d));
  }, [api, run]);
  useEffect(reload, [reload]);
  const names = new Map(townships.map((t) => [t.code, t.name]));

  return (
    <div className="county-panel">
      <h3>生成注册码</h3>
      <form
        className="county-form county-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.createEnrolmentCode(township)).then((c) => c && setIssued(c));
        }}
      >
        <label htmlFor={`${id}-t`} className="field-label">
          乡镇（街道）
        </label>
        <TownshipSelect id={`${id}-t`} townships={townships} value={township} onChange={setTownship} />
        <button type="submit" className="button button-primary" disabled={busy || township === ''}>
          生成注册码
        </button>
      </form>
      {issued && (
        <div className="county-code" data-testid="enrolment-code">
          <p>
            {issued.townshipName} 的一次性注册码（{when(issued.expiresAt)} 前有效，只显示这一次）：
          </p>
          <p className="county-code-text" data-testid="enrolment-code-text">
            {issued.code}
          </p>
          <QrCode text={issued.code} label={`注册码 ${issued.code} 的二维码`} />
          <p>在平板的“同步”页输入县局服务器地址 {typeof location !== 'undefined' ? location.origin : ''} 和上面的注册码。</p>
        </div>
      )}
      <h3>已注册设备</h3>
      <ErrorLine error={error} />
      <StaleDevices devices={devices} names={names} />
      <table className="county-table" data-testid="county-devices">
        <thead>
          <tr>
            <th>设备编号</th>
            <th>乡镇</th>
            <th>注册时间</th>
            <th>最近同步</th>
            <th>已收条数</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId} data-testid="county-device-row" data-device-id={d.deviceId}>
              <td>
                <code>{d.deviceId}</code>
              </td>
              <td>{names.get(d.townshipCode) ?? d.townshipCode}</td>
              <td>{when(d.enrolledAt)}</td>
              <td>{when(d.lastSeenAt)}</td>
              <td>{d.lastSeq}</td>
              <td>
                {d.revokedAt ? (
                  `已停用（${when(d.revokedAt)}）`
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`停用设备 ${d.deviceId}？停用后该设备不能再同步，未同步的记录仍留在设备上。`)) void run(() => api.revokeDevice(d.deviceId)).then(reload);
                    }}
                  >
                    停用
                  </button>
                )}
                {d.revocations.length > 0 && (
                  <ul className="revocations" data-testid="device-revocations" aria-label="停用记录">
                    {d.revocations.map((r) => (
                      <li key={r.revokedAt}>
                        {`${when(r.revokedAt)} 由 ${r.revokedBy} 停用${r.reason ? `（${r.reason}）` : ''}${r.reenrolledAt ? `，${when(r.reenrolledAt)} 重新登记` : ''}`}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
