// A tiny hash router: the app is one offline page, so every screen is a `#/…` address that the
// service worker never has to know about, and a reload opens the same screen.
import { useSyncExternalStore } from 'react';

export type PrintKind = 'form' | 'receipt';

export type Route =
  | { name: 'intake'; caseId: null }
  | { name: 'intake'; caseId: string }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'print'; id: string; kind: PrintKind }
  /** 同步: enrolment and 日终同步. */
  | { name: 'sync' }
  /** The county office's page (online, served by the county server). */
  | { name: 'county' }
  | { name: 'not-found'; path: string };

export const DEFAULT_PATH = '/intake';

const SEGMENT = /^[^/?#]+$/;

function decode(segment: string): string | null {
  if (!SEGMENT.test(segment)) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route of a hash (`#/cases/abc`); an empty hash is the first screen. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || DEFAULT_PATH;
  const parts = path.split('/').slice(1);
  const [head, a, b, c] = parts;
  if (head === 'intake') {
    if (parts.length === 1) return { name: 'intake', caseId: null };
    const id = parts.length === 2 && a ? decode(a) : null;
    if (id) return { name: 'intake', caseId: id };
  }
  if (head === 'cases') {
    if (parts.length === 1) return { name: 'cases' };
    const id = a ? decode(a) : null;
    if (id && parts.length === 2) return { name: 'case', id };
    if (id && parts.length === 4 && b === 'print' && (c === 'form' || c === 'receipt')) return { name: 'print', id, kind: c };
  }
  if (head === 'sync' && parts.length === 1) return { name: 'sync' };
  if (head === 'county' && parts.length === 1) return { name: 'county' };
  return { name: 'not-found', path };
}

/** The hash of a route, the inverse of parseRoute. */
export function routePath(route: Route): string {
  switch (route.name) {
    case 'intake':
      return route.caseId === null ? '#/intake' : `#/intake/${encodeURIComponent(route.caseId)}`;
    case 'cases':
      return '#/cases';
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
    case 'print':
      return `#/cases/${encodeURIComponent(route.id)}/print/${route.kind}`;
    case 'sync':
      return '#/sync';
    case 'county':
      return '#/county';
    case 'not-found':
      return `#${route.path}`;
  }
}

/** Links the screens use. */
export const paths = {
  intake: (caseId?: string) => routePath(caseId ? { name: 'intake', caseId } : { name: 'intake', caseId: null }),
  cases: () => routePath({ name: 'cases' }),
  case: (id: string) => routePath({ name: 'case', id }),
  print: (id: string, kind: PrintKind) => routePath({ name: 'print', id, kind }),
  sync: () => routePath({ name: 'sync' }),
  county: () => routePath({ name: 'county' }),
};

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

let cachedHash: string | null = null;
let cachedRoute: Route = { name: 'intake', caseId: null };

/** A hash that is an in-page anchor (`#main` of the skip link), not a route. */
function isAnchor(hash: string): boolean {
  return hash !== '' && hash !== '#' && !hash.startsWith('#/');
}

function routeOfHash(hash: string): Route {
  // The same object for the same hash, so useSyncExternalStore sees no change between renders; an
  // in-page anchor keeps the screen that is showing.
  if (hash !== cachedHash) {
    cachedHash = hash;
    if (!isAnchor(hash)) cachedRoute = parseRoute(hash);
  }
  return cachedRoute;
}

/** The current route; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return routeOfHash(hash);
}

/** Goes to `path` (`#/cases` or `/cases`); a no-op when already there. */
export function navigate(path: string): void {
  const hash = path.startsWith('#') ? path : `#${path.startsWith('/') ? path : `/${path}`}`;
  if (window.location.hash !== hash) window.location.hash = hash;
}
