import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { parseCertArgs, writeCertificate, type WrittenCertificate } from '../../src/cli/cert';
import { StartupError } from '../../src/server/errors';
import { STRICT_TRANSPORT_SECURITY } from '../../src/server/security';
import { freshDatabase, tempDir, testConfig, type FreshDatabase } from './helpers';

function fetchHttps(url: string, ca: string | undefined): Promise<{ status: number; body: string; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ca, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, hsts: res.headers['strict-transport-security'] }));
    });
    req.on('error', reject);
  });
}

describe('HTTPS with a certificate made by npm run cert', () => {
  let dir: ReturnType<typeof tempDir>;
  let cert: WrittenCertificate;
  let fresh: FreshDatabase;
  let app: FastifyInstance;
  let port: number;
  let ca: string;

  beforeAll(async () => {
    dir = tempDir('tls');
    cert = await writeCertificate(join(dir.dir, 'tls'), ['192.168.1.20', 'county.local'], 825);
    ca = await readFile(cert.caCertFile, 'utf8');
    fresh = await freshDatabase('sqlite', 'https');
    app = await buildServer(testConfig(fresh.database, { tls: { certFile: cert.certFile, keyFile: cert.keyFile } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    await fresh?.cleanup();
    dir?.remove();
  });

  it('names the given hosts plus localhost and 127.0.0.1 as subjectAltNames, signed by the county CA', async () => {
    const server = new X509Certificate(await readFile(cert.certFile));
    const authority = new X509Certificate(ca);
    expect(server.subjectAltName?.split(', ').sort()).toEqual(
      ['DNS:county.local', 'DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:192.168.1.20'].sort(),
    );
    expect(server.ca).toBe(false);
    expect(authority.ca).toBe(true);
    expect(server.checkIssued(authority)).toBe(true);
    expect(server.verify(authority.publicKey)).toBe(true);
    const days = (Date.parse(server.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(823);
    expect(days).toBeLessThanOrEqual(825);
  });

  it('writes the private keys readable by their owner only', async () => {
    expect((await stat(cert.keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(cert.caKeyFile)).mode & 0o777).toBe(0o600);
  });

  it('serves health and the API over HTTPS to a client that trusts the county CA, with HSTS', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const res = await fetchHttps(`https://${host}:${port}/api/health`, ca);
      expect(res.status).toBe(200);
      expect(res.hsts).toBe(STRICT_TRANSPORT_SECURITY);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', db: 'sqlite' });
    }
  });

  it('is rejected by a client that does not trust the county CA (the control)', async () => {
    await expect(fetchHttps(`https://localhost:${port}/api/health`, undefined)).rejects.toThrow(/certificate|self.signed|issuer/i);
  });

  it('re-running for a new address reuses the CA, so tablets need not trust a new one', async () => {
    const again = await writeCertificate(cert.dir, ['10.0.0.5'], 30);
    expect(again.reusedCa).toBe(true);
    expect(await readFile(again.caCertFile, 'utf8')).toBe(ca);
    const server = new X509Certificate(await readFile(again.certFile));
    expect(server.subjectAltName).toContain('IP Address:10.0.0.5');
    expect(server.checkIssued(new X509Certificate(ca))).toBe(true);
  });

  it('refuses a TLS file it cannot read, naming the variable and the file', async () => {
    const missing = join(dir.dir, 'no-such-cert.pem');
    const err = await buildServer(testConfig(fresh.database, { tls: { certFile: missing, keyFile: cert.keyFile } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as StartupError).code).toBe('tls-file-unreadable');
    expect((err as Error).message).toContain('TLS_CERT');
    expect((err as Error).message).toContain(missing);
  });

  it('refuses a key that is not a key', async () => {
    const err = await buildServer(testConfig(fresh.database, { tls: { certFile: cert.certFile, keyFile: cert.caCertFile } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as StartupError).code).toBe('tls-invalid');
  });

  it('parses the command line and refuses what it does not understand', () => {
    expect(parseCertArgs(['--host', '192.168.1.20', '--host=county.local', '--out', 'x/tls', '--days', '30'])).toEqual({
      hosts: ['192.168.1.20', 'county.local'],
      out: 'x/tls',
      days: 30,
    });
    expect(() => parseCertArgs([])).toThrow(/--host/);
    expect(() => parseCertArgs(['--host', 'not a host!'])).toThrow(/neither an IP address nor a DNS name/);
    expect(() => parseCertArgs(['--host', '1.2.3.4', '--days', 'ten'])).toThrow(/--days/);
    expect(() => parseCertArgs(['--host', '1.2.3.4', '--colour'])).toThrow(/unknown argument/);
  });
});
