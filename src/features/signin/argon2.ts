// The WebAssembly Argon2id, in a module of its own: pin.ts imports it only when a PIN is set or
// checked, so the ~30 KB of WebAssembly stays out of the first screen's JavaScript.
export { argon2id, argon2Verify } from 'hash-wasm';
