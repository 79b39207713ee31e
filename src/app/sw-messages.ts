// Messages between the page and the service worker; one definition for both sides.

/** Page → waiting worker: take over now (sent only when the clerk presses 更新). */
export const SKIP_WAITING = 'SKIP_WAITING';
