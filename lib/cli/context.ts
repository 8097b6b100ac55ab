import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createApiClient, type ApiClient } from '#api/client.ts';
import { createOutput, type Output } from './output.ts';

export interface GlobalOptions {
  api: string;
  as?: string;
  json?: boolean;
}

export interface CommandContext {
  out: Output;
  json: boolean;
  apiUrl: string;
  principal: string;
  client(): ApiClient;
  /** The exit code the command ends with when it does not throw (e.g. 1 for a failed validation). */
  setExitCode(code: number): void;
}

const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'anonymous';
  }
};

let exitCode = 0;
export const takeExitCode = (): number => {
  const code = exitCode;
  exitCode = 0;
  return code;
};

/** The global options (--api, --as, --json) and what commands build from them. */
export const contextOf = (command: Command): CommandContext => {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const principal = globals.as ?? osUser();
  let client: ApiClient | undefined;
  return {
    out: createOutput(json),
    json,
    apiUrl: globals.api,
    principal,
    client: () => (client ??= createApiClient({ baseUrl: globals.api, principal })),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
};
