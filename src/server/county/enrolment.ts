import { randomToken, enrolmentCodeHash, sha256Hex } from '../auth/secrets';
import { ANONYMOUS, authorize } from '../auth/policy';
import { PROTOCOL_VERSION, type EnrolRequest, type EnrolResponse } from '../../shared/sync-protocol';
import { ApiError } from '../errors';
import type { CountyContext } from './context';

/**
 * Redeems a one-time enrolment code for a device credential bound to the code's township. The code
 * is marked used in the same transaction, so two tablets racing with one code get one credential.
 */
export async function redeemEnrolmentCode(ctx: CountyContext, req: EnrolRequest): Promise<EnrolResponse> {
  const now = ctx.now();
  const at = now.toISOString();
  const codeHash = enrolmentCodeHash(req.code);
  return ctx.db.transaction().execute(async (trx) => {
    const code = await trx
      .selectFrom('enrolment_codes')
      .select(['township_code', 'expires_at', 'redeemed_at'])
      .where('code_hash', '=', codeHash)
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    const existing = await trx.selectFrom('devices').select(['revoked_at']).where('device_id', '=', req.deviceId).executeTakeFirst();
    authorize(ANONYMOUS, {
      type: 'enrol.redeem',
      code: code ? { expiresAt: code.expires_at, redeemedAt: code.redeemed_at } : null,
      existingDevice: existing ? { revokedAt: existing.revoked_at } : null,
      now,
    });
    const used = await trx
      .updateTable('enrolment_codes')
      .set({ redeemed_at: at, redeemed_by_device: req.deviceId })
      .where('code_hash', '=', codeHash)
      .where('redeemed_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new ApiError(410, 'enrolment-code-used', 'This enrolment code has already been used: each code enrols one device once');

    const credential = randomToken('dev');
    const township = await trx.selectFrom('townships').select(['code', 'name']).where('code', '=', code!.township_code).executeTakeFirstOrThrow();
    if (existing) {
      // Re-enrolment of a revoked device: a new credential; its sequence continues, so nothing it still holds is lost.
      await trx
        .updateTable('devices')
        .set({ credential_hash: sha256Hex(credential), township_code: township.code, enrolled_at: at, revoked_at: null, revoked_by: null, app_version: req.appVersion })
        .where('device_id', '=', req.deviceId)
        .execute();
      // The device's row forgets the revocation; its history keeps it, with when it came back.
      await trx.updateTable('device_revocations').set({ reenrolled_at: at }).where('device_id', '=', req.deviceId).where('reenrolled_at', 'is', null).execute();
    } else {
      await trx
        .insertInto('devices')
        .values({ device_id: req.deviceId, township_code: township.code, credential_hash: sha256Hex(credential), enrolled_at: at, revoked_at: null, revoked_by: null, last_seq: 0, last_seen_at: at, app_version: req.appVersion })
        .execute();
    }
    return { protocol: PROTOCOL_VERSION, deviceId: req.deviceId, credential, township, serverTime: at };
  });
}
