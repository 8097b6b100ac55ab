import { signedInAs, signOut } from './auth.ts';

export { signedInAs };

/** On AWS, in place of the picker: who the signed-in person acts as, and signing out. */
export const SignedIn = () => (
  <span class="picker">
    Signed in as <strong>{signedInAs.value}</strong>{' '}
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  </span>
);
