// globalSetup of the `server` and `e2e` vitest projects: one throwaway PostgreSQL cluster for the whole run.
import type { TestProject } from 'vitest/node';
import { PG_BIN, postgresUnavailableReason, startPostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway cluster's maintenance database, or null when PostgreSQL tests are skipped. */
    pgUrl: string | null;
    /** Why PostgreSQL tests are skipped (null when they run). */
    pgSkipReason: string | null;
  }
}

function loud(message: string): void {
  const bar = '!'.repeat(Math.min(100, message.length + 4));
  console.warn(`\n${bar}\n! ${message}\n${bar}\n`);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  let reason = postgresUnavailableReason();
  let cluster: Awaited<ReturnType<typeof startPostgresCluster>> | null = null;
  if (reason === null) {
    try {
      cluster = await startPostgresCluster();
    } catch (err) {
      reason = `starting a cluster from ${PG_BIN} failed: ${(err as Error).message}`;
    }
  }
  if (cluster === null) {
    const why = reason ?? 'unknown reason';
    if (ci) throw new Error(`PostgreSQL tests cannot run and CI=true: ${why}`);
    loud(`SKIPPED: PostgreSQL tests — ${why}`);
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', why);
    return undefined;
  }
  project.provide('pgUrl', cluster.url);
  project.provide('pgSkipReason', null);
  const running = cluster;
  return async () => {
    await running.stop();
  };
}
