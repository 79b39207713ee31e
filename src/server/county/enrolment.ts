// Enrolment: a one-time code redeemed by a tablet that proves it holds the private half of the key
// pair it sends. The code is bound to that key: if the answer is lost on the way, the same tablet asks
// again with the same code and gets the same device id with a new credential (the previous one stops
// working: no credential is kept in a form that could be handed out again), while any other key is
// refused as for a used code. Each enrolment gets a new device id from the server; the ids one key was
// enrolled under are one tablet, whose outbox sequence and cases continue across them.

import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import { randomToken, enrolmentCodeHash, sha256Hex } from '../auth/secrets';
import { ANONYMOUS, authorize } from '../auth/policy';
import { enrolmentProofText, PROTOCOL_VERSION, type DevicePublicKey, type EnrolRequest, type EnrolResponse } from '../../shared/sync-protocol';
import { randomDeviceId } from '../../storage/ids';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { CountyContext } from './context';
import { appendAudit } from '../audit/chain';

/** A proof signed further from the server's clock than this is refused: a day covers a wrong time zone, not a replay weeks later. */
export const ENROLMENT_CLOCK_WINDOW_MS = 24 * 3_600_000;

/** RFC 7638 thumbprint of the key: what the server finds a tablet's devices by. */
export function keyThumbprint(key: DevicePublicKey): string {
  return createHash('sha256').update(JSON.stringify({ crv: key.crv, kty: key.kty, x: key.x, y: key.y }), 'utf8').digest('base64url');
}

/** Throws unless the request is signed by the private half of its public key, at a time near the server's. */
export function checkEnrolmentProof(req: EnrolRequest, now: Date): void {
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: req.publicKey.kty, crv: req.publicKey.crv, x: req.publicKey.x, y: req.publicKey.y }, format: 'jwk' });
    valid = verify('sha256', Buffer.from(enrolmentProofText(req.code, req.publicKey, req.clientTime), 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(req.signature, 'base64url'));
  } catch {
    // A point not on the curve, or a malformed signature: not a proof.
  }
  if (!valid) throw new ApiError(422, 'enrolment-proof-invalid', 'The enrolment request is not signed by the key it carries; nothing was changed');
  if (Math.abs(Date.parse(req.clientTime) - now.getTime()) > ENROLMENT_CLOCK_WINDOW_MS) {
    throw new ApiError(422, 'enrolment-clock-wrong', `The tablet's clock (${req.clientTime}) is more than a day from the server's (${now.toISOString()}); set the tablet's date and time, then enrol again`);
  }
}

/** A device id never used before, as a device's own or as the id a tablet numbered cases with before enrolling. */
async function freshDeviceId(trx: Kysely<Database>): Promise<string> {
  for (;;) {
    const id = randomDeviceId();
    const used = await trx
      .selectFrom('devices')
      .select('device_id')
      .where((eb) => eb.or([eb('device_id', '=', id), eb('local_device_id', '=', id)]))
      .executeTakeFirst();
    if (!used) return id;
  }
}

export async function redeemEnrolmentCode(ctx: CountyContext, req: EnrolRequest): Promise<EnrolResponse> {
  const now = ctx.now();
  const at = now.toISOString();
  checkEnrolmentProof(req, now);
  const thumbprint = keyThumbprint(req.publicKey);
  const codeHash = enrolmentCodeHash(req.code);
  return ctx.db.transaction().execute(async (trx) => {
    const code = await trx
      .selectFrom('enrolment_codes')
      .select(['township_code', 'expires_at', 'redeemed_at', 'redeemed_by_device', 'key_thumbprint'])
      .where('code_hash', '=', codeHash)
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();

    // The same tablet asking again for the answer it lost: the device that code made, a new credential.
    if (code && code.redeemed_at !== null && code.key_thumbprint === thumbprint && code.redeemed_by_device !== null) {
      const device = await trx
        .selectFrom('devices')
        .select(['device_id', 'township_code', 'revoked_at'])
        .where('device_id', '=', code.redeemed_by_device)
        .where('key_thumbprint', '=', thumbprint)
        .executeTakeFirst();
      if (device && device.revoked_at === null) {
        const credential = randomToken('dev');
        await trx.updateTable('devices').set({ credential_hash: sha256Hex(credential), app_version: req.appVersion }).where('device_id', '=', device.device_id).execute();
        const township = await trx.selectFrom('townships').select(['code', 'name']).where('code', '=', device.township_code).executeTakeFirstOrThrow();
        await appendAudit(trx, { action: 'enrolment.credential-reissued', actor: `device:${device.device_id}`, role: null, area: { level: 'township', code: township.code }, subject: device.device_id, detail: { keyThumbprint: thumbprint } }, now);
        return { protocol: PROTOCOL_VERSION, deviceId: device.device_id, credential, township, serverTime: at };
      }
    }

    // Earlier enrolments of this tablet: by its key, or (enrolled before device keys) by the id it still numbers cases with.
    let earlier = await trx.selectFrom('devices').select(['device_id', 'revoked_at', 'last_seq', 'local_device_id']).where('key_thumbprint', '=', thumbprint).execute();
    let keyless: string | null = null;
    if (earlier.length === 0) {
      const legacy = await trx.selectFrom('devices').select(['device_id', 'revoked_at', 'last_seq', 'local_device_id']).where('device_id', '=', req.localDeviceId).where('key_thumbprint', 'is', null).executeTakeFirst();
      if (legacy) {
        earlier = [legacy];
        keyless = legacy.device_id;
      }
    }
    const live = earlier.find((d) => d.revoked_at === null);
    authorize(ANONYMOUS, {
      type: 'enrol.redeem',
      code: code ? { expiresAt: code.expires_at, redeemedAt: code.redeemed_at } : null,
      existingDevice: live ? { revokedAt: null } : earlier.length > 0 ? { revokedAt: earlier[0]!.revoked_at } : null,
      now,
    });
    const deviceId = await freshDeviceId(trx);
    const used = await trx
      .updateTable('enrolment_codes')
      .set({ redeemed_at: at, redeemed_by_device: deviceId, key_thumbprint: thumbprint })
      .where('code_hash', '=', codeHash)
      .where('redeemed_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new ApiError(410, 'enrolment-code-used', 'This enrolment code has already been used: each code enrols one device once');

    if (keyless !== null) await trx.updateTable('devices').set({ public_key: JSON.stringify(req.publicKey), key_thumbprint: thumbprint }).where('device_id', '=', keyless).execute();
    // The id the tablet numbered cases with so far is recorded as its own, unless another tablet has it.
    const earlierIds = new Set(earlier.flatMap((d) => [d.device_id, d.local_device_id ?? '']));
    const claimed = earlierIds.has(req.localDeviceId)
      ? undefined
      : await trx
          .selectFrom('devices')
          .select('device_id')
          .where((eb) => eb.or([eb('device_id', '=', req.localDeviceId), eb('local_device_id', '=', req.localDeviceId)]))
          .executeTakeFirst();
    const credential = randomToken('dev');
    const township = await trx.selectFrom('townships').select(['code', 'name']).where('code', '=', code!.township_code).executeTakeFirstOrThrow();
    await trx
      .insertInto('devices')
      .values({
        device_id: deviceId,
        township_code: township.code,
        credential_hash: sha256Hex(credential),
        enrolled_at: at,
        revoked_at: null,
        revoked_by: null,
        // The tablet's outbox goes on numbering where its last enrolment left off.
        last_seq: Math.max(0, ...earlier.map((d) => d.last_seq)),
        last_seen_at: at,
        app_version: req.appVersion,
        public_key: JSON.stringify(req.publicKey),
        key_thumbprint: thumbprint,
        local_device_id: claimed === undefined && !earlierIds.has(req.localDeviceId) ? req.localDeviceId : null,
      })
      .execute();
    if (earlier.length > 0) {
      // The earlier devices stay revoked; their history records when the tablet came back.
      await trx
        .updateTable('device_revocations')
        .set({ reenrolled_at: at })
        .where('device_id', 'in', earlier.map((d) => d.device_id))
        .where('reenrolled_at', 'is', null)
        .execute();
    }
    await appendAudit(
      trx,
      {
        action: 'enrolment.redeem',
        actor: `device:${deviceId}`,
        role: null,
        area: { level: 'township', code: township.code },
        subject: deviceId,
        detail: { keyThumbprint: thumbprint, earlierDevices: earlier.map((d) => d.device_id), appVersion: req.appVersion },
      },
      now,
    );
    return { protocol: PROTOCOL_VERSION, deviceId, credential, township, serverTime: at };
  });
}

/**
 * Every device id that is this device's tablet: the ids its key was enrolled under, and the ids it
 * numbered cases with before enrolling. The device's own id first.
 */
export async function tabletDeviceIds(db: Kysely<Database>, deviceId: string): Promise<string[]> {
  const self = await db.selectFrom('devices').select(['device_id', 'key_thumbprint', 'local_device_id']).where('device_id', '=', deviceId).executeTakeFirst();
  if (!self) return [deviceId];
  const rows = self.key_thumbprint === null ? [self] : await db.selectFrom('devices').select(['device_id', 'key_thumbprint', 'local_device_id']).where('key_thumbprint', '=', self.key_thumbprint).execute();
  const ids = new Set<string>([deviceId]);
  for (const r of rows) {
    ids.add(r.device_id);
    if (r.local_device_id !== null) ids.add(r.local_device_id);
  }
  return [...ids];
}
