// The 同步 screen inside the app, with the device's cases for the list of cases needing attention.
import { useRepositories } from '../../app/providers';
import { SyncScreen } from './SyncScreen';

export function SyncRoute() {
  const { cases, tabletSync } = useRepositories();
  return <SyncScreen service={tabletSync} cases={cases} />;
}
