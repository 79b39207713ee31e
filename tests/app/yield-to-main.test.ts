import { afterEach, describe, expect, it, vi } from 'vitest';
import { yieldToMain } from '../../src/app/yield-to-main';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Lets every microtask queued so far (and those they queue) run, without leaving the task. */
async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('yieldToMain: the first screen start waits for a task of its own between steps', () => {
  it('resolves in a later task, not among the current task’s microtasks', async () => {
    vi.stubGlobal('scheduler', undefined);
    let resumed = false;
    const waiting = yieldToMain().then(() => {
      resumed = true;
    });
    await drainMicrotasks();
    expect(resumed).toBe(false);
    await waiting;
    expect(resumed).toBe(true);
  });

  it('uses the browser’s scheduler.yield where there is one', async () => {
    const yieldFn = vi.fn(() => Promise.resolve());
    vi.stubGlobal('scheduler', { yield: yieldFn });
    await yieldToMain();
    expect(yieldFn).toHaveBeenCalledTimes(1);
  });
});
