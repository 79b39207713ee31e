// The county page's 审计链 section against a real county server (SQLite, through inject).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { createAdminApi } from '../../../src/features/county/api';
import { buildServer } from '../../../src/server/app';
import { auditHead } from '../../../src/server/audit/chain';
import { setUpCounty } from '../../support/sync-fixtures';

let dir: string;
let app: FastifyInstance;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiexu-audit-head-'));
  app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
});
afterEach(async () => {
  cleanup();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the county page shows the audit chain’s count and head hash as the server has them', async () => {
  const { adminCookie } = await setUpCounty(app);
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const res = await app.inject({ method: init.method as 'GET' | 'POST', url, headers: { ...(init.headers as Record<string, string>), cookie: adminCookie } });
    return new Response(res.body, { status: res.statusCode });
  }) as unknown as typeof fetch;
  render(<CountyPage api={createAdminApi('', fetchImpl)} />);
  const section = await screen.findByTestId('county-audit-head');
  const head = await auditHead(app.county.db);
  expect(head.seq).toBeGreaterThan(0);
  expect(await within(section).findByText(head.hash)).toBeTruthy();
  expect(section.textContent).toContain(`共 ${head.seq} 条记录`);
});
