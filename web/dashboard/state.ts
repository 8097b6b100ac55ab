import { computed, signal } from '@preact/signals';

const STORAGE_KEY = 'convoy.principal';

const stored = (): string | null => {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
};

/** Who the dashboard acts as (the embedded API's principal header); chosen in the picker. */
export const principal = signal<string>(
  new URLSearchParams(location.search).get('as') ?? stored() ?? 'viewer',
);
/** Whether the person picked a principal (or the URL named one): otherwise the first release manager is taken. */
export const principalChosen = signal<boolean>(principal.value !== 'viewer');

export const choosePrincipal = (name: string): void => {
  principal.value = name;
  principalChosen.value = true;
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // storage off: the choice lasts for this page
  }
};

/** The catalog's role mappings, once loaded: principal → roles. */
export const roles = signal<{ principal: string; roles: string[] }[]>([]);

export const rolesOf = (name: string): string[] => {
  const exact = roles.value.find((r) => r.principal === name);
  return exact?.roles ?? roles.value.find((r) => r.principal === '*')?.roles ?? [];
};

export const isReleaseManager = computed(() => rolesOf(principal.value).includes('release-manager'));

/** The location hash, e.g. `#/rollouts/ro-1`, as path segments. */
const hashPath = (): string[] =>
  location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));

export const route = signal<string[]>(hashPath());
addEventListener('hashchange', () => {
  route.value = hashPath();
});

export const navigate = (...segments: string[]): void => {
  location.hash = `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
};
