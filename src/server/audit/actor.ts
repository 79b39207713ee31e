import type { Principal } from '../auth/policy';
import type { AuditBy } from './chain';

/** Who an audit entry names as acting, from the request's Principal. */
export function auditBy(p: Principal): AuditBy {
  switch (p.kind) {
    case 'account':
      return { actor: p.username, role: p.role, area: p.area };
    case 'device':
      return { actor: `device:${p.deviceId}`, role: null, area: { level: 'township', code: p.townshipCode } };
    case 'anonymous':
      return { actor: 'anonymous', role: null, area: null };
  }
}
