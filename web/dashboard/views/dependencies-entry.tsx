import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import { ApiError } from '../api.ts';
import { Loading, ProblemBox } from '../components.tsx';

/**
 * The Dependencies view, loaded when first shown: the graph view and its layout library are a chunk
 * of their own, so that the other views' first paint does not parse them.
 */
export const DependenciesView = () => {
  const [view, setView] = useState<{ View: ComponentType } | undefined>(undefined);
  const [failed, setFailed] = useState<ApiError | undefined>(undefined);
  useEffect(() => {
    import('./dependencies.tsx').then(
      (module) => {
        setView({ View: module.DependenciesView });
      },
      (error: unknown) => {
        const detail = `The dependencies view did not load: ${String(error)}`;
        setFailed(new ApiError({ status: 0, title: 'Loading failed', detail }));
      },
    );
  }, []);
  if (failed) return <ProblemBox error={failed} action="Opening the dependencies view" />;
  return view ? <view.View /> : <Loading what="the dependencies view" />;
};
