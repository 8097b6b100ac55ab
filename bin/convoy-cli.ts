#!/usr/bin/env node
import { runCli } from '../lib/cli/run.ts';

process.exitCode = await runCli(process.argv);
