import type { Migration } from 'kysely';
import { serverMeta } from './0001_server_meta';
import { sync } from './0002_sync';
import { determinationDigest } from './0003_determination_digest';
import { clerkAccounts } from './0004_clerk_accounts';
import { signInThrottle } from './0005_sign_in_throttle';
import { caseLinksBySecondCase } from './0006_case_links_by_second_case';
import { deviceRevocations } from './0007_device_revocations';
import { rolesAndAreas } from './0008_roles_and_areas';
import { auditChain } from './0009_audit_chain';
import { deviceKeysAndClerkTokens } from './0010_device_keys_and_clerk_tokens';
import { caseLifecycle } from './0011_case_lifecycle';
import { caseQueue } from './0012_case_queue';
import { agencyFindingsAndPayers } from './0013_agency_findings_and_payers';
import { reportSubmissions } from './0014_report_submissions';
import { queueExtras } from './0015_queue_extras';
import { reportExchange } from './0016_report_exchange';
import { reportSpeed } from './0017_report_speed';

/**
 * Every migration this program knows, oldest first, written with Kysely's schema builder so that the
 * same list runs on SQLite and PostgreSQL. Names sort in order; never rename or edit a released one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_server_meta': serverMeta,
  '0002_sync': sync,
  '0003_determination_digest': determinationDigest,
  '0004_clerk_accounts': clerkAccounts,
  '0005_sign_in_throttle': signInThrottle,
  '0006_case_links_by_second_case': caseLinksBySecondCase,
  '0007_device_revocations': deviceRevocations,
  '0008_roles_and_areas': rolesAndAreas,
  '0009_audit_chain': auditChain,
  '0010_device_keys_and_clerk_tokens': deviceKeysAndClerkTokens,
  '0011_case_lifecycle': caseLifecycle,
  '0012_case_queue': caseQueue,
  '0013_agency_findings_and_payers': agencyFindingsAndPayers,
  '0014_report_submissions': reportSubmissions,
  '0015_queue_extras': queueExtras,
  '0016_report_exchange': reportExchange,
  '0017_report_speed': reportSpeed,
};

export const latestMigrationName: string = Object.keys(migrations).sort().at(-1) ?? '';
