/**
 * A value built on first use and kept. Tables and schemas that a module would otherwise build while
 * it loads are made this way: a tablet opening its first screen needs few of them, and module loading
 * is one task the clerk's touches must wait behind.
 */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}
