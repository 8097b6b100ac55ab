// The npm registry reachable here does not serve every platform build of an optional dependency
// (e.g. rollup's darwin/win32 binaries), so `npm install` leaves them out of package-lock.json while
// the parent still lists them, and `npm ci` then refuses the lock as out of sync. Drop optional
// dependencies that the lock cannot resolve; they are for other platforms by construction.
import { readFileSync, writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { URL } from 'node:url';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const resolvable = (from, name) => {
  for (let dir = from; ;) {
    if (packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
};

const dropped = [];
for (const [dir, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies) continue;
  const kept = Object.entries(entry.optionalDependencies).filter(([name]) => resolvable(dir, name));
  dropped.push(...Object.keys(entry.optionalDependencies).filter((name) => !resolvable(dir, name)));
  entry.optionalDependencies = Object.fromEntries(kept);
}
if (dropped.length > 0) {
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  stdout.write(`pruned ${dropped.length} unavailable optional dependencies from package-lock.json\n`);
}
