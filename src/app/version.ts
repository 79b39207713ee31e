/** The version of the running app: package.json version + build id, fixed at build time. */
export function appVersion(): string {
  return __APP_VERSION__;
}
