import { useId, useSyncExternalStore } from 'react';
import type { ServiceWorkerUpdater } from './sw-registration';
import { useHasUnsavedInput } from './unsaved-input';

export const UNSAVED_NOTE = '请先保存或放弃正在填写的内容';

/**
 * Offers a waiting new version (更新) and reports service-worker trouble. The reload it triggers
 * is always the clerk's own click, and the button is disabled while any form is dirty.
 */
export function UpdateBanner({ updater }: { updater: ServiceWorkerUpdater }) {
  const state = useSyncExternalStore(updater.subscribe, updater.getState, updater.getState);
  const dirty = useHasUnsavedInput();
  const noteId = useId();

  switch (state.status) {
    case 'update-waiting':
    case 'updating': {
      const updating = state.status === 'updating';
      return (
        <section className="banner banner-update" aria-label="版本更新">
          <p className="banner-text">有新版本可用。更新后页面将重新载入，已保存的记录不受影响。</p>
          {dirty && !updating && (
            <p className="banner-note" id={noteId}>
              {UNSAVED_NOTE}
            </p>
          )}
          <button
            type="button"
            className="button button-primary"
            disabled={dirty || updating}
            aria-describedby={dirty && !updating ? noteId : undefined}
            onClick={() => updater.applyUpdate()}
          >
            {updating ? '正在更新…' : '更新'}
          </button>
        </section>
      );
    }
    case 'reload-needed':
      return (
        <section className="banner banner-update" aria-label="版本更新">
          <p className="banner-text">新版本已在本机启用，重新载入后即可使用。</p>
          {dirty && (
            <p className="banner-note" id={noteId}>
              {UNSAVED_NOTE}
            </p>
          )}
          <button
            type="button"
            className="button button-primary"
            disabled={dirty}
            aria-describedby={dirty ? noteId : undefined}
            onClick={() => updater.reloadNow()}
          >
            重新载入
          </button>
        </section>
      );
    case 'error':
      return (
        <section className="banner banner-warning" aria-label="离线功能">
          <p className="banner-text">离线功能未能启用，断网后本页将无法打开。请联系县局技术人员。</p>
          {state.error && (
            <details className="banner-detail">
              <summary>技术信息</summary>
              <code>{state.error}</code>
            </details>
          )}
        </section>
      );
    case 'unsupported':
      return (
        <section className="banner banner-warning" aria-label="离线功能">
          <p className="banner-text">此浏览器或此网址不支持离线使用（须通过 HTTPS 访问）。断网后本页将无法打开。</p>
        </section>
      );
    case 'registering':
    case 'ready':
      return null;
  }
}
