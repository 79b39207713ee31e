// The devices list raises the tablets the server finds not synced for too long (STALE_DEVICE_DAYS).
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminApi, DeviceItem } from '../../../src/features/county/api';
import { DevicesPanel } from '../../../src/features/county/devices/DevicesPanel';

afterEach(cleanup);

function device(deviceId: string, over: Partial<DeviceItem>): DeviceItem {
  return { deviceId, townshipCode: '150102001', enrolledAt: '2024-04-01T08:00:00.000Z', revokedAt: null, lastSeq: 3, lastSeenAt: '2024-05-01T08:00:00.000Z', stale: false, appVersion: '1.0.0', revocations: [], ...over };
}

function apiWith(devices: DeviceItem[]): AdminApi {
  return {
    townships: () => Promise.resolve([{ code: '150102001', name: '海拉尔路街道' }]),
    devices: () => Promise.resolve(devices),
  } as unknown as AdminApi;
}

describe('the stale tablets on the devices list', () => {
  it('lists each tablet not synced for too long, with its township and last sync, and no other', async () => {
    render(<DevicesPanel api={apiWith([device('K7Q2MX3B', { stale: true }), device('ABCD2345', {}), device('NEVER234', { stale: true, lastSeenAt: null })])} onSignedOut={() => undefined} />);
    const alert = await screen.findByTestId('stale-devices');
    expect(alert.textContent).toContain('以下 2 台平板已超过规定天数未同步');
    const items = within(alert).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-device-id'))).toEqual(['K7Q2MX3B', 'NEVER234']);
    expect(items[1]!.textContent).toContain('从未同步');
    await waitFor(() => expect(items[0]!.textContent).toContain('（海拉尔路街道）'));
  });

  it('shows no alert when every tablet has synced in time', async () => {
    render(<DevicesPanel api={apiWith([device('ABCD2345', {})])} onSignedOut={() => undefined} />);
    await screen.findByText('ABCD2345');
    expect(screen.queryByTestId('stale-devices')).toBeNull();
  });
});
