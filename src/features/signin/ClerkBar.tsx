// 当班经办人 on an enrolled tablet: the clerk signs in (PIN offline, password online the first time)
// and the shift records his county account. A tablet not yet enrolled keeps the simple name picker.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useClerk, useRepositories } from '../../app/providers';
import { ShiftBar } from '../shift';
import { useTabletSyncState } from '../sync/store';
import '../shift/shift.css';

// Only an enrolled tablet without a signed-in clerk shows it: not part of the first screen's script.
const SignInScreen = lazy(() => import('./SignInScreen').then((m) => ({ default: m.SignInScreen })));

export function ClerkBar() {
  const state = useTabletSyncState();
  if (!state?.loaded) return null;
  return state.enrolment ? <SignedInClerkBar /> : <ShiftBar />;
}

function SignedInClerkBar() {
  const { clerk, setClerk } = useClerk();
  const { device, deviceId, clerkCredentials } = useRepositories();
  const [account, setAccount] = useState<string | null | undefined>(undefined);
  const [switching, setSwitching] = useState(false);

  useEffect(() => {
    let live = true;
    void device.currentClerkAccount().then((a) => live && setAccount(a));
    return () => {
      live = false;
    };
  }, [device, clerk]);

  if (account === undefined) return null;
  if (switching || clerk === null || account === null) {
    return (
      <Suspense fallback={<p role="status">正在打开登录…</p>}>
        <SignInScreen
        credentials={clerkCredentials}
        device={device}
        onSignedIn={async (c) => {
          await setClerk(c.displayName, c.username);
          setAccount(c.username);
          setSwitching(false);
        }}
        />
      </Suspense>
    );
  }
  return (
    <section className="shift-bar" aria-label="当班经办人" data-testid="shift-bar">
      <div className="shift-line">
        <h2 className="shift-title">当班经办人</h2>
        <strong className="shift-clerk" data-testid="current-clerk">
          {clerk}
        </strong>
        <button type="button" className="button button-quiet" onClick={() => setSwitching(true)}>
          换班
        </button>
        <span className="shift-device">
          本机编号 <code data-testid="device-id">{deviceId}</code>
        </span>
      </div>
    </section>
  );
}
