/**
 * A settings page's data and changes: `load` fetches the page's lists (on mount and after every
 * change), `run` makes a change and reloads; the last failure is kept for the page to show.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Runs a change, then reloads; its error is shown by the page. */
export type Run = (action: () => Promise<unknown>) => Promise<void>;

export function useRun(load: (fail: (error: unknown) => void) => void): {
  run: Run;
  reload(): void;
  error: unknown;
  setError(error: unknown): void;
} {
  const [error, setError] = useState<unknown>(null);
  // The latest load (it may read the page's current props); reload itself stays the same function.
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(() => latest.current(setError), []);
  useEffect(reload, [reload]);
  const run = useCallback<Run>(
    async (action) => {
      setError(null);
      try {
        await action();
        reload();
      } catch (err) {
        setError(err);
      }
    },
    [reload],
  );
  return { run, reload, error, setError };
}

/**
 * One form's submit over its page's `run` (two forms on one page): the failure still reaches the
 * page's banner, and this form alone keeps it to show at its own fields.
 */
export function useFormRun(run: Run): { run: Run; error: unknown } {
  const [error, setError] = useState<unknown>(null);
  const submit = useCallback<Run>(
    (action) =>
      run(async () => {
        setError(null);
        try {
          await action();
        } catch (err) {
          setError(err);
          throw err;
        }
      }),
    [run],
  );
  return { run: submit, error };
}
