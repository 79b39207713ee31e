import 'fake-indexeddb/auto';
import { configure } from '@testing-library/dom';

// findBy… and waitFor give up after 1 s by default: on a shared two-core machine running the server
// tests beside these, a screen that waits for a real server (Argon2id, scrypt, SQLite) can need more.
configure({ asyncUtilTimeout: 5_000 });
