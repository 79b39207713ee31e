import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const THEME_COLOR = '#1f5136';
const BACKGROUND_COLOR = '#f4f6f3';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The build id ties a tablet's screen to the commit it runs: BUILD_ID from CI when set, else the
// git commit; a build outside git (an unpacked tarball) says so rather than inventing one.
function buildId(): string {
  if (process.env.BUILD_ID) return process.env.BUILD_ID;
  try {
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'nogit';
  }
}

const APP_VERSION = `${pkg.version}+${buildId()}`;

/**
 * The app's modules are requested only after the static shell's first paint, by the dynamic imports
 * of src/app/main.tsx, so index.html must not name them in <link rel="modulepreload">. It lists them
 * instead in a JSON block (not executed, so the CSP allows it): those imports' chunks and everything
 * they import, dependencies first. This is the first screen's script, which the bench counts and an
 * e2e test holds against what the page fetched.
 */
function appModuleList(): Plugin {
  return {
    name: 'jiexu-app-module-list',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.moduleIds.some((id) => id.endsWith('/src/app/main.tsx')));
        if (!entry || entry.type !== 'chunk') throw new Error('jiexu-app-module-list: the build has no entry chunk for src/app/main.tsx');
        const seen = new Set<string>();
        const files: string[] = [];
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          if (seen.has(fileName) || !chunk || chunk.type !== 'chunk' || chunk.isEntry) return;
          seen.add(fileName);
          chunk.imports.forEach(visit);
          files.push(fileName);
        };
        entry.dynamicImports.forEach(visit);
        return {
          html,
          tags: [{ tag: 'script', attrs: { type: 'application/json', id: 'app-modules' }, children: JSON.stringify(files.map((f) => `/${f}`)), injectTo: 'body' }],
        };
      },
    },
  };
}

/**
 * Dexie's package entry wraps its ES5 UMD build; its ES2018 module build is the same library in less
 * code to compile and run, and Dexie is evaluated on the first screen. Every import of 'dexie',
 * dexie-react-hooks' included, resolves to it, so there is one copy; the tests use it too.
 */
export const dexieModuleBuild = { find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' };

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(APP_VERSION),
  },
  resolve: { alias: [dexieModuleBuild] },
  build: {
    // Tablets run current Chromium or Safari; no legacy transforms, smaller first screen.
    target: 'es2022',
    // One stylesheet, linked from index.html: the static shell is styled before any script runs,
    // and a screen loaded later never shifts when its own CSS arrives (about 5 KB gzip in all).
    cssCodeSplit: false,
    // No <link rel="modulepreload"> added by script before a dynamic import: main.tsx requests every
    // module of the first screen at once and the browser fetches their imports itself. Each link
    // costs a slow tablet's main thread more than the import it spares.
    modulePreload: false,
  },
  plugins: [
    react(),
    appModuleList(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      // We register with workbox-window ourselves (src/app/sw-registration.ts), in prompt mode.
      injectRegister: false,
      registerType: 'prompt',
      // Each file precached exactly once: icons come from the glob, not from the manifest list.
      includeManifestIcons: false,
      manifest: {
        name: '退役士兵社保接续 · 窗口受理',
        short_name: '社保接续',
        description: '内蒙古退役士兵社会保险接续（内政办字〔2019〕43号）窗口受理：登记、测算、补缴核对，离线可用，联网后同步至县局。',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        id: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME_COLOR,
        background_color: BACKGROUND_COLOR,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // No webmanifest here: the plugin adds it to the precache itself (see toolchain traps).
        globPatterns: ['**/*.{js,css,html,png,svg,ico,woff2}'],
        // The county page's charts are drawn online only: half a megabyte a tablet never needs offline.
        globIgnores: ['**/echarts-setup-*.js'],
        // A classic (non-module) worker script: registers everywhere without `type: 'module'`.
        rollupFormat: 'iife',
      },
      devOptions: { enabled: false },
    }),
  ],
});
