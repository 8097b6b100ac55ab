#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Node keeps the type-stripped, compiled modules of earlier runs (in os.tmpdir()/node-compile-cache,
// checked against each file's contents; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command then starts
// without stripping and compiling lib/cli again. The commands load lazily (lib/cli/lazy.ts).
enableCompileCache();

// `convoy ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Imported once the cache is on: a static import would load (and compile) before it.
const { runCli } = await import('#cli/run.ts');
process.exitCode = await runCli(process.argv);
