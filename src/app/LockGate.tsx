// Nothing of the device's records is rendered while the tablet is locked: the screens (and with them
// every case, search, draft and print page) are unmounted, so none of it is left in the DOM. The
// intake form saves its draft as it unmounts, and the drafts go with the clerk (drafts-repository
// handOver), so the same clerk finds his input again and another clerk does not.
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { shiftChange, type Factor, type ShiftClerk } from '../features/signin/unlock-machine';
import { useTabletSyncState } from '../features/sync/store';
import { createClerkCredentialsRepository } from '../storage';
import { lockConfigOf, useLockStore, useLockView, type LockStore } from './lock';
import { useClerk, useRepositories } from './providers';

const LockScreen = lazy(() => import('../features/signin/LockScreen').then((m) => ({ default: m.LockScreen })));

/** The id the machine knows a clerk by: his county account, or his name on a tablet with no county. */
export function clerkIdOf(displayName: string, account: string | null): string {
  return account ?? `local:${displayName}`;
}

export type Unlock = (clerk: ShiftClerk, factor: Factor) => Promise<boolean>;

export function LockGate({ children }: { children: ReactNode }) {
  const store = useLockStore();
  if (!store) throw new Error('LockGate: no lock store above this component');
  return <Gate store={store}>{children}</Gate>;
}

function Gate({ store, children }: { store: LockStore; children: ReactNode }) {
  const repos = useRepositories();
  const { setClerk, endShift } = useClerk();
  const view = useLockView();
  const sync = useTabletSyncState();
  const [restored, setRestored] = useState(false);
  const [local] = useState(() => createClerkCredentialsRepository(repos.db, { scope: 'local' }));

  useEffect(() => {
    let live = true;
    void Promise.all([repos.device.currentShift(), repos.device.lockSettings()]).then(async ([stored, settings]) => {
      if (!live) return;
      store.setConfig(lockConfigOf(settings));
      const shift = stored ? { clerk: { id: clerkIdOf(stored.name, stored.account), displayName: stored.name }, startedAt: Date.parse(stored.since) } : null;
      const before = store.getState();
      if (before.status === 'locked' && before.shift === null) store.dispatch({ type: 'restore', shift, at: store.now() });
      // A shift whose time ran out while the tablet was closed is over: no clerk until a password.
      if (stored && !store.getState().shift) await endShift();
      if (live) setRestored(true);
    });
    return () => {
      live = false;
    };
  }, [repos.device, store, endShift]);

  // The shift is ended on the tablet as soon as the machine ends it (time, sign-out, disabled clerk).
  useEffect(() => {
    let before = store.getState();
    return store.subscribe(() => {
      const after = store.getState();
      if (shiftChange(before, after) === 'ended') void endShift();
      before = after;
    });
  }, [store, endShift]);

  // After a sync: a clerk the county disabled has lost his credentials here, and with them his shift.
  const lastSync = sync?.lastSuccessAt ?? null;
  const shiftClerk = view?.shift?.clerk.id ?? null;
  useEffect(() => {
    if (!shiftClerk || shiftClerk.startsWith('local:') || lastSync === null) return;
    let live = true;
    void repos.clerkCredentials.get(shiftClerk).then((c) => {
      if (live && !c) store.dispatch({ type: 'clerk-removed', clerkId: shiftClerk });
    });
    return () => {
      live = false;
    };
  }, [lastSync, shiftClerk, repos.clerkCredentials, store]);

  const unlock = useCallback<Unlock>(
    async (clerk, factor) => {
      const event = { type: 'signed-in', clerk, factor, at: store.now() } as const;
      const next = store.preview(event);
      if (next.status !== 'unlocked') return false;
      if (shiftChange(store.getState(), next) === 'opened') {
        // The other clerk's drafts are set aside before any screen can load them.
        await repos.drafts.handOver(clerk.id);
        await setClerk(clerk.displayName, clerk.id.startsWith('local:') ? undefined : clerk.id);
      }
      store.dispatch({ ...event, at: store.now() });
      return true;
    },
    [store, repos.drafts, setClerk],
  );

  if (!view || !restored) {
    return (
      <p className="opening" role="status">
        正在打开…
      </p>
    );
  }
  if (view.locked) {
    return (
      <Suspense fallback={<p role="status">正在打开登录…</p>}>
        <LockScreen reason={view.reason} shift={view.shift} local={local} unlock={unlock} />
      </Suspense>
    );
  }
  return <>{children}</>;
}
