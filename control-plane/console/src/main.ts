/**
 * The console: a single page served by the control plane at `/`, talking to its REST API with the API key the user
 * signs in with. Pages are chosen by the URL's fragment (#/destinations, #/deliveries/<kind>/<id>, #/events,
 * #/identity, #/new/<kind>, #/edit/<kind>/<id>).
 */
import { ApiFailure, failureText, session, whenUnauthenticated } from './api.js';
import { deliveriesPage } from './deliveries.js';
import { destinationFormPage, kindOf } from './destination-form.js';
import { destinationsPage } from './destinations.js';
import { h, replace } from './dom.js';
import { eventsPage } from './events.js';
import { identityPage } from './identity.js';
import { signInPage } from './sign-in.js';

/** Pages in the navigation. */
const PAGES: Record<string, { title: string; render: (main: HTMLElement, params: URLSearchParams) => Promise<void> }> = {
  '#/destinations': { title: 'Destinations', render: (main, params) => destinationsPage(main, params.get('saved') ? `${params.get('saved')} saved.` : '') },
  '#/events': { title: 'Events', render: eventsPage },
  '#/identity': { title: 'Identity', render: identityPage },
};
/** Pages reached from others, by pattern: a create or edit form. */
const ROUTES: { pattern: RegExp; title: string; render: (main: HTMLElement, match: RegExpExecArray) => Promise<void> }[] = [
  { pattern: /^#\/new\/([a-z0-9]+)$/, title: 'New destination', render: (main, m) => formFor(main, m[1]!, null) },
  { pattern: /^#\/edit\/([a-z0-9]+)\/([A-Za-z0-9_]+)$/, title: 'Edit destination', render: (main, m) => formFor(main, m[1]!, m[2]!) },
  { pattern: /^#\/deliveries\/([a-z0-9]+)\/([A-Za-z0-9_]+)$/, title: 'Deliveries', render: (main, m) => deliveriesFor(main, m[1]!, m[2]!) },
];
const HOME = '#/destinations';

function deliveriesFor(main: HTMLElement, slug: string, id: string): Promise<void> {
  const kind = kindOf(slug);
  if (!kind) {
    location.hash = HOME;
    return Promise.resolve();
  }
  return deliveriesPage(main, kind, id);
}

function formFor(main: HTMLElement, slug: string, id: string | null): Promise<void> {
  const kind = kindOf(slug);
  if (!kind) {
    location.hash = HOME;
    return Promise.resolve();
  }
  return destinationFormPage(main, kind, id);
}

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;

function renderNav(current: string): void {
  if (!session.key()) return replace(nav);
  replace(
    nav,
    h(
      'ul',
      {},
      ...Object.entries(PAGES).map(([hash, page]) => h('li', {}, h('a', { href: hash, 'aria-current': hash === current ? 'page' : undefined }, page.title))),
      h('li', {}, h('button', { type: 'button', onclick: signOut }, 'Sign out')),
    ),
  );
}

function signOut(): void {
  session.signOut();
  location.hash = '#/sign-in';
}

async function route(): Promise<void> {
  const hash = location.hash || HOME;
  if (!session.key()) {
    renderNav('');
    document.title = 'Sign in · auditdrain';
    return signInPage(main, () => {
      location.hash = hash === '#/sign-in' ? HOME : hash;
      void route();
    });
  }
  const [path = '', query = ''] = hash.split('?');
  const page = PAGES[path];
  const routed = page ? undefined : ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!page && !routed) {
    location.hash = HOME;
    return;
  }
  renderNav(page ? path : '');
  const title = page ? page.title : routed!.r.title;
  document.title = `${title} · auditdrain`;
  try {
    await (page ? page.render(main, new URLSearchParams(query)) : routed!.r.render(main, routed!.m!));
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return;
    replace(main, h('h1', {}, title), h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${failureText(err)}`));
  }
  main.focus();
}

// The skip link moves focus to the content without touching the fragment the pages are chosen by.
document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
whenUnauthenticated(() => {
  session.signOut();
  void route();
});
window.addEventListener('hashchange', () => void route());
void route();
