/**
 * `node --import ./module-recorder.ts ...`: records the URL of every module the process loads (ESM
 * imports and CommonJS requires alike) and writes them, one a line, to $CONVOY_MODULE_LOG on exit.
 * startup.test.ts uses it to check what `convoy --version` and `convoy status` bring in.
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded: string[] = [];
registerHooks({
  load: (url, context, nextLoad) => {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  const file = process.env.CONVOY_MODULE_LOG;
  if (file) writeFileSync(file, `${loaded.join('\n')}\n`);
});
