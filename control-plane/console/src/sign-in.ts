/** Sign-in: an API key, checked against the service (GET /v1/identity) before it is kept for the session. */
import { api, ApiFailure, session } from './api.js';
import { h, replace } from './dom.js';

export function signInPage(main: HTMLElement, done: () => void): void {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'api-key-hint api-key-error' });
  const error = h('p', { id: 'api-key-error', class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) {
          error.textContent = 'Enter an API key.';
          input.focus();
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        api('GET', '/v1/identity', undefined, key)
          .then(() => {
            session.signIn(key);
            done();
          })
          .catch((err: unknown) => {
            error.textContent = err instanceof ApiFailure && err.status === 401 ? 'This API key is not valid.' : `Could not sign in: ${(err as Error).message}`;
            input.focus();
          })
          .finally(() => (submit.disabled = false));
      },
    },
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { id: 'api-key-hint', class: 'hint' }, 'Kept in this browser tab only, and forgotten when it closes.'),
    error,
    submit,
  );
  replace(main, h('h1', {}, 'Sign in'), form);
  input.focus();
}
