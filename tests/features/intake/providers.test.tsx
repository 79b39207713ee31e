import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoriesProvider, useClerk, useRepositories } from '../../../src/app/providers';
import { parseRoute, routePath } from '../../../src/app/router';
import { LATEST_SCHEMA_VERSION } from '../../../src/storage';
import { freshName } from '../../storage/support';
import { closeDevices, field, freshDevice, renderIntake } from './support';

afterEach(() => {
  cleanup();
  closeDevices();
});

function rawOpen(name: string, version: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function Probe() {
  const { deviceId } = useRepositories();
  const { clerk } = useClerk();
  return (
    <p data-testid="probe">
      {deviceId}/{clerk ?? '-'}
    </p>
  );
}

describe('the repositories provider', () => {
  it('opens the device database once and gives the screens its repositories, device id and clerk', async () => {
    const device = await freshDevice({ clerk: '王丽' });
    render(
      <RepositoriesProvider dbName={device.dbName}>
        <Probe />
        <Probe />
      </RepositoriesProvider>,
    );
    const stored = ((await device.db.meta.get('device'))?.value as { deviceId: string }).deviceId;
    await waitFor(() => expect(screen.getAllByTestId('probe').map((p) => p.textContent)).toEqual([`${stored}/王丽`, `${stored}/王丽`]));
  });

  it('refuses, in Chinese, a database written by a newer app, and leaves it untouched', async () => {
    const name = freshName();
    // IndexedDB sees Dexie's version ×10: a later schema than this app knows.
    const newer = await rawOpen(name, (LATEST_SCHEMA_VERSION + 1) * 10, (db) => db.createObjectStore('future'));
    newer.close();
    render(
      <RepositoriesProvider dbName={name}>
        <Probe />
      </RepositoriesProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('本机记录由更新版本的应用写入，当前版本无法打开');
    expect(alert.textContent).toContain('不能打开');
    expect(screen.queryByTestId('probe')).toBeNull();
    const again = await rawOpen(name, (LATEST_SCHEMA_VERSION + 1) * 10);
    expect([...again.objectStoreNames]).toEqual(['future']);
    again.close();
  });

  it('asks for a reload when another tab upgrades the database, and keeps saving drafts meanwhile', async () => {
    const device = await freshDevice();
    await renderIntake(device);
    device.db.close();
    // Another tab with a newer app opens the database at a higher version.
    // (It stays blocked: this tab keeps its connection until the clerk reloads.)
    indexedDB.open(device.dbName, (LATEST_SCHEMA_VERSION + 1) * 10);
    const banner = await screen.findByRole('button', { name: /重新载入/ });
    expect(banner.closest('section')?.textContent).toContain('另一个窗口已启用新版本');
    // The connection stayed open: what the clerk types is still saved.
    fireEvent.change(field('registration.name'), { target: { value: '张三' } });
    await waitFor(() => expect(screen.getByTestId('draft-status').dataset.state).toBe('saved'), { timeout: 3000 });
  });
});

describe('the router', () => {
  it('reads every screen’s address and writes it back the same', () => {
    const routes = ['#/intake', '#/intake/abc-123', '#/cases', '#/cases/abc-123', '#/cases/abc-123/print/form', '#/cases/abc-123/print/receipt'];
    for (const hash of routes) expect(routePath(parseRoute(hash))).toBe(hash);
    expect(parseRoute('')).toEqual({ name: 'intake', caseId: null });
    expect(parseRoute('#/')).toEqual({ name: 'intake', caseId: null });
    expect(parseRoute('#/cases/x/print/letter')).toEqual({ name: 'not-found', path: '/cases/x/print/letter' });
    expect(parseRoute('#/intake/a/b')).toEqual({ name: 'not-found', path: '/intake/a/b' });
  });
});
