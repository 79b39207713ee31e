import { AppShell } from './AppShell';
import { HomeScreen } from './HomeScreen';
import type { ServiceWorkerUpdater } from './sw-registration';

/** The app: the shell and, for now, its one screen. Routing to feature screens goes here. */
export function App({ updater }: { updater: ServiceWorkerUpdater }) {
  return (
    <AppShell updater={updater}>
      <HomeScreen />
    </AppShell>
  );
}
