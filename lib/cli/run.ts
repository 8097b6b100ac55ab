import { CommanderError } from 'commander';
import { takeExitCode } from './context.ts';
import { CliError, exitCodes } from './exit-codes.ts';
import { createOutput } from './output.ts';
import { buildProgram } from './program.ts';

/** Run `convoy` with `argv` (as process.argv); resolves to the exit code. */
export const runCli = async (argv: readonly string[]): Promise<number> => {
  const json = argv.includes('--json');
  const program = buildProgram();
  if (json) program.configureOutput({ writeErr: () => undefined });
  try {
    await program.parseAsync([...argv]);
    return takeExitCode();
  } catch (error) {
    const out = createOutput(json);
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return exitCodes.ok; // --help, --version
      if (json) out.error(new CliError(error.message.replace(/^error: /, ''), exitCodes.usage));
      return exitCodes.usage;
    }
    if (error instanceof CliError) {
      out.error(error);
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    out.note(`Unexpected error: ${message}`);
    return exitCodes.rejected;
  }
};
