import { afterEach, beforeEach, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EnrolResponse, type PushResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import { createEnrolmentCode } from '../../src/server/county/administration';
import { DEVICE_ID_PATTERN } from '../../src/storage/ids';
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

  const redeem = async (tablet: TabletSim, code: string, over: Record<string, unknown> = {}) =>
    s.app.inject({ method: 'POST', url: '/api/enrol', payload: { ...(await tablet.enrolRequest(code, s.clock.now)), ...over } });
  const newCode = async () => (await createEnrolmentCode(s.app.county, { townshipCode: TOWNSHIP.code, hours: 24 }, ADMIN.username)).code;

  it('a code redeems once for a new device id bound to the tablet key; neither code nor credential is stored in clear', async () => {
    const issued = bodyOf<{ code: string; expiresAt: string }>(await s.admin('POST', '/api/admin/enrolment-codes', { townshipCode: TOWNSHIP.code, hours: 24 }));
    expect(issued.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const tablet = new TabletSim();
    const localId = tablet.deviceId;
    // Typed loosely: lower case, no dashes.
    const res = await redeem(tablet, issued.code.replaceAll('-', '').toLowerCase());
    expect(res.statusCode).toBe(200);
    const enrolled = bodyOf<EnrolResponse>(res);
    expect(enrolled).toMatchObject({ protocol: PROTOCOL_VERSION, township: TOWNSHIP });
    expect(enrolled.deviceId).toMatch(DEVICE_ID_PATTERN);
    expect(enrolled.deviceId).not.toBe(localId);

    const again = await redeem(new TabletSim(), issued.code);
    expect(again.statusCode).toBe(410);
    expect(bodyOf<SyncErrorBody>(again).error.code).toBe('enrolment-code-used');

    const codes = await s.app.county.db.selectFrom('enrolment_codes').selectAll().execute();
    const devices = await s.app.county.db.selectFrom('devices').selectAll().execute();
    const stored = JSON.stringify([codes, devices]);
    expect(stored).not.toContain(issued.code.replaceAll('-', ''));
    expect(stored).not.toContain(enrolled.credential);
    expect(devices).toEqual([expect.objectContaining({ device_id: enrolled.deviceId, local_device_id: localId, township_code: TOWNSHIP.code, last_seq: 0 })]);

    // Cases numbered before enrolment (the tablet's own id) and after (the server's) are both this tablet's.
    tablet.create(1);
    tablet.deviceId = enrolled.deviceId;
    tablet.create(2);
    const pushed = bodyOf<PushResponse>(await s.push(tablet, enrolled.credential));
    expect(pushed.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
  });

  it('the same tablet asking again with the same code gets the same device id and a new credential (the old one stops working); another key is refused', async () => {
    const code = await newCode();
    const tablet = new TabletSim(undefined, undefined, () => s.clock.now);
    const first = bodyOf<EnrolResponse>(await redeem(tablet, code));
    s.clock.advance(30_000);
    const retry = await redeem(tablet, code);
    expect(retry.statusCode).toBe(200);
    const second = bodyOf<EnrolResponse>(retry);
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.credential).not.toBe(first.credential);
    tablet.deviceId = second.deviceId;
    tablet.create(1);
    expect(bodyOf<SyncErrorBody>(await s.push(tablet, first.credential)).error.code).toBe('unauthenticated');
    expect((await s.push(tablet, second.credential)).statusCode).toBe(200);

    const thief = await redeem(new TabletSim(), code);
    expect(thief.statusCode).toBe(410);
    expect(bodyOf<SyncErrorBody>(thief).error.code).toBe('enrolment-code-used');
    expect(await s.app.county.db.selectFrom('devices').select('device_id').execute()).toEqual([{ device_id: first.deviceId }]);
  });

  it('a request not signed by the key it carries is refused as enrolment-proof-invalid, a clock a day off as enrolment-clock-wrong, and neither uses the code', async () => {
    const code = await newCode();
    const tablet = new TabletSim();
    const other = await new TabletSim().enrolRequest(code, s.clock.now);
    const forged = await redeem(tablet, code, { signature: other.signature });
    expect(forged.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(forged).error.code).toBe('enrolment-proof-invalid');
    // Signed over another code: the proof does not carry over.
    const moved = await redeem(tablet, code, { code: 'AAAA-BBBB-CCCC' });
    expect(bodyOf<SyncErrorBody>(moved).error.code).toBe('enrolment-proof-invalid');
    const late = await s.app.inject({ method: 'POST', url: '/api/enrol', payload: await tablet.enrolRequest(code, new Date(s.clock.now.getTime() - 25 * 3_600_000)) });
    expect(late.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(late).error.code).toBe('enrolment-clock-wrong');
    expect((await redeem(tablet, code)).statusCode).toBe(200);
  });

  it('an enrolment of protocol 1 (no device key) is refused as protocol-mismatch naming protocol 2', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/enrol', payload: { protocol: 1, appVersion: 'old', code: await newCode(), deviceId: new TabletSim().deviceId } });
    expect(res.statusCode).toBe(400);
    expect(bodyOf<SyncErrorBody>(res).error).toMatchObject({ code: 'protocol-mismatch', supported: [2] });
  });

  it('an expired code is refused as enrolment-code-expired, an unknown one as enrolment-code-invalid', async () => {
    const { code } = await createEnrolmentCode(s.app.county, { townshipCode: TOWNSHIP.code, hours: 1 }, ADMIN.username);
    s.clock.advance(60 * 60_000 + 1);
    const expired = await redeem(new TabletSim(), code);
    expect(expired.statusCode).toBe(410);
    expect(bodyOf<SyncErrorBody>(expired).error.code).toBe('enrolment-code-expired');
    const unknown = await redeem(new TabletSim(), 'AAAA-BBBB-CCCC');
    expect(unknown.statusCode).toBe(403);
    expect(bodyOf<SyncErrorBody>(unknown).error.code).toBe('enrolment-code-invalid');
    expect(await s.app.county.db.selectFrom('devices').selectAll().execute()).toEqual([]);
  });

  it('a code for a township that does not exist cannot be made', async () => {
    const res = await s.admin('POST', '/api/admin/enrolment-codes', { townshipCode: '150102099' });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error.problems).toEqual([expect.objectContaining({ path: 'townshipCode' })]);
  });

  it('a revoked device is refused with device-revoked; enrolled again it gets a new id, never the revoked one, and continues its sequence and its cases', async () => {
    const tablet = new TabletSim(undefined, undefined, () => s.clock.now);
    const credential = await s.county.enrol(tablet);
    const revokedId = tablet.deviceId;
    const made = tablet.create(1);
    const first = bodyOf<PushResponse>(await s.push(tablet, credential));
    await tablet.acknowledge(first.ackedThroughSeq);

    expect((await s.admin('POST', `/api/admin/devices/${revokedId}/revoke`)).statusCode).toBe(200);
    tablet.update(made.id, 3);
    const refused = await s.push(tablet, credential);
    expect(refused.statusCode).toBe(403);
    const err = bodyOf<SyncErrorBody>(refused).error;
    expect(err.code).toBe('device-revoked');
    expect(err.message).toMatch(/revoked by the county administrator.*unsynced cases stay on the device/);
    const pull = await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: 1, deviceId: revokedId, cursor: null });
    expect(bodyOf<SyncErrorBody>(pull).error.code).toBe('device-revoked');
    expect(tablet.outbox).toHaveLength(1);

    const devices = bodyOf<{ devices: { deviceId: string; revokedAt: string | null }[] }>(await s.admin('GET', '/api/admin/devices')).devices;
    expect(devices.find((d) => d.deviceId === revokedId)?.revokedAt).toBe(s.clock.now.toISOString());

    // A live tablet cannot be enrolled twice; a revoked one can, as a new device.
    const other = new TabletSim();
    await s.county.enrol(other);
    await expect(s.county.enrol(other)).rejects.toThrow(/device-already-enrolled/);
    const renewed = await s.county.enrol(tablet);
    expect(tablet.deviceId).not.toBe(revokedId);
    expect(renewed).not.toBe(credential);
    // The old credential stays the revoked device's.
    expect(bodyOf<SyncErrorBody>(await s.push(tablet, credential)).error.code).toBe('device-revoked');
    // The change made while revoked, to a case of the revoked id, goes on under the new id.
    const resumed = bodyOf<PushResponse>(await s.push(tablet, renewed));
    expect(resumed.results.map((r) => [r.seq, r.outcome])).toEqual([[2, 'applied']]);
    const rows = await s.app.county.db.selectFrom('devices').select(['device_id', 'revoked_at']).where('device_id', '=', revokedId).execute();
    expect(rows).toEqual([{ device_id: revokedId, revoked_at: expect.any(String) }]);
  });

  it('keeps every revocation — who, when, why — when the tablet is enrolled again, and revoking twice records it once', async () => {
    const tablet = new TabletSim();
    await s.county.enrol(tablet);
    const firstId = tablet.deviceId;
    const firstAt = s.clock.now.toISOString();
    expect((await s.admin('POST', `/api/admin/devices/${firstId}/revoke`, { reason: '平板丢失' })).statusCode).toBe(200);
    s.clock.advance(60_000);
    expect((await s.admin('POST', `/api/admin/devices/${firstId}/revoke`, { reason: '又点了一次' })).statusCode).toBe(200);
    s.clock.advance(3_600_000);
    const backAt = s.clock.now.toISOString();
    await s.county.enrol(tablet);
    s.clock.advance(60_000);
    const secondAt = s.clock.now.toISOString();
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`)).statusCode).toBe(200);

    const devices = bodyOf<{ devices: { deviceId: string; revokedAt: string | null; revocations: unknown[] }[] }>(await s.admin('GET', '/api/admin/devices')).devices;
    expect(devices.find((d) => d.deviceId === firstId)!.revocations).toEqual([{ revokedAt: firstAt, revokedBy: ADMIN.username, reason: '平板丢失', reenrolledAt: backAt }]);
    const second = devices.find((d) => d.deviceId === tablet.deviceId)!;
    expect(second.revokedAt).toBe(secondAt);
    expect(second.revocations).toEqual([{ revokedAt: secondAt, revokedBy: ADMIN.username, reason: '', reenrolledAt: null }]);
    const tooLong = await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '长'.repeat(501) });
    expect(tooLong.statusCode).toBe(422);
  });
});
