import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

/**
 * The PWA loads only its own scripts, styles, workers and manifest, and talks only to this server.
 * Inline styles are allowed (React style props and libraries that inject <style>); inline scripts are not.
 * 'wasm-unsafe-eval' lets the page compile WebAssembly (the Argon2id of the clerks' PIN verifiers), and
 * nothing else: eval() and new Function() stay refused.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** A year; browsers that once reached the county server over HTTPS never fall back to plain HTTP. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * Security headers on every response; HSTS too when the client's scheme is https: the server's own
 * TLS, or a trusted proxy's (TRUST_PROXY) X-Forwarded-Proto.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  });
}

/** Deeper than any request of the API nests (a push is about 6 levels). */
export const MAX_JSON_DEPTH = 64;

export type InputProblem = { path: string; message: string };

/**
 * The first string or key holding a NUL character in a parsed value, or the first place it nests
 * deeper than MAX_JSON_DEPTH; null when neither. Walked with a stack of its own, so that no depth
 * of nesting can exhaust the server's.
 */
export function inputProblem(value: unknown): InputProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: path || '(value)', message: 'contains a NUL character, which no field accepts' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { path: path || '(value)', message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const at = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { path: at, message: 'contains a NUL character, which no field accepts' };
      stack.push({ value: item, path: at, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * No field of the API takes a NUL character (PostgreSQL cannot store one in text) or nests deeper
 * than MAX_JSON_DEPTH: refused in one place, naming the field, before any route reads the request.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const problem = inputProblem(value);
      if (problem !== null) {
        throw new ApiError(400, 'bad-request', `${part}.${problem.path}: ${problem.message}`, { details: { problems: [problem] } });
      }
    }
  });
}
