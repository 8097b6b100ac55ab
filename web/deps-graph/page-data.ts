import type { Subgraph } from '#domain/dependencies/graph-model.ts';

/** The part of `POST /impact`'s answer the page highlights (lib/domain/dependencies/impact-model.ts). */
export interface EmbeddedImpact {
  /** What was asked: `name@version` or a file name. */
  of: string;
  changed: string[];
  affected: { id: string }[];
  flags: string[];
  services: { service: string; team?: string; runs: { environment: string }[] }[];
  teams: string[];
  environments: string[];
  summary: string;
  plan?: { signOff: string[] };
}

/** What `convoy deps graph --format html` embeds in the page as JSON. */
export interface GraphPageData {
  title: string;
  graph: Subgraph;
  focus?: string;
  depth?: number;
  kinds?: string[];
  impact?: EmbeddedImpact;
}
