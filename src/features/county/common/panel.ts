import type { AdminApi } from '../api';

/** What every screen of the county page is given by the shell. */
export interface PanelProps {
  api: AdminApi;
  /** Called when the server says the session is over: the shell shows the sign-in again. */
  onSignedOut(): void;
}
