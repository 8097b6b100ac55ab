/**
 * A command's action, loaded when the command runs. Commander needs only the declarations (names,
 * arguments, options, descriptions) to parse a command line and print help; the implementations, and
 * what they import (the domain, zod, yaml, luxon, lib/local, the AWS SDK), load for the command that
 * runs and for no other. `convoy --version` and `convoy status` start quickly that way
 * (test/integration/cli/startup.test.ts keeps it so).
 */
export const lazy =
  <Args extends unknown[]>(load: () => Promise<(...args: Args) => Promise<void> | void>) =>
  async (...args: Args): Promise<void> => {
    const action = await load();
    await action(...args);
  };
