import type { FastifyInstance } from 'fastify';

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
