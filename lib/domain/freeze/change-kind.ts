import { z } from 'zod';

/** The kinds of change a freeze window governs. */
export const changeKinds = ['deploy', 'rollback', 'flag', 'flag-kill-switch', 'rollout-phase'] as const;
export const changeKindSchema = z.enum(changeKinds);
export type ChangeKind = z.infer<typeof changeKindSchema>;

export const freezeLevels = ['hard', 'soft'] as const;
export const freezeLevelSchema = z.enum(freezeLevels);
/** `hard`: only an emergency override passes. `soft`: one approval passes. */
export type FreezeLevel = z.infer<typeof freezeLevelSchema>;

/** The stricter of two levels (hard > soft > none). */
export const stricter = (a: FreezeLevel | null, b: FreezeLevel | null): FreezeLevel | null =>
  a === 'hard' || b === 'hard' ? 'hard' : (a ?? b);
