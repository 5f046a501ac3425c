import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ChatSummary } from './api';

const REFRESH_MS = 5_000;

/** The account's chats, newest first, refreshed on focus, on an interval and on demand. */
export function useChats() {
  const [chats, setChats] = useState<ChatSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  const again = useRef(false);

  const refresh = useCallback((): Promise<void> => {
    if (inFlight.current) {
      // why: the list in flight may predate what the caller just changed: fetch once more after it.
      again.current = true;
      return inFlight.current;
    }
    inFlight.current = api
      .listChats()
      .then((list) => {
        setChats(list);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        inFlight.current = null;
        if (again.current) {
          again.current = false;
          void refresh();
        }
      });
    return inFlight.current;
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, [refresh]);

  return { chats, error, refresh, setChats };
}
