import { cases } from './test/bench/cases/freeze.ts';
const s = (await cases[0]!.run()).sort((a, b) => a - b);
console.log('median', s[s.length >> 1], 'p90', s[Math.floor(s.length * 0.9)]);
