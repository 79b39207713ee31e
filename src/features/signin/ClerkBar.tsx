// 当班经办人 above the screens of an unlocked tablet: who is on shift, and 下班 / 换班 to end his shift
// (the next clerk signs in on the lock screen). A tablet not enrolled shows its own bar (features/shift).
import { useEffect, useState } from 'react';
import { useLockStore } from '../../app/lock';
import { useClerk, useRepositories } from '../../app/providers';
import { ShiftBar } from '../shift';
import { useTabletSyncState } from '../sync/store';
import '../shift/shift.css';

export function ClerkBar() {
  const state = useTabletSyncState();
  if (!state?.loaded) return null;
  return state.enrolment ? <SignedInClerkBar /> : <ShiftBar />;
}

function SignedInClerkBar() {
  const { clerk } = useClerk();
  const { device, deviceId } = useRepositories();
  const enrolment = useTabletSyncState()?.enrolment;
  const lock = useLockStore();
  // Enrolling gives the tablet the id the county assigned: the one opened with the page may be stale.
  const [shownId, setShownId] = useState(deviceId);
  useEffect(() => {
    let live = true;
    void device.getOrCreateDevice().then((d) => live && setShownId(d.deviceId));
    return () => {
      live = false;
    };
  }, [device, enrolment]);
  return (
    <section className="shift-bar" aria-label="当班经办人" data-testid="shift-bar">
      <div className="shift-line">
        <h2 className="shift-title">当班经办人</h2>
        <strong className="shift-clerk" data-testid="current-clerk">
          {clerk}
        </strong>
        {lock && (
          // Handing over and going home are the same end of the shift: one button, named both ways,
          // so that a clerk leaving with no one after him does not just lock and leave it open.
          <button type="button" className="button button-quiet" onClick={() => lock.dispatch({ type: 'sign-out' })}>
            下班 / 换班
          </button>
        )}
        <span className="shift-device">
          本机编号 <code data-testid="device-id">{shownId}</code>
        </span>
      </div>
    </section>
  );
}
