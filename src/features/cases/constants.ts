// Numbers the case list is built on, apart from the screen so the search bench can use the same.

/** Fixed row height (px) of the virtual list: two lines of text and the touch padding. */
export const ROW_HEIGHT = 84;
/** Search results shown at most (newest first); the status line says when there are more. */
export const SEARCH_LIMIT = 100;
/** Typing pauses this long before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;
