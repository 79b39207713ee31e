// Zod compiles fast object parsers with `new Function` after probing whether eval is allowed; under
// the server's CSP (no 'unsafe-eval') the probe is reported as a violation on every page load. The
// probe runs when the first z.object() is built, while the app's modules evaluate, so the setting
// must exist before them: zod reads its global config from this property and keeps what it finds.
// Jitless parsing gives the same results. Loaded as a module script before the app's entry (module
// scripts run in document order); a separate file because the CSP refuses inline scripts.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
