import { render } from 'preact';
import { App } from './app.tsx';
import { startIdentity } from './auth.ts';

const root = document.getElementById('app');
// On AWS, sign in first (web/dashboard/auth.ts); embedded, render at once with the principal picker.
startIdentity().then(
  (ready) => {
    if (root && ready) render(<App />, root);
  },
  (error: unknown) => {
    if (root)
      root.textContent = `Convoy could not start: ${error instanceof Error ? error.message : String(error)}`;
  },
);
