/**
 * The console: a single page served by the control plane at `/`, talking to its REST API with the API key the user
 * signs in with. Pages are chosen by the URL's fragment (#/destinations, #/identity).
 */
import { ApiFailure, session, whenUnauthenticated } from './api.js';
import { destinationsPage } from './destinations.js';
import { h, replace } from './dom.js';
import { identityPage } from './identity.js';
import { signInPage } from './sign-in.js';

const PAGES: Record<string, { title: string; render: (main: HTMLElement) => Promise<void> }> = {
  '#/destinations': { title: 'Destinations', render: destinationsPage },
  '#/identity': { title: 'Identity', render: identityPage },
};
const HOME = '#/destinations';

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
  const page = PAGES[hash];
  if (!page) {
    location.hash = HOME;
    return;
  }
  renderNav(hash);
  document.title = `${page.title} · auditdrain`;
  try {
    await page.render(main);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return;
    replace(main, h('h1', {}, page.title), h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${err instanceof ApiFailure ? err.body.message : (err as Error).message}`));
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
