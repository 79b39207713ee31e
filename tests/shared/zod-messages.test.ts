import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT, isJiexuError, parseParameterSet } from '../../src/domain';
import { determinationSchema } from '../../src/shared/determination';
import { parseEnrolRequest, PROTOCOL_VERSION } from '../../src/shared/sync-protocol';

function parameterProblems(doc: unknown): { path: string; message: string }[] {
  try {
    parseParameterSet(doc);
  } catch (e) {
    if (isJiexuError(e)) return (e.details as { problems: { path: string; message: string }[] }).problems;
    throw e;
  }
  throw new Error('the document was accepted');
}

// The schemas are written with zod/mini, which has no messages of its own: a check without a message
// of ours must still say in English what is wrong, not zod/mini's bare "Invalid input".
describe("zod's own checks", () => {
  it.each([
    ['an empty parameter-set version', { ...DEFAULT_PARAMETERS_DOCUMENT, version: '' }, 'version', 'Too small: expected string to have >=1 characters'],
    ['a document of another format', { ...DEFAULT_PARAMETERS_DOCUMENT, format: 'jiexu.parameters/0' }, 'format', 'Invalid input: expected "jiexu.parameters/1"'],
  ])('in a parameter document: %s is explained in English', (_title, doc, path, message) => {
    expect(parameterProblems(doc)).toContainEqual({ path, message });
  });

  it('in a determination: an ID number of the wrong shape names the pattern it must match', () => {
    const r = determinationSchema.safeParse({ identity: { idNumber: '123', sex: 'male', birth: '1990-01', upgradedFrom15: false } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path.join('.') === 'identity.idNumber')?.message).toBe('Invalid string: must match pattern /^\\d{17}[\\dX]$/');
  });

  it('in an enrolment request: an application version left empty is too short, in English', () => {
    const publicKey = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'B'.repeat(43) };
    const r = parseEnrolRequest({ protocol: PROTOCOL_VERSION, appVersion: '', code: 'ABC', localDeviceId: 'K7Q2MX3B', publicKey, clientTime: '2024-05-01T08:00:00.000Z', signature: 'C'.repeat(86) });
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'appVersion', message: 'Too small: expected string to have >=1 characters' }] });
  });
});
