import type { Linter } from 'eslint';

/** Files under lib/ that still import functions/ (the list only shrinks). */
/** The layer rules as flat-config entries. */
export declare const boundaries: Linter.Config[];
