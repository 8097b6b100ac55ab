import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_API_URL } from '#api/client.ts';
import { registerAlarm } from './commands/alarm.ts';
import { registerAudit } from './commands/audit.ts';
import { registerBundle } from './commands/bundle.ts';
import { registerCatalog } from './commands/catalog.ts';
import { registerConfig } from './commands/config.ts';
import { registerDeploy } from './commands/deploy.ts';
import { registerDeps } from './commands/deps.ts';
import { registerFlag } from './commands/flag.ts';
import { registerFreeze } from './commands/freeze.ts';
import { registerImpact } from './commands/impact.ts';
import { registerOverride } from './commands/override.ts';
import { registerRelease } from './commands/release.ts';
import { registerReport } from './commands/report.ts';
import { registerRollout } from './commands/rollout.ts';
import { registerService } from './commands/service.ts';
import { registerStatus } from './commands/status.ts';
import { registerSync } from './commands/sync.ts';
import { registerUp } from './commands/up.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  rejected: validation, authorization, freeze, not found, a broken audit chain,
     unexplained changes in a freeze report
  2  usage (bad flags or arguments, unreadable or malformed input)
  3  conflict or retry (HEAD moved, If-Match failed, API unreachable or busy)`;

const packageVersion = (): string => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
};

/** The `convoy` command line. Commands are thin: parse, call the API (or the domain), print. */
export const buildProgram = (): Command => {
  const program = new Command('convoy')
    .description('Convoy: release-oriented configuration management')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--api <url>', 'Convoy API URL').env('CONVOY_API_URL').default(DEFAULT_API_URL))
    .addOption(
      new Option('--as <principal>', 'act as this principal (default: your OS user name)').env(
        'CONVOY_PRINCIPAL',
      ),
    )
    .option('--json', 'print machine-readable JSON', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerUp(program);
  registerCatalog(program);
  registerBundle(program);
  registerDeploy(program);
  registerFreeze(program);
  registerOverride(program);
  registerRollout(program);
  registerAlarm(program);
  registerConfig(program);
  registerFlag(program);
  registerService(program);
  registerStatus(program);
  registerSync(program);
  registerAudit(program);
  registerReport(program);
  registerImpact(program);
  registerDeps(program);
  registerRelease(program);
  return program;
};
