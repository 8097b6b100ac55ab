import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import type { ReleaseNotes } from '#domain/releases/release-notes.ts';
import { contextOf } from '../context.ts';
import { releaseNotesMarkdown } from '../release-notes-format.ts';

/** `convoy release notes <release> [--env e] [--format md|json]`. */
export const notes = async (
  release: string,
  options: { env?: string; format?: 'md' | 'json' },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<ReleaseNotes>('GET', `/releases/${segment(release)}/notes`, {
    query: { environment: options.env },
  });
  if (ctx.json || options.format === 'json') ctx.out.data(result);
  else ctx.out.raw(releaseNotesMarkdown(result));
};
