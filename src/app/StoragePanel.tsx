import { useState } from 'react';

type StorageReport =
  | { kind: 'unsupported' }
  | { kind: 'failed'; message: string }
  | { kind: 'ok'; usage: number; quota: number; persisted: boolean; persistRefused: boolean };

/** Bytes in the units a clerk reads: 1.2 MB, 10.5 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

async function readStorage(): Promise<StorageReport> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.estimate) return { kind: 'unsupported' };
  const { usage = 0, quota = 0 } = await storage.estimate();
  const persisted = storage.persisted ? await storage.persisted() : false;
  return { kind: 'ok', usage, quota, persisted, persistRefused: false };
}

/**
 * Records live on the tablet until they are synced, so the clerk must be able to see that the
 * browser keeps them: space used and free, and whether storage is persistent (not evicted when
 * the device runs short of space).
 */
export function StoragePanel() {
  const [report, setReport] = useState<StorageReport | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<StorageReport>) => {
    setBusy(true);
    try {
      setReport(await action());
    } catch (error) {
      setReport({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const requestPersistence = () =>
    run(async () => {
      const granted = await navigator.storage.persist();
      const next = await readStorage();
      return next.kind === 'ok' ? { ...next, persisted: granted || next.persisted, persistRefused: !granted } : next;
    });

  return (
    <section className="panel" aria-labelledby="storage-title">
      <h2 id="storage-title">本机存储</h2>
      <p>受理记录在同步到县局之前只保存在本机。请确认浏览器已为本应用开启长期保存。</p>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => void run(readStorage)}>
          检查本机存储
        </button>
        {report?.kind === 'ok' && !report.persisted && (
          <button type="button" className="button" disabled={busy} onClick={() => void requestPersistence()}>
            申请长期保存
          </button>
        )}
      </div>
      <div className="storage-report" aria-live="polite" data-testid="storage-report">
        {report?.kind === 'unsupported' && <p>此浏览器无法查询本机存储。</p>}
        {report?.kind === 'failed' && <p>查询本机存储失败：{report.message}</p>}
        {report?.kind === 'ok' && (
          <>
            <p>
              已用 {formatBytes(report.usage)}，可用约 {formatBytes(Math.max(0, report.quota - report.usage))}。
            </p>
            <p>
              长期保存：{report.persisted ? '已开启' : '未开启（本机空间不足时，浏览器可能清除未同步的记录）'}
            </p>
            {report.persistRefused && <p>浏览器未同意长期保存。请将本应用安装到主屏幕后再试。</p>}
          </>
        )}
      </div>
    </section>
  );
}
