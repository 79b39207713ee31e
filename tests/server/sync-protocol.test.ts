import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate } from '../../src/domain';
import {
  countyListVersion,
  differingFigures,
  figuresOf,
  parsePushRequest,
  parsePushResponse,
  parseSyncError,
  PROTOCOL_VERSION,
} from '../../src/shared/sync-protocol';
import { caseInput, TabletSim } from '../support/sync-fixtures';

describe('the sync protocol (version 2)', () => {
  const tablet = new TabletSim('K7Q2MX3B');
  const c = tablet.create(1);
  tablet.update(c.id, 3);
  tablet.withdraw(c.id);
  const valid = tablet.pushBody();

  it('accepts a tablet’s push, keeping the case facts untrusted (unknown) for the server to check', () => {
    const r = parsePushRequest(JSON.parse(JSON.stringify(valid)));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.batch.map((m) => [m.seq, m.kind, m.baseRevision])).toEqual([
        [1, 'case.create', null],
        [2, 'case.update', 1],
        [3, 'case.withdraw', 2],
      ]);
      expect(r.value.batch[0]!.facts).toEqual(c.facts);
    }
  });

  it('reports another protocol version before any field problem, and another case schema as schema-mismatch', () => {
    expect(parsePushRequest({ protocol: 3, batch: 'nonsense' })).toMatchObject({ ok: false, code: 'protocol-mismatch', problems: [{ path: 'protocol' }] });
    expect(parsePushRequest({ ...valid, schemaVersion: 2 })).toMatchObject({ ok: false, code: 'schema-mismatch', problems: [{ path: 'schemaVersion' }] });
    expect(PROTOCOL_VERSION).toBe(2);
    // A tablet offline through the server's upgrade still pushes what it holds.
    expect(parsePushRequest({ ...valid, protocol: 1 }).ok).toBe(true);
  });

  it('names every bad field of a batch', () => {
    const batch = JSON.parse(JSON.stringify(valid.batch)) as Record<string, unknown>[];
    batch[0]!.mutationId = 'nope';
    batch[0]!.baseRevision = 4;
    batch[2]!.status = 'registered';
    const r = parsePushRequest({ ...valid, clientTime: 'yesterday', batch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('invalid-request');
      expect(r.problems.map((p) => p.path).sort()).toEqual(['batch[0].baseRevision', 'batch[0].mutationId', 'batch[0].revision', 'batch[2].status', 'clientTime']);
    }
    expect(parsePushRequest({ ...valid, batch: [] })).toMatchObject({ ok: false, problems: [{ path: 'batch', message: 'a batch has at least one mutation' }] });
    expect(parsePushRequest({ ...valid, extra: 1 })).toMatchObject({ ok: false, problems: [{ path: 'extra', message: 'unknown field' }] });
  });

  it('sends a digest of the key figures, not the determination; a changed figure is named', () => {
    const { facts } = caseInput(5);
    const d = evaluate(facts, DEFAULT_PARAMETERS);
    const digest = figuresOf(d);
    expect(digest).toMatchObject({ parametersVersion: DEFAULT_PARAMETERS.version, inScope: true, militaryMonths: d.militaryMonths, backPayMonths: d.pension!.backPayMonths });
    expect(JSON.stringify(digest).length).toBeLessThan(JSON.stringify(d).length / 10);
    expect(differingFigures(digest, { ...digest })).toEqual([]);
    expect(differingFigures(digest, { ...digest, pensionUnitAmount: '0.01', backPayMonths: 1 })).toEqual(['backPayMonths', 'pensionUnitAmount']);
  });

  it('a garbled or foreign response does not parse, an error body does', () => {
    expect(parsePushResponse({ protocol: 2, ackedThroughSeq: 'all' }).ok).toBe(false);
    expect(parsePushResponse({ protocol: 2, ackedThroughSeq: 3, serverTime: new Date().toISOString(), results: [] }).ok).toBe(true);
    expect(parseSyncError({ error: { code: 'sequence-gap', message: 'm', expectedSeq: 4 } })).toEqual({ code: 'sequence-gap', message: 'm', expectedSeq: 4 });
    expect(parseSyncError('<html>')).toBeNull();
  });

  it('versions the county list by its content', () => {
    expect(countyListVersion()).toMatch(/^gb2260-\d+-[0-9a-f]{8}$/);
  });
});
