// The app wires the sync service: the header badge on every screen, the 同步 route, the county route.
import { cleanup, render, screen } from '@testing-library/react';
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

  it('a new tablet starts locked: the lock screen offers its first clerk and the enrolment, the header no count', async () => {
    window.location.hash = '#/sync';
    render(<App updater={updater()} />);
    expect(await screen.findByTestId('enrol-form', undefined, { timeout: 10_000 })).toBeDefined();
    expect(screen.getByTestId('add-local-clerk')).toBeDefined();
    expect(screen.queryByTestId('sync-badge')).toBeNull();
    expect(screen.queryByTestId('shift-bar')).toBeNull();
    expect(screen.queryByRole('navigation', { name: '主要功能' })).toBeNull();
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
