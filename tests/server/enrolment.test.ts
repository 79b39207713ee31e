import { afterEach, beforeEach, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EnrolResponse, type PushResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import { createEnrolmentCode } from '../../src/server/county/administration';
import { describeOnEachDatabase } from './helpers';
import { ADMIN, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';

describeOnEachDatabase('enrolment', (kind) => {

  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'enrol');
  });
  afterEach(async () => {
    await s.close();
  });

  const redeem = (code: string, deviceId: string) =>
    s.app.inject({ method: 'POST', url: '/api/enrol', payload: { protocol: PROTOCOL_VERSION, appVersion: 'test', code, deviceId } });

  it('a code redeems once for a credential bound to its township; neither code nor credential is stored in clear', async () => {
    const issued = bodyOf<{ code: string; expiresAt: string }>(await s.admin('POST', '/api/admin/enrolment-codes', { townshipCode: TOWNSHIP.code, hours: 24 }));
    expect(issued.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const tablet = new TabletSim();
    // Typed loosely: lower case, no dashes.
    const res = await redeem(issued.code.replaceAll('-', '').toLowerCase(), tablet.deviceId);
    expect(res.statusCode).toBe(200);
    const enrolled = bodyOf<EnrolResponse>(res);
    expect(enrolled).toMatchObject({ deviceId: tablet.deviceId, township: TOWNSHIP });

    const again = await redeem(issued.code, new TabletSim().deviceId);
    expect(again.statusCode).toBe(410);
    expect(bodyOf<SyncErrorBody>(again).error.code).toBe('enrolment-code-used');

    const codes = await s.app.county.db.selectFrom('enrolment_codes').selectAll().execute();
    const devices = await s.app.county.db.selectFrom('devices').selectAll().execute();
    const stored = JSON.stringify([codes, devices]);
    expect(stored).not.toContain(issued.code.replaceAll('-', ''));
    expect(stored).not.toContain(enrolled.credential);
    expect(devices).toEqual([expect.objectContaining({ device_id: tablet.deviceId, township_code: TOWNSHIP.code, last_seq: 0 })]);

    tablet.create(1);
    expect((await s.push(tablet, enrolled.credential)).statusCode).toBe(200);
  });

  it('an expired code is refused as enrolment-code-expired, an unknown one as enrolment-code-invalid', async () => {
    const { code } = await createEnrolmentCode(s.app.county, { townshipCode: TOWNSHIP.code, hours: 1 }, ADMIN.username);
    s.clock.advance(60 * 60_000 + 1);
    const expired = await redeem(code, new TabletSim().deviceId);
    expect(expired.statusCode).toBe(410);
    expect(bodyOf<SyncErrorBody>(expired).error.code).toBe('enrolment-code-expired');
    const unknown = await redeem('AAAA-BBBB-CCCC', new TabletSim().deviceId);
    expect(unknown.statusCode).toBe(403);
    expect(bodyOf<SyncErrorBody>(unknown).error.code).toBe('enrolment-code-invalid');
    expect(await s.app.county.db.selectFrom('devices').selectAll().execute()).toEqual([]);
  });

  it('a code for a township that does not exist cannot be made', async () => {
    const res = await s.admin('POST', '/api/admin/enrolment-codes', { townshipCode: '150102099' });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error.problems).toEqual([expect.objectContaining({ path: 'townshipCode' })]);
  });

  it('a revoked device is refused with device-revoked and a clear message; enrolled again with a new code, it continues its sequence', async () => {
    const tablet = new TabletSim();
    const credential = await s.county.enrol(tablet);
    tablet.create(1);
    const first = bodyOf<PushResponse>(await s.push(tablet, credential));
    await tablet.acknowledge(first.ackedThroughSeq);

    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`)).statusCode).toBe(200);
    tablet.create(2);
    const refused = await s.push(tablet, credential);
    expect(refused.statusCode).toBe(403);
    const err = bodyOf<SyncErrorBody>(refused).error;
    expect(err.code).toBe('device-revoked');
    expect(err.message).toMatch(/revoked by the county administrator.*unsynced cases stay on the device/);
    const pull = await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: 1, deviceId: tablet.deviceId, cursor: null });
    expect(bodyOf<SyncErrorBody>(pull).error.code).toBe('device-revoked');
    expect(tablet.outbox).toHaveLength(1);

    const devices = bodyOf<{ devices: { deviceId: string; revokedAt: string | null }[] }>(await s.admin('GET', '/api/admin/devices')).devices;
    expect(devices.find((d) => d.deviceId === tablet.deviceId)?.revokedAt).toBe(s.clock.now.toISOString());

    // A live device cannot be enrolled twice; a revoked one can, with a new credential.
    const other = new TabletSim();
    await s.county.enrol(other);
    await expect(s.county.enrol(other)).rejects.toThrow(/device-already-enrolled/);
    const renewed = await s.county.enrol(tablet);
    expect(renewed).not.toBe(credential);
    expect(bodyOf<SyncErrorBody>(await s.push(tablet, credential)).error.code).toBe('unauthenticated');
    const resumed = bodyOf<PushResponse>(await s.push(tablet, renewed));
    expect(resumed.results.map((r) => [r.seq, r.outcome])).toEqual([[2, 'applied']]);
  });

  it('keeps every revocation — who, when, why — when the device is enrolled again, and revoking twice records it once', async () => {
    const tablet = new TabletSim();
    await s.county.enrol(tablet);
    const firstAt = s.clock.now.toISOString();
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '平板丢失' })).statusCode).toBe(200);
    s.clock.advance(60_000);
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '又点了一次' })).statusCode).toBe(200);
    s.clock.advance(3_600_000);
    const backAt = s.clock.now.toISOString();
    await s.county.enrol(tablet);
    s.clock.advance(60_000);
    const secondAt = s.clock.now.toISOString();
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`)).statusCode).toBe(200);

    const devices = bodyOf<{ devices: { deviceId: string; revokedAt: string | null; revocations: unknown[] }[] }>(await s.admin('GET', '/api/admin/devices')).devices;
    const device = devices.find((d) => d.deviceId === tablet.deviceId)!;
    expect(device.revokedAt).toBe(secondAt);
    expect(device.revocations).toEqual([
      { revokedAt: firstAt, revokedBy: ADMIN.username, reason: '平板丢失', reenrolledAt: backAt },
      { revokedAt: secondAt, revokedBy: ADMIN.username, reason: '', reenrolledAt: null },
    ]);
    const tooLong = await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '长'.repeat(501) });
    expect(tooLong.statusCode).toBe(422);
  });
});
