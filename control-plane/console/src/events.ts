/**
 * The event explorer: the tenant's event log, newest last as the API reads it, filtered by action (or a prefix such
 * as `grant.*`), actor, kind and time range, a page at a time; each event's raw JSON on demand.
 */
import { api, failureText } from './api.js';
import { h, replace } from './dom.js';

interface StoredEvent {
  id: string;
  kind: 'audit' | 'authorization';
  sequence: string;
  received_at: string;
  event: { action?: string | { type?: string; id?: string }; occurred_at?: string; actor?: { id?: string }; principal?: { id?: string } } & Record<string, unknown>;
}

const FILTERS = [
  { name: 'action', label: 'Action', hint: 'An action, or a prefix such as grant.*', type: 'text' },
  { name: 'actor_id', label: 'Actor id', hint: 'The actor of an audit event, the principal of an authorization event.', type: 'text' },
  { name: 'since', label: 'Occurred at or after', hint: 'Your local time.', type: 'datetime-local' },
  { name: 'until', label: 'Occurred before', hint: 'Your local time.', type: 'datetime-local' },
] as const;

export async function eventsPage(main: HTMLElement): Promise<void> {
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fields = FILTERS.map((f) => {
    const input = h('input', { id: `filter-${f.name}`, name: f.name, type: f.type, 'aria-describedby': `filter-${f.name}-hint` });
    inputs.set(f.name, input);
    return h('div', { class: 'field' }, h('label', { for: input.id }, f.label), input, h('p', { id: `filter-${f.name}-hint`, class: 'hint' }, f.hint));
  });
  const kind = h('select', { id: 'filter-kind', name: 'kind' }, h('option', { value: '' }, 'any'), h('option', { value: 'audit' }, 'audit'), h('option', { value: 'authorization' }, 'authorization'));
  inputs.set('kind', kind);
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void load(null);
      },
    },
    ...fields,
    h('div', { class: 'field' }, h('label', { for: 'filter-kind' }, 'Kind'), kind),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Search')),
  );

  const query = (cursor: string | null): string => {
    const params = new URLSearchParams({ limit: '50' });
    for (const [name, input] of inputs) {
      if (!input.value) continue;
      params.set(name, input instanceof HTMLInputElement && input.type === 'datetime-local' ? new Date(input.value).toISOString() : input.value);
    }
    if (cursor) params.set('cursor', cursor);
    return params.toString();
  };

  async function load(cursor: string | null): Promise<void> {
    try {
      const page = await api<{ data: StoredEvent[]; next_cursor: string | null }>('GET', `/v1/events?${query(cursor)}`);
      const more = page.next_cursor ? h('button', { type: 'button', onclick: () => void load(page.next_cursor) }, 'Next page') : null;
      replace(
        results,
        page.data.length === 0
          ? h('p', {}, 'No events match.')
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'stack' },
                h('caption', { class: 'muted' }, `${page.data.length} event${page.data.length === 1 ? '' : 's'}${cursor ? ' (a later page)' : ''}`),
                h('thead', {}, h('tr', {}, ...['Occurred', 'Kind', 'Action', 'Actor', 'Event'].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', {}, ...page.data.map(eventRow)),
              ),
            ),
        more,
      );
    } catch (err) {
      replace(results, h('p', { class: 'error', role: 'alert' }, failureText(err)));
    }
  }

  replace(main, h('h1', {}, 'Events'), form, results);
  await load(null);
}

function eventRow(e: StoredEvent): HTMLTableRowElement {
  const raw = h('details', {}, h('summary', {}, `${e.id}`), h('pre', {}, JSON.stringify(e.event, null, 2)));
  return h(
    'tr',
    { 'data-id': e.id },
    h('td', { 'data-label': 'Occurred' }, h('time', { datetime: e.event.occurred_at ?? '' }, e.event.occurred_at ?? '')),
    h('td', { 'data-label': 'Kind' }, e.kind),
    h('td', { 'data-label': 'Action' }, actionOf(e)),
    h('td', { 'data-label': 'Actor' }, e.event.actor?.id ?? e.event.principal?.id ?? ''),
    h('td', { 'data-label': 'Event' }, raw),
  );
}

/** An audit event's action, or an authorization event's (an entity: `Type::"id"`). */
function actionOf(e: StoredEvent): string {
  const action = e.event.action;
  if (typeof action === 'string') return action;
  return action ? `${action.type ?? ''}::"${action.id ?? ''}"` : '';
}

