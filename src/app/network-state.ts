// Whether the tablet has a network, as the browser sees it: `navigator.onLine` and its
// online/offline events. "Online" only means a network interface is up; the sync client still
// has to find out whether the county server answers.
import { useSyncExternalStore } from 'react';

export interface NetworkState {
  online: boolean;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

const getOnline = () => navigator.onLine;

export function useNetworkState(): NetworkState {
  const online = useSyncExternalStore(subscribe, getOnline, () => true);
  return { online };
}
