import type { DeploymentRecord } from '#domain/environments/head.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { isTerminal } from '#domain/rollout/state.ts';
import type { CallResult, TestApi } from '../../support/api.ts';
import { outsideFaults } from './faults.ts';
import { config, type ChaosWorld } from './world.ts';

/** Faults injected and invariant checks made over the suite (printed at its end). */
export const tally = { faults: 0, checks: 0, cases: 0 };

/**
 * The invariants one chaos case must keep. Each check is counted; a broken one is recorded with the
 * case's name (all of a test's cases run, then every broken invariant is reported at once).
 */
export class Invariants {
  readonly failures: string[] = [];
  private readonly world: ChaosWorld;
  private readonly label: string;

  constructor(world: ChaosWorld, label: string) {
    this.world = world;
    this.label = label;
    tally.cases += 1;
  }

  get api(): TestApi {
    return this.world.api;
  }

  check(name: string, holds: boolean, detail?: unknown): void {
    tally.checks += 1;
    if (!holds)
      this.failures.push(`${this.label}: ${name}${detail === undefined ? '' : ` ${JSON.stringify(detail)}`}`);
  }

  /**
   * (a) HEAD points at a complete snapshot, read through the store and the config route, and its
   * configuration is one of `allowed` (the state before or after the operation).
   */
  async headComplete(env: string, allowed: readonly string[]): Promise<void> {
    await outsideFaults(async () => {
      const head = await this.api.store.environments.getHead(env);
      this.check('HEAD exists', head !== undefined, { env });
      if (head === undefined) return;
      // The blob store reads every chunk and checks the content hash against the address.
      const stored = await this.api.store.snapshots.getSnapshot(head.snapshot).then(
        (snapshot) => ({ ok: Array.isArray(snapshot.bundles), error: undefined }),
        (error: unknown) => ({ ok: false, error: String(error) }),
      );
      this.check('HEAD snapshot is stored completely', stored.ok, { env, error: stored.error });
      const read = await config(this.api, env);
      this.check('config route answers 200', read.status === 200, {
        env,
        status: read.status,
        text: read.text,
      });
      this.check('config is the old or the new one', allowed.includes(read.text), { env, text: read.text });
    });
  }

  /** (b) Every configuration a concurrent reader saw was the old or the new one, never a mix. */
  readersSawWholeChanges(seen: readonly CallResult[], allowed: readonly string[]): void {
    this.check('readers were served', seen.length > 0);
    for (const read of seen) {
      this.check('reader got 200', read.status === 200, { status: read.status, text: read.text });
      this.check('reader saw a whole configuration', allowed.includes(read.text), { text: read.text });
    }
  }

  /**
   * (c) Every acknowledged (2xx) change is there: its deployment record is listed, and HEAD's history
   * (the records, one per HEAD version) holds it at its version. Returns the environment's records.
   */
  async acknowledgedAreThere(env: string, deploymentIds: readonly string[]): Promise<DeploymentRecord[]> {
    return outsideFaults(async () => {
      const listed = await this.api.call('GET', `/environments/${env}/deployments`);
      this.check('deployments are listed', listed.status === 200, { status: listed.status });
      const records = (listed.json?.deployments ?? []) as DeploymentRecord[];
      const head = await this.api.store.environments.getHead(env);
      const versions = records.map((r) => r.headVersion).sort((a, b) => a - b);
      this.check(
        'HEAD history is contiguous',
        versions.every((v, i) => v === i + 1) && versions.length === (head?.version ?? 0),
        { versions, head: head?.version },
      );
      for (const id of deploymentIds) {
        const record = records.find((r) => r.id === id);
        this.check('acknowledged deployment is listed', record !== undefined, { env, id });
        const stored = await this.api.store.environments.getDeployment(env, id);
        this.check(
          'acknowledged deployment is in HEAD history',
          stored?.headVersion === record?.headVersion,
          {
            env,
            id,
          },
        );
      }
      return records;
    });
  }

  /**
   * (d) `GET /audit/verify` is ok: for the whole trail, or (cases running side by side, another case's
   * chain may be mid-write during the scan) for the chains of `environments` and the registry, from one
   * verification of the whole table.
   */
  async auditVerifies(environments?: readonly string[]): Promise<void> {
    const verified = await outsideFaults(() => this.api.call('GET', '/audit/verify'));
    this.check('audit verify answers 200', verified.status === 200, { status: verified.status });
    const report = verified.json as {
      ok: boolean;
      chains: { chain: string; ok: boolean }[];
      findings: { chain: string; code: string; message: string }[];
    };
    if (environments === undefined) {
      this.check('audit verifies', report.ok, report.findings);
      return;
    }
    for (const env of environments) {
      const chain = report.chains.find((c) => c.chain === env);
      this.check('audit chain verifies', chain?.ok === true, { env, chain });
    }
    const findings = report.findings.filter((f) => f.chain === '' || environments.includes(f.chain));
    this.check('audit has no findings', findings.length === 0, findings);
  }

  /** (e) The override was used at most once, by the deployment acknowledged for it (if any). */
  async overrideUsedOnce(id: string, env: string, acknowledged: readonly string[]): Promise<void> {
    await outsideFaults(async () => {
      const stored = await this.api.store.overrides.get(id);
      const uses = stored?.override.uses ?? [];
      this.check('override used at most once', uses.length <= 1, { id, uses });
      const records = await this.api.store.environments.listDeployments(env);
      const through = records.filter((r) => r.overrideId === id);
      this.check('at most one deployment went through the override', through.length <= 1, {
        id,
        through: through.map((r) => r.id),
      });
      for (const ack of acknowledged) {
        this.check('the override use names the acknowledged deployment', uses[0]?.deploymentId === ack, {
          id,
          ack,
          uses,
        });
      }
    });
  }

  /**
   * (f) No rollout is live (not ended) without an execution started in the workflow double: every
   * rollout of the table, or those of `ids`.
   */
  async everyRolloutHasAWorkflow(ids?: readonly string[]): Promise<void> {
    await outsideFaults(async () => {
      const started = new Set(this.api.integrations.started.map((s) => s.name));
      const summaries = await this.api.store.rollouts.list(1000);
      for (const summary of summaries.filter((s) => ids === undefined || ids.includes(s.rolloutId))) {
        // A rollout whose workflow started is fine whatever its state; read the others' streams.
        if (started.has(summary.rolloutId)) continue;
        const state = reduceRollout(await this.api.store.rollouts.events(summary.rolloutId));
        const live = !isTerminal(state.status);
        const execution = state.executionName ?? summary.rolloutId;
        this.check('no live rollout without a workflow', !live || started.has(execution), {
          rolloutId: summary.rolloutId,
          status: state.status,
        });
      }
    });
  }
}

/** Poll GET …/config of `envs` in turn (outside the fault scope) until stopped; returns every answer. */
export const watchConfig = (api: TestApi, envs: readonly string[]): { stop(): Promise<CallResult[]> } => {
  const seen: CallResult[] = [];
  let stopped = false;
  const loop = outsideFaults(async () => {
    for (let i = 0; envs.length > 0 && (!stopped || i < envs.length); i += 1) {
      seen.push(await api.call('GET', `/environments/${envs[i % envs.length]}/config`));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  });
  return {
    async stop() {
      stopped = true;
      await loop;
      return seen;
    },
  };
};
