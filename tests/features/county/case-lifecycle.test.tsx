// The case lifecycle in the county page's case detail, against a real county server (SQLite, through
// inject, with its session cookie): the status, the buttons the role may use, a step's form with its
// Chinese field messages, and the signed history after the step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { createAdminApi } from '../../../src/features/county/api';
import { buildServer } from '../../../src/server/app';
import { pushOnce } from '../../../src/sync/client';
import { nodeGzip } from '../../../src/sync/node-gzip';
import { browserFetch } from '../../support/browser-fetch';
import { ADMIN, setUpCounty, TabletSim } from '../../support/sync-fixtures';

let dir: string;
let app: FastifyInstance;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiexu-county-lifecycle-'));
  app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
});
afterEach(async () => {
  cleanup();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pushOneCase(): Promise<string> {
  const county = await setUpCounty(app);
  const t = new TabletSim();
  const credential = await county.enrol(t, '150102001');
  const id = t.create(1).id;
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const res = await app.inject({ method: 'POST', url: new URL(url).pathname, headers: init.headers as Record<string, string>, payload: Buffer.from(init.body as Uint8Array) });
    return new Response(res.body, { status: res.statusCode });
  }) as unknown as typeof fetch;
  const config = { baseUrl: 'http://county.test', deviceId: t.deviceId, credential, clerkTokens: t.clerkTokens, appVersion: 'test', fetch: fetchImpl, now: () => new Date(), compress: nodeGzip, timeoutMs: 30_000, batchSize: 50 };
  expect(await pushOnce(config, t)).toMatchObject({ kind: 'pushed' });
  return id;
}

it('signs 核查通过 from the case detail: the form names each missing field in Chinese, then the history shows the signed step and the next steps are offered', async () => {
  const caseId = await pushOneCase();
  render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
  fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: ADMIN.username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: ADMIN.password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  await screen.findByTestId('county-page');
  await waitFor(() => expect(screen.getAllByTestId('county-case-row')).toHaveLength(1));
  fireEvent.click(within(screen.getAllByTestId('county-case-row')[0]!).getAllByRole('button')[0]!);

  const lifecycle = await screen.findByTestId('county-lifecycle');
  expect(within(lifecycle).getByTestId('county-lifecycle-status').textContent).toBe('已同步');
  expect(within(lifecycle).getAllByRole('button').map((b) => b.textContent)).toEqual(['核查通过', '不符合', '退回补正']);

  fireEvent.click(within(lifecycle).getByRole('button', { name: '核查通过' }));
  const form = within(lifecycle).getByRole('form', { name: '办理：核查通过' });
  fireEvent.click(within(form).getByRole('button', { name: '签署：核查通过' }));
  const messages = within(form).getAllByRole('alert').map((a) => a.textContent);
  expect(messages).toContain('请填写「说明」。');
  expect(messages).toContain('请填写「服役情况已核实」的「依据文件文号」。');
  expect(messages).toContain('请填写「退役安置方式已核实」的「核实人」。');
  // Nothing was sent while the form was incomplete.
  expect(await app.county.db.selectFrom('case_steps').selectAll().execute()).toEqual([]);

  const fill = (label: string, index: number, value: string) => fireEvent.change(within(form).getAllByLabelText(label)[index]!, { target: { value } });
  fill('依据文件文号', 0, '呼武人〔2024〕12号');
  fill('文件日期', 0, '2024-04-20');
  fill('核实人', 0, '李核查');
  fill('依据文件文号', 1, '退役证 No.0012345');
  fill('文件日期', 1, '2024-04-21');
  fill('核实人', 1, '李核查');
  fireEvent.change(within(form).getByLabelText('说明'), { target: { value: '服役和安置材料齐全' } });
  fireEvent.click(within(form).getByRole('button', { name: '签署：核查通过' }));

  await waitFor(() => expect(within(screen.getByTestId('county-lifecycle')).getByTestId('county-lifecycle-status').textContent).toBe('核查通过'));
  const after = screen.getByTestId('county-lifecycle');
  const history = within(after).getAllByTestId('county-step');
  expect(history).toHaveLength(1);
  expect(history[0]!.textContent).toContain('核查通过（已同步 → 核查通过）');
  expect(history[0]!.textContent).toContain('服役情况已核实：文号 呼武人〔2024〕12号');
  expect(history[0]!.textContent).toContain('审计链签名 #');
  expect(within(after).getAllByRole('button').map((b) => b.textContent)).toEqual(['送经办机构', '不符合', '退回补正']);
  const row = await app.county.db.selectFrom('cases').select('lifecycle_status').where('id', '=', caseId).executeTakeFirstOrThrow();
  expect(row.lifecycle_status).toBe('verified');
});
