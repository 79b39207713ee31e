/** `package.json` version + build id (git commit or BUILD_ID), defined by vite.config.ts. */
declare const __APP_VERSION__: string;
