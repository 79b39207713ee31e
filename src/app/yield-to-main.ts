// The first screen's start is a chain of steps: open the database, read the device, start sync, draw
// the shift bar, then the form. Between steps the chain waits for a task of its own, so that each
// step is a short task: a slow tablet answers a touch in between, not only after the whole chain.

interface YieldingScheduler {
  yield(): Promise<void>;
}

/** Resolves in a later task: `scheduler.yield()` where the browser has it, else a zero timeout. */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
