import type { ComponentChildren } from 'preact';
import { hintFor, type ApiError } from './api.ts';

/** An API error as a person reads it: the problem's title and detail, and what to do. */
export const ProblemBox = ({ error, action }: { error: ApiError; action?: string }) => {
  const { problem } = error;
  return (
    <div class="problem" role="alert">
      <strong>
        {action ? `${action} failed: ` : ''}
        {problem.title ?? 'Error'}
        {problem.status > 0 ? ` (${problem.status}${problem.code ? ` ${problem.code}` : ''})` : ''}
      </strong>
      <p class="detail">{problem.detail ?? 'No detail was given.'}</p>
      {problem.problems && problem.problems.length > 0 ? (
        <ul>
          {problem.problems.map((p, i) => (
            <li key={i}>
              {p.path ? <code>{p.path}</code> : null} {p.message ?? p.code}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="hint">What to do: {hintFor(problem)}</p>
    </div>
  );
};

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    Loading {what}…
  </p>
);

/** A coloured state label: `tone` picks the colour (ok, warn, bad, info, muted). */
export const Badge = ({ tone, children }: { tone: string; children: ComponentChildren }) => (
  <span class={`badge ${tone}`}>{children}</span>
);

export const when = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

export const Section = ({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) => (
  <section>
    <div class="section-head">
      <h2>{title}</h2>
      {actions}
    </div>
    {children}
  </section>
);

/** A table's header row: one column header per label. */
export const TableHead = ({ columns }: { columns: string[] }) => (
  <thead>
    <tr>
      {columns.map((c) => (
        <th scope="col" key={c}>
          {c}
        </th>
      ))}
    </tr>
  </thead>
);
