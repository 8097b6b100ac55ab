import { cases } from './test/bench/cases/freeze.ts';
const t = performance.now();
const s = (await cases[0]!.run()).sort((a, b) => a - b);
console.log('median', s[s.length >> 1], 'p90', s[Math.floor(s.length * 0.9)], 'total', performance.now() - t, (globalThis as any).EXP, (globalThis as any).EXPD);
