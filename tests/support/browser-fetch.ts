import type { FastifyInstance } from 'fastify';

/** A browser's fetch in miniature, into `app` by inject: keeps the session cookie the server sets. */
export function browserFetch(app: FastifyInstance): typeof fetch {
  let cookie = '';
  return (async (url: string, init: RequestInit) => {
    const res = await app.inject({
      method: init.method as 'GET' | 'POST',
      url,
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
      ...(init.body ? { payload: init.body as string } : {}),
    });
    const set = res.headers['set-cookie'];
    if (set) cookie = String(set).split(';')[0]!;
    return new Response(res.body, { status: res.statusCode });
  }) as unknown as typeof fetch;
}
