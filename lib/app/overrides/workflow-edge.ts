import { logger } from '../logger.ts';

/** Best effort: the override works without its workflow (decisions come through the API, expiry is lazy). */
export const tryEdge = async (what: string, call: () => Promise<unknown>): Promise<void> => {
  try {
    await call();
  } catch (error) {
    logger.error(`override workflow: ${what} failed`, { error: error as Error });
  }
};
