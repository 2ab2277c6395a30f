/** A set of listeners, and the `on…(listener)` method that adds one and returns its removal. */
export function listeners<T>(): { notify: (value: T) => void; on: (listener: (value: T) => void) => () => void } {
  const set = new Set<(value: T) => void>();
  return {
    // One that throws is reported as an uncaught error (as an event listener's would be), not as our rejection, and the others still run.
    notify(value) {
      for (const listener of set) {
        try {
          listener(value);
        } catch (error) {
          reportError(error);
        }
      }
    },
    on(listener) {
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
}
