/**
 * Create and edit pages for both kinds of destination, their forms generated from the API's create and update
 * schemas. Saving sends what the form holds; the API's field errors appear under their fields, and nothing is saved
 * until it accepts the whole request (it also writes a test object or sends a test request first, where enabled).
 */
import { api, ApiFailure, failureText } from './api.js';
import type { Destination, DestinationKind } from './destinations.js';
import { KINDS } from './destinations.js';
import { h, replace } from './dom.js';
import { schemaForm, schemaNamed } from './schema-form.js';

export function kindOf(slug: string): DestinationKind | undefined {
  return KINDS.find((k) => k.slug === slug);
}

export async function destinationFormPage(main: HTMLElement, kind: DestinationKind, id: string | null): Promise<void> {
  const current = id ? await api<Destination & Record<string, unknown>>('GET', `${kind.path}/${id}`) : null;
  const schema = await schemaNamed(`${kind.schema}${current ? 'Update' : 'Create'}`);
  const summary = h('div', { role: 'alert', class: 'error' });
  const form = schemaForm(
    schema,
    current,
    () => {
      summary.textContent = '';
      const body = form.body();
      api<Destination>(current ? 'PATCH' : 'POST', current ? `${kind.path}/${current.id}` : kind.path, body)
        .then((saved) => {
          location.hash = `#/destinations?saved=${encodeURIComponent(saved.name)}`;
        })
        .catch((err: unknown) => {
          // Field errors go under their fields; anything else (a remote's refusal when the destination is verified,
          // a network failure) is said in the summary with what came with it.
          if (!(err instanceof ApiFailure) || !Array.isArray(err.body.details) || err.body.details.length === 0) {
            form.showErrors([]);
            summary.textContent = failureText(err);
            return;
          }
          const rest = form.showErrors(err.body.details);
          summary.textContent = rest.length === 0 ? `${err.body.message}. See the fields marked below.` : err.body.message;
          if (rest.length > 0) summary.append(h('ul', {}, ...rest.map((d) => h('li', {}, `${d.path || '(request)'}: ${d.message}`))));
        });
    },
    current ? 'Save changes' : `Create ${kind.noun}`,
  );
  const title = current ? `Edit ${current.name}` : `New ${kind.noun}`;
  replace(main, h('h1', {}, title), h('p', {}, h('a', { href: '#/destinations' }, 'Back to destinations')), summary, form.element);
  document.title = `${title} · auditdrain`;
}
