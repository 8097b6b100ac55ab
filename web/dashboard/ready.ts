import { useEffect } from 'preact/hooks';

/**
 * Marks a view's first meaningful paint: its data is on screen. Tests read the `convoy:ready:<view>`
 * performance mark and wait for `[data-ready]`.
 */
export const useReady = (view: string, ready: boolean): void => {
  useEffect(() => {
    if (!ready || performance.getEntriesByName(`convoy:ready:${view}`).length > 0) return;
    requestAnimationFrame(() => {
      performance.mark(`convoy:ready:${view}`);
    });
  }, [view, ready]);
};
