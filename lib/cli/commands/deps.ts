import { Option, type Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerDeps = (program: Command): void => {
  const deps = program.command('deps').description('the dependency graph');

  deps
    .command('graph')
    .description(
      'the dependency graph, or the part around a node, as DOT, Mermaid, JSON or an interactive HTML page',
    )
    .option('--focus <node>', 'node id <kind>:<name>, e.g. key:payments.checkout.timeoutMs')
    .option('--depth <n>', 'hops around the focus (default 2)')
    .option(
      '--kinds <kinds>',
      'node kinds to keep, comma-separated (team,namespace,service,key,flag,bundle,environment)',
    )
    .addOption(
      new Option('--format <format>', 'dot (default), mermaid, json or html').choices([
        'dot',
        'mermaid',
        'json',
        'html',
      ]),
    )
    .option('--impact <bundle>', 'html: highlight the impact of name@version or a bundle file')
    .option('--out <file>', 'write the picture to this file instead of stdout')
    .action(lazy(async () => (await import('../actions/deps.ts')).graph));

  deps
    .command('why')
    .description('the shortest path between two nodes, one line per hop')
    .argument('<from>', 'node id <kind>:<name>')
    .argument('<to>', 'node id <kind>:<name>')
    .action(lazy(async () => (await import('../actions/deps.ts')).why));
};
