// The 同步 screen and the header badge, driven by a sync service whose state the test sets.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncScreen, SyncStatusBadge, publishTabletSync } from '../../../src/features/sync';
import type { TabletSync, TabletSyncState } from '../../../src/sync/tablet-sync';

const ENROLMENT = { serverUrl: 'https://county.example', credential: 'dev_x', township: { code: '150102001', name: '海拉尔路街道' }, enrolledAt: '2024-05-01T08:00:00.000Z', revokedAt: null };

function fakeService(initial: Partial<TabletSyncState>) {
  let state: TabletSyncState = {
    loaded: true,
    enrolment: null,
    revoked: false,
    running: false,
    pending: 0,
    progress: null,
    lastSuccessAt: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    updateRequired: false,
    clockSkewMs: null,
    ...initial,
  };
  const listeners = new Set<() => void>();
  const service: TabletSync & { set(p: Partial<TabletSyncState>): void } = {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    start: vi.fn(async () => {}),
    stop: vi.fn(),
    syncNow: vi.fn(async () => ({ status: 'offline' as const })),
    enrol: vi.fn(async () => ({ ok: false as const, code: 'enrolment-code-used', message: 'used' })),
    set(p) {
      state = { ...state, ...p };
      for (const l of listeners) l();
    },
  };
  publishTabletSync(service);
  return service;
}

afterEach(() => {
  cleanup();
  publishTabletSync(null);
});

describe('the sync screen', () => {
  it('asks a tablet not enrolled for the server address and the enrolment code, and explains a refusal', async () => {
    const s = fakeService({});
    render(<SyncScreen />);
    fireEvent.change(screen.getByLabelText('县局服务器地址'), { target: { value: 'https://county.example' } });
    fireEvent.change(screen.getByLabelText('注册码'), { target: { value: 'ABCD-EFGH' } });
    fireEvent.click(screen.getByRole('button', { name: '注册本设备' }));
    expect((await screen.findByRole('alert')).textContent).toContain('已被使用');
    expect(s.enrol).toHaveBeenCalledWith('https://county.example', 'ABCD-EFGH');
  });

  it('shows the township, pending count, last success, and a 日终同步 button with a progress bar while running', async () => {
    const s = fakeService({ enrolment: ENROLMENT, pending: 7, lastSuccessAt: null });
    render(<SyncScreen />);
    expect(screen.getByTestId('sync-township').textContent).toBe('海拉尔路街道');
    expect(screen.getByTestId('sync-pending').textContent).toBe('7');
    expect(screen.getByTestId('sync-last-success').textContent).toBe('从未');
    fireEvent.click(screen.getByRole('button', { name: '日终同步' }));
    expect(s.syncNow).toHaveBeenCalledTimes(1);
    act(() => s.set({ running: true, progress: { sent: 3, total: 7, retries: 1 } }));
    expect(screen.getByTestId('sync-progress').textContent).toContain('已发送 3 / 7 条');
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(3);
    expect((screen.getByTestId('sync-now') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says 请更新应用 on a version mismatch, and shows the clock notice', () => {
    fakeService({ enrolment: ENROLMENT, updateRequired: true, lastErrorCode: 'protocol-mismatch', clockSkewMs: -8 * 60_000 });
    render(<SyncScreen />);
    expect(screen.getByTestId('update-required').textContent).toContain('请更新应用');
    expect(screen.getByTestId('clock-skew').textContent).toContain('慢约8分钟');
  });

  it('a revoked tablet says so, with its unsynced count, and offers to enrol again', () => {
    fakeService({ enrolment: { ...ENROLMENT, revokedAt: '2024-05-02T08:00:00.000Z' }, revoked: true, pending: 4 });
    render(<SyncScreen />);
    expect(screen.getByTestId('device-revoked').textContent).toContain('本设备已被县局停用，未同步的记录仍保存在本机');
    expect(screen.getByTestId('device-revoked').textContent).toContain('4 条');
    expect(screen.getByRole('button', { name: '重新注册本设备' })).toBeDefined();
  });
});

describe('the header badge', () => {
  it('always shows the pending count and the last successful sync, following the service', async () => {
    const s = fakeService({ enrolment: ENROLMENT, pending: 2 });
    render(<SyncStatusBadge href="#/sync" />);
    expect(screen.getByTestId('pending-count').textContent).toBe('2');
    act(() => s.set({ pending: 0, lastSuccessAt: new Date().toISOString() }));
    await waitFor(() => expect(screen.getByTestId('pending-count').textContent).toBe('0'));
    expect(screen.getByTestId('last-sync').textContent).toMatch(/^今天 \d\d:\d\d$/);
    act(() => s.set({ revoked: true }));
    expect(screen.getByTestId('sync-badge').textContent).toContain('已停用');
  });
});

describe('cases needing attention on the sync screen', () => {
  it('lists the cases the county sent back, with what to correct, linking to each', async () => {
    const { freshDb, caseFacts, registration } = await import('../../storage/support');
    const { createCasesRepository } = await import('../../../src/storage');
    const db = await freshDb();
    try {
      const cases = createCasesRepository(db);
      const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
      await db.outbox.clear();
      await cases.applyPushResults([{ seq: 1, mutationId: '00000000-0000-4000-8000-000000000000', caseId: a.id, outcome: 'applied', serverRevision: 1, conflict: false, possibleDuplicate: false, figuresDiffer: false }]);
      await cases.applyCaseUpdates([
        { caseId: a.id, caseNumber: a.caseNumber, serverRevision: 2, status: 'registered', countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号', conflict: false, facts: a.facts, registration: a.registration, at: '2024-05-02T09:00:00.000Z' },
      ]);
      fakeService({ enrolment: ENROLMENT });
      render(<SyncScreen cases={cases} />);
      const item = await screen.findByTestId('attention-item');
      expect(item.textContent).toContain('县局退回补正：请补充退役证编号');
      expect(item.querySelector('a')?.getAttribute('href')).toBe(`#/cases/${a.id}`);
    } finally {
      db.close();
    }
  });
});
