import { get } from './api.ts';
import { SignedIn, signedInAs } from './identity.tsx';
import { Loading, ProblemBox } from './components.tsx';
import { choosePrincipal, principal, principalChosen, roles, route } from './state.ts';
import { useLoad } from './use-api.ts';
import { AuditView } from './views/audit.tsx';
import { CalendarView } from './views/calendar.tsx';
import { DependenciesView } from './views/dependencies-entry.tsx';
import { FlagsView } from './views/flags.tsx';
import { ReleasesView } from './views/releases.tsx';
import { RolloutsView } from './views/rollouts.tsx';

interface CatalogAnswer {
  catalog: { roles?: { principal: string; roles: string[] }[]; environments?: { name: string }[] };
}

const views = [
  { id: 'releases', label: 'Releases & environments' },
  { id: 'rollouts', label: 'Rollouts' },
  { id: 'calendar', label: 'Freeze calendar' },
  { id: 'dependencies', label: 'Dependencies' },
  { id: 'flags', label: 'Flags' },
  { id: 'audit', label: 'Audit' },
] as const;

const PrincipalPicker = ({ names }: { names: { principal: string; roles: string[] }[] }) => (
  <label class="picker">
    Acting as
    <select
      value={principal.value}
      onChange={(e) => {
        choosePrincipal(e.currentTarget.value);
      }}
    >
      {names.some((n) => n.principal === principal.value) ? null : (
        <option value={principal.value}>{principal.value}</option>
      )}
      {names.map((n) => (
        <option key={n.principal} value={n.principal}>
          {n.principal} ({n.roles.join(', ')})
        </option>
      ))}
    </select>
  </label>
);

/** Read the catalog; with no principal chosen yet, act as its first release manager (the usual reader). */
const loadCatalog = async (): Promise<CatalogAnswer> => {
  const answer = await get<CatalogAnswer>('/catalog');
  const mappings = answer.catalog.roles ?? [];
  roles.value = mappings;
  const manager = mappings.find((m) => m.roles.includes('release-manager') && !/[:*]/.test(m.principal));
  if (!principalChosen.value && manager) principal.value = manager.principal;
  return answer;
};

export const App = () => {
  // Loaded once: the catalog lists the principals, whoever reads it.
  const catalog = useLoad('catalog', loadCatalog, undefined, false);
  const mappings = (catalog.data?.catalog.roles ?? []).filter((r) => r.principal !== '*');
  const environments = (catalog.data?.catalog.environments ?? []).map((e) => e.name);

  const [view = 'releases', ...rest] = route.value;
  let body;
  if (catalog.error && !catalog.data)
    body = <ProblemBox error={catalog.error} action="Loading the catalog" />;
  else if (!catalog.data) body = <Loading what="the catalog" />;
  else if (view === 'rollouts') body = <RolloutsView id={rest[0]} />;
  else if (view === 'flags')
    body = <FlagsView environments={environments} env={rest[0] ?? environments[0] ?? ''} />;
  else if (view === 'calendar') body = <CalendarView />;
  else if (view === 'audit') body = <AuditView environments={environments} />;
  else if (view === 'dependencies') body = <DependenciesView />;
  else body = <ReleasesView environments={environments} />;

  return (
    <>
      <header>
        <h1>Convoy</h1>
        <nav aria-label="Views">
          {views.map((v) => (
            <a key={v.id} href={`#/${v.id}`} aria-current={v.id === view ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        {signedInAs.value === null ? <PrincipalPicker names={mappings} /> : <SignedIn />}
      </header>
      <main>{body}</main>
    </>
  );
};
