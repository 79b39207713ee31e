import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { describeOnEachDatabase, freshDatabase, testConfig, type FreshDatabase } from './helpers';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describeOnEachDatabase('the API', (kind) => {

  let fresh: FreshDatabase;
  let app: FastifyInstance;
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'health');
    app = await buildServer(testConfig(fresh.database));
  });
  afterEach(async () => {
    await app.close();
    await fresh.cleanup();
  });

  it('answers GET /api/health with status ok, the database kind and the package version', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ status: 'ok', db: kind, version: packageVersion });
  });

  it('reports the database as unavailable when the schema it reads is gone (the check really queries)', async () => {
    await sql`drop table server_meta`.execute(app.appDb.db);
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'database-unavailable' } });
  });

  it('answers an unknown /api path with 404 JSON carrying a stable code, for any method', async () => {
    for (const [method, url] of [
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/cases'],
      ['DELETE', '/api/health/extra?x=1'],
      ['GET', '/api'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { accept: 'text/html' } });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe('not-found');
      expect(body.error.message).toContain(url.split('?')[0]);
    }
  });

  it('answers a method the health route does not have with 404 JSON, not HTML', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/health', payload: { a: 1 } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it('answers malformed JSON with 400 JSON and a stable code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/health',
      headers: { 'content-type': 'application/json' },
      payload: '{"not json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'bad-request' } });
  });

  it('sends the security headers a PWA needs on API responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(String(res.headers['content-security-policy'])).toContain("connect-src 'self'");
  });
});
