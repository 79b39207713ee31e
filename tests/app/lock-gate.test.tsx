// The lock gate as the app mounts it: nothing of the records is in the DOM while locked, a stored
// shift is opened by its clerk's PIN, and the drafts go with the clerk who typed them.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createLockStore, LockContext, type LockStore } from '../../src/app/lock';
import { LockGate } from '../../src/app/LockGate';
import { RepositoriesProvider, useRepositories } from '../../src/app/providers';
import { setLocalPin } from '../../src/features/signin/clerk-session';
import { createClerkCredentialsRepository, createDeviceRepository, createDraftsRepository, openJiexuDb, type JiexuDb } from '../../src/storage';
import { freshName } from '../storage/support';

const opened: { db: JiexuDb; store: LockStore }[] = [];
afterEach(() => {
  cleanup();
  for (const o of opened.splice(0)) {
    o.store.dispose();
    o.db.close();
  }
});

/** What a screen would show: the draft of the clerk on shift. */
function Secret() {
  useRepositories();
  return <p data-testid="secret">案卷 张三</p>;
}

async function tablet(options: { shiftOf?: string } = {}) {
  const dbName = freshName();
  const db = await openJiexuDb(dbName);
  const local = createClerkCredentialsRepository(db, { scope: 'local' });
  await setLocalPin(local, '王丽', '270418', '270418');
  await setLocalPin(local, '李强', '381529', '381529');
  if (options.shiftOf) await createDeviceRepository(db).setCurrentClerk(options.shiftOf);
  let now = Date.now();
  const store = createLockStore({ now: () => now });
  opened.push({ db, store });
  render(
    <LockContext.Provider value={store}>
      <RepositoriesProvider dbName={dbName}>
        <LockGate>
          <Secret />
        </LockGate>
      </RepositoriesProvider>
    </LockContext.Provider>,
  );
  return { db, store, advance: (ms: number) => (now += ms) };
}

async function signIn(name: string, pin: string) {
  const names = await screen.findByRole('group', { name: '本机经办人' }, { timeout: 10_000 });
  fireEvent.click([...names.querySelectorAll('button')].find((b) => b.textContent === name)!);
  fireEvent.change(await screen.findByLabelText('PIN（6位数字）'), { target: { value: pin } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('the lock gate', () => {
  it('starts locked even with a shift stored, shows nothing of the records, and opens for the shift’s clerk’s PIN', async () => {
    await tablet({ shiftOf: '王丽' });
    // Within the stored shift the lock screen asks its clerk for his PIN straight away.
    fireEvent.change(await screen.findByLabelText('PIN（6位数字）', undefined, { timeout: 10_000 }), { target: { value: '270418' } });
    expect(document.body.textContent).not.toContain('张三');
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByTestId('secret', undefined, { timeout: 10_000 })).textContent).toContain('张三');
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });

  it('locks after the idle time and removes the screens from the DOM', async () => {
    const t = await tablet();
    await signIn('王丽', '270418');
    await screen.findByTestId('secret', undefined, { timeout: 10_000 });
    t.advance(t.store.config().idleMs);
    t.store.dispatch({ type: 'tick', at: t.store.now() });
    expect((await screen.findByTestId('lock-screen')).textContent).toContain('长时间无操作，已自动锁定');
    expect(screen.queryByTestId('secret')).toBeNull();
    expect(document.body.textContent).not.toContain('张三');
  });

  it('sets one clerk’s drafts aside when another opens a shift, and gives them back to him', async () => {
    const t = await tablet();
    await signIn('王丽', '270418');
    await screen.findByTestId('secret', undefined, { timeout: 10_000 });
    const drafts = createDraftsRepository(t.db);
    await drafts.save('intake:new', { name: '赵铁柱' });
    t.store.dispatch({ type: 'lock', at: t.store.now() });
    fireEvent.click(await screen.findByRole('button', { name: '换人' }));
    await signIn('李强', '381529');
    await screen.findByTestId('secret', undefined, { timeout: 10_000 });
    expect(await drafts.load('intake:new')).toBeUndefined();
    expect(await drafts.list()).toEqual([]);
    expect(await createDeviceRepository(t.db).currentClerk()).toBe('李强');

    t.store.dispatch({ type: 'sign-out' });
    await signIn('王丽', '270418');
    await screen.findByTestId('secret', undefined, { timeout: 10_000 });
    await waitFor(async () => expect((await drafts.load('intake:new'))?.value).toEqual({ name: '赵铁柱' }));
  });
});
