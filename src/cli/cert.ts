// `npm run cert -- --host 192.168.1.20 [--host county.local] [--out data/tls] [--days 825]`
//
// Tablets reach the county server by its LAN address, where service workers and WebCrypto need HTTPS.
// Android and iOS only let a user trust a CA certificate, not a bare server certificate, so this makes a
// small self-signed county CA (ca.pem, installed once on each tablet) and a server certificate it signs
// (cert.pem + key.pem, given to the server). Re-running reuses the CA, so a new address needs no
// re-install on the tablets.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { isMain } from './is-main';

export interface CertificateRequest {
  /** IP addresses and DNS names the tablets use to reach the server; localhost and 127.0.0.1 are always added. */
  hosts: string[];
  /** Validity of the server certificate. Apple devices refuse server certificates valid for more than 825 days. */
  days: number;
  /** Reuse this CA instead of making a new one. */
  ca?: { cert: string; key: string };
}

export interface CertificateFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
  fingerprint: string;
}

const CA_DAYS = 3650;
export const MAX_DAYS = 825;
const DNS_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;

export function validateHost(host: string): string {
  const trimmed = host.trim();
  if (isIP(trimmed) || DNS_NAME.test(trimmed)) return trimmed;
  throw new Error(`--host "${host}" is neither an IP address nor a DNS name`);
}

function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 24 * 60 * 60 * 1000);
}

/** The subjectAltNames of the server certificate: the given hosts plus localhost and 127.0.0.1, once each. */
export function altNamesFor(hosts: string[]): Array<{ type: 2; value: string } | { type: 7; ip: string }> {
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts.map(validateHost)])];
  return names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
}

export async function makeCertificate(request: CertificateRequest): Promise<CertificateFiles> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_DAYS) {
    throw new Error(`--days must be a whole number from 1 to ${MAX_DAYS}, not ${request.days}`);
  }
  const now = new Date();
  // Backdated a little so a tablet whose clock runs slow does not see a "not yet valid" certificate.
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const ca =
    request.ca ??
    (await (async () => {
      const made = await generate([{ name: 'commonName', value: 'Jiexu county server CA' }, { name: 'organizationName', value: 'Jiexu' }], {
        keySize: 2048,
        algorithm: 'sha256',
        notBeforeDate: notBefore,
        notAfterDate: addDays(now, CA_DAYS),
        extensions: [
          { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ],
      });
      return { cert: made.cert, key: made.private };
    })());

  const altNames = altNamesFor(request.hosts);
  const primary = request.hosts[0] !== undefined ? validateHost(request.hosts[0]) : 'localhost';
  const server = await generate([{ name: 'commonName', value: primary }, { name: 'organizationName', value: 'Jiexu' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: addDays(now, request.days),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { caCert: ca.cert, caKey: ca.key, cert: server.cert, key: server.private, fingerprint: server.fingerprint };
}

export interface WrittenCertificate {
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  reusedCa: boolean;
  files: CertificateFiles;
}

async function readExistingCa(dir: string): Promise<{ cert: string; key: string } | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(join(dir, 'ca.pem'), 'utf8'), readFile(join(dir, 'ca-key.pem'), 'utf8')]);
    const parsed = new X509Certificate(cert);
    // An expired CA would make every new certificate useless.
    return parsed.ca && new Date(parsed.validTo) > addDays(new Date(), 30) ? { cert, key } : undefined;
  } catch {
    return undefined;
  }
}

/** Makes (or re-issues) the certificate into dir: ca.pem, ca-key.pem, cert.pem, key.pem; keys readable by the owner only. */
export async function writeCertificate(dir: string, hosts: string[], days: number = MAX_DAYS): Promise<WrittenCertificate> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true, mode: 0o700 });
  const existing = await readExistingCa(out);
  const files = await makeCertificate({ hosts, days, ...(existing ? { ca: existing } : {}) });
  const paths = {
    caCertFile: join(out, 'ca.pem'),
    caKeyFile: join(out, 'ca-key.pem'),
    certFile: join(out, 'cert.pem'),
    keyFile: join(out, 'key.pem'),
  };
  const writeSecret = async (path: string, data: string) => {
    await writeFile(path, data, { mode: 0o600 });
    await chmod(path, 0o600); // mode applies only when the file is created
  };
  await writeSecret(paths.caKeyFile, files.caKey);
  await writeSecret(paths.keyFile, files.key);
  await writeFile(paths.caCertFile, files.caCert);
  // The chain lets clients that were given only the CA build the path without guessing.
  await writeFile(paths.certFile, files.cert.trimEnd() + '\n' + files.caCert.trimEnd() + '\n');
  return { dir: out, ...paths, reusedCa: existing !== undefined, files };
}

export interface CertArgs {
  hosts: string[];
  out: string;
  days: number;
}

export function parseCertArgs(argv: string[]): CertArgs {
  const args: CertArgs = { hosts: [], out: 'data/tls', days: MAX_DAYS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const inline = flag?.includes('=') ? flag.slice(flag.indexOf('=') + 1) : undefined;
    const name = inline === undefined ? flag : flag?.slice(0, flag.indexOf('='));
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === '--host') args.hosts.push(validateHost(value()));
    else if (name === '--out') args.out = value();
    else if (name === '--days') {
      const raw = value();
      if (!/^\d+$/.test(raw)) throw new Error(`--days must be a whole number, not "${raw}"`);
      args.days = Number(raw);
    } else throw new Error(`unknown argument "${flag}" (expected --host, --out, --days)`);
  }
  if (args.hosts.length === 0) {
    throw new Error('give at least one --host: the IP address or name tablets use to reach this server, e.g. --host 192.168.1.20');
  }
  return args;
}

async function main(): Promise<void> {
  let args: CertArgs;
  try {
    args = parseCertArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`cert: ${(err as Error).message}`);
    console.error('usage: npm run cert -- --host 192.168.1.20 [--host county.local] [--out data/tls] [--days 825]');
    process.exit(2);
  }
  const written = await writeCertificate(args.out, args.hosts, args.days);
  const show = (p: string) => {
    const rel = relative(process.cwd(), p);
    return rel === '' || rel.startsWith('..') ? p : rel;
  };
  const names = altNamesFor(args.hosts).map((n) => ('ip' in n ? n.ip : n.value));
  console.log(`Server certificate for ${names.join(', ')}, valid ${args.days} days (SHA-1 fingerprint ${written.files.fingerprint}).`);
  console.log(written.reusedCa ? `Reused the county CA in ${show(written.caCertFile)}.` : `Made a new county CA: ${show(written.caCertFile)}.`);
  console.log('');
  console.log('Start the server with:');
  console.log(`  TLS_CERT=${show(written.certFile)} TLS_KEY=${show(written.keyFile)} HOST=0.0.0.0 npm start`);
  console.log('');
  console.log(`Each tablet must trust ${show(written.caCertFile)} once (it is public; ${show(written.caKeyFile)} and ${show(written.keyFile)} are secret and stay on the server):`);
  console.log('  Android: copy ca.pem to the tablet, Settings → Security → Encryption & credentials → Install a certificate → CA certificate.');
  console.log('  iPad: open ca.pem to install the profile, then Settings → General → About → Certificate Trust Settings → enable full trust.');
  console.log('  Windows/Chrome/Edge: import ca.pem under "Trusted Root Certification Authorities".');
  console.log(`Then open https://${args.hosts[0]}:<PORT>/ on the tablet; the browser must show no warning, or the app cannot work offline.`);
  if (!written.reusedCa) {
    console.log('Keep ca-key.pem: with it, re-running this command for a new address reuses the CA and tablets need no new install.');
  }
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`cert failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
