import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from './api.ts';
import { principal } from './state.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError
    ? error
    : new ApiError({ status: 500, title: 'Unexpected answer', detail: String(error) });

/**
 * Load `loader` when the principal or `key` changes; with `pollMs`, again every pollMs, keeping the
 * last data when a poll fails (the error is shown beside it). `key` null: nothing to load.
 * `followPrincipal` false: a new principal does not reload it (the catalog that lists them).
 */
export const useLoad = <T>(
  key: string | null,
  loader: () => Promise<T>,
  pollMs?: number,
  followPrincipal = true,
): Resource<T> => {
  // Data and error are kept with the key they were loaded for: another key never shows them.
  const [loaded, setLoaded] = useState<{ key: string | null; data: T } | undefined>(undefined);
  const [failed, setFailed] = useState<{ key: string | null; error: ApiError } | undefined>(undefined);
  const data = loaded?.key === key ? loaded.data : undefined;
  const error = failed?.key === key ? failed.error : undefined;
  const [loading, setLoading] = useState<boolean>(key !== null);
  const [tick, setTick] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  // Read outside the effect so that a new principal re-renders and (if followed) reloads.
  const who = followPrincipal ? principal.value : '';

  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLoading(true);
    const run = async (): Promise<void> => {
      try {
        const next = await loaderRef.current();
        if (!live) return;
        setLoaded({ key, data: next });
        setFailed(undefined);
      } catch (caught) {
        if (live) setFailed({ key, error: asApiError(caught) });
      } finally {
        if (live) setLoading(false);
      }
      if (live && pollMs !== undefined) timer = setTimeout(() => void run(), pollMs);
    };
    void run();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, who, tick, pollMs]);

  const reload = useCallback(() => {
    setTick((t) => t + 1);
  }, []);
  return { data, error, loading, reload };
};

/** GET one path (polled with If-None-Match when pollMs is given: an unchanged ETag keeps the data). */
export const useGet = <T>(path: string | null, pollMs?: number): Resource<T> => {
  const etag = useRef<{ path: string | null; etag: string | null; data: T | undefined }>({
    path: null,
    etag: null,
    data: undefined,
  });
  return useLoad<T>(
    path,
    async () => {
      const last = etag.current.path === path ? etag.current : undefined;
      const answer = await request<T>('GET', path ?? '/', { etag: last?.etag ?? null });
      // 304, or the same ETag on a server that answers 200 anyway: the data is unchanged.
      if (last && (answer.status === 304 || (answer.etag !== null && answer.etag === last.etag)))
        return last.data as T;
      etag.current = { path, etag: answer.etag, data: answer.data };
      return answer.data as T;
    },
    pollMs,
  );
};
