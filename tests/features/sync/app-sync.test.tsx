// The app wires the sync service: the header badge on every screen, the 同步 route, the county route.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/App';
import { parseRoute, paths } from '../../../src/app/router';
import { createServiceWorkerUpdater } from '../../../src/app/sw-registration';

const updater = () => createServiceWorkerUpdater({ skipWaiting: vi.fn(), reload: vi.fn(), initiallyControlled: true });

beforeEach(() => {
  vi.stubGlobal('__APP_VERSION__', '9.8.7+test');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('sync in the app', () => {
  it('routes #/sync and #/county', () => {
    expect(parseRoute('#/sync')).toEqual({ name: 'sync' });
    expect(parseRoute('#/county')).toEqual({ name: 'county' });
    expect(paths.sync()).toBe('#/sync');
    expect(parseRoute('#/sync/x')).toMatchObject({ name: 'not-found' });
  });

  it('shows the pending count and last sync in the header, and the enrolment form on 同步 for a new tablet', async () => {
    window.location.hash = '#/sync';
    render(<App updater={updater()} />);
    expect(await screen.findByTestId('enrol-form')).toBeDefined();
    await waitFor(() => expect(screen.getByTestId('pending-count').textContent).toBe('0'));
    expect(screen.getByTestId('sync-badge').textContent).toContain('未注册');
    expect(screen.getByTestId('last-sync').textContent).toBe('从未');
    // Not enrolled: the clerk still picks his name as before.
    expect(await screen.findByTestId('shift-bar')).toBeDefined();
  });

  it('the county page asks the server for a sign-in and opens no device records', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in' } }), { status: 401 })));
    window.location.hash = '#/county';
    render(<App updater={updater()} />);
    expect(await screen.findByTestId('county-login')).toBeDefined();
    expect(screen.queryByTestId('shift-bar')).toBeNull();
    expect(screen.queryByTestId('sync-badge')).toBeNull();
  });
});
