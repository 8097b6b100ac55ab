import type { DependenciesResponse } from '#api/dependencies.ts';
import type { ReleaseListResponse, ReleaseResponse } from '#api/releases.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { mountGraphView, type GraphView } from '../../deps-graph/graph-view.ts';
import { impactSetOf, type ImpactSet } from '../../deps-graph/impact-set.ts';
import { ApiError, get, post, seg } from '../api.ts';
import { Loading, ProblemBox, Section } from '../components.tsx';
import { useReady } from '../ready.ts';
import { useGet } from '../use-api.ts';

/** `POST /impact` of some bundles (a bundle, or a release's), as the graph highlights it. */
const impactOf = async (label: string, bundles: string[]): Promise<ImpactSet> => {
  const impact = await post<Impact>('/impact', { bundles });
  const set = impactSetOf({ ...impact, of: label });
  for (const bundle of bundles) set.sources.add(`bundle:${bundle}`);
  return set;
};

/** A release's impact: the union of its bundles' changes, asked of `POST /impact` in one call. */
const releaseImpact = async (release: string): Promise<ImpactSet> => {
  const answer = await get<ReleaseResponse>(`/releases/${seg(release)}?validate=false`);
  const bundles = answer.bundles.map((b) => `${b.name}@${b.version}`);
  if (bundles.length === 0)
    throw new ApiError({ status: 422, title: 'Empty release', detail: `No bundle is labelled ${release}.` });
  return impactOf(`release ${release}`, bundles);
};

const KIND_WORDS: [string, string][] = [
  ['team', 'team(s)'],
  ['service', 'service(s)'],
  ['key', 'key(s)'],
  ['flag', 'flag(s)'],
  ['bundle', 'bundle(s)'],
  ['environment', 'environment(s)'],
];

/** What the highlight holds, in words: "12 nodes highlighted: 3 team(s), 2 service(s), …". */
const countText = (impact: ImpactSet): string => {
  const ids = new Set([...impact.ids, ...impact.sources]);
  const parts = KIND_WORDS.map(([kind, word]) => {
    const n = [...ids].filter((id) => id.startsWith(`${kind}:`)).length;
    return n > 0 ? `${n} ${word}` : '';
  }).filter(Boolean);
  return `${ids.size} nodes highlighted: ${parts.join(', ')}.`;
};

/**
 * The dependency graph (web/deps-graph's view, fed by `GET /dependencies`) with an impact overlay
 * for a chosen bundle or release (`POST /impact`), or for a focused service (computed in the page).
 */
export const DependenciesView = () => {
  const graph = useGet<DependenciesResponse>('/dependencies?format=json');
  const releases = useGet<ReleaseListResponse>('/releases?validate=false');
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<GraphView | undefined>(undefined);
  const [impact, setImpact] = useState<ImpactSet | undefined>(undefined);
  const [chosen, setChosen] = useState('');
  const [service, setService] = useState('');
  const [failed, setFailed] = useState<ApiError | undefined>(undefined);

  useEffect(() => {
    if (!graph.data || !host.current) return undefined;
    const mounted = mountGraphView(
      host.current,
      { nodes: graph.data.nodes, edges: graph.data.edges },
      { depth: 2, onImpact: setImpact },
    );
    view.current = mounted;
    return () => {
      mounted.destroy();
      view.current = undefined;
    };
  }, [graph.data]);
  useReady('dependencies', graph.data !== undefined);

  const nodes = graph.data?.nodes ?? [];
  const bundles = nodes.filter((n) => n.kind === 'bundle').map((n) => n.name);
  const services = nodes.filter((n) => n.kind === 'service').map((n) => n.name);

  const chooseImpact = async (value: string): Promise<void> => {
    setChosen(value);
    setFailed(undefined);
    if (value === '') {
      view.current?.setImpact(undefined);
      return;
    }
    try {
      const [kind, name] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
      const next = kind === 'release' ? await releaseImpact(name) : await impactOf(name, [name]);
      view.current?.setImpact(next);
    } catch (error) {
      setFailed(error instanceof ApiError ? error : new ApiError({ status: 500, detail: String(error) }));
    }
  };

  const focusService = (name: string): void => {
    setService(name);
    if (name === '') return;
    setChosen('');
    view.current?.setFocus(`service:${name}`);
    view.current?.impactOfFocus();
  };

  return (
    <div data-view="dependencies" data-ready={graph.data ? 'true' : undefined}>
      <Section title="Dependencies">
        <form
          class="graph-picks"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <label>
            Impact of a bundle or release{' '}
            <select value={chosen} onChange={(e) => void chooseImpact(e.currentTarget.value)}>
              <option value="">none</option>
              <optgroup label="Releases">
                {(releases.data?.releases ?? []).map((r) => (
                  <option key={r.release} value={`release:${r.release}`}>
                    {r.release} ({r.bundles} bundles)
                  </option>
                ))}
              </optgroup>
              <optgroup label="Bundles">
                {bundles.map((b) => (
                  <option key={b} value={`bundle:${b}`}>
                    {b}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label>
            Focus a service{' '}
            <select
              value={service}
              onChange={(e) => {
                focusService(e.currentTarget.value);
              }}
            >
              <option value="">none</option>
              {services.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <p class="impact-count" role="status">
            {impact ? countText(impact) : 'No impact highlighted: choose a bundle, a release or a service.'}
          </p>
        </form>
        {failed ? <ProblemBox error={failed} action="Computing the impact" /> : null}
        {graph.error ? <ProblemBox error={graph.error} action="Loading the dependency graph" /> : null}
        {!graph.data && !graph.error ? <Loading what="the dependency graph" /> : null}
        <div class="graph-host" ref={host} />
      </Section>
    </div>
  );
};
