/**
 * Destinations at a glance: every S3 log destination and webhook integration of the tenant with its health (status,
 * last success, last error with the remote's request id, backlog), pause / resume, test, edit and delete; a name
 * leads to the destination's deliveries.
 */
import { api, failureText, listAll } from './api.js';
import { h, replace, timeAgo } from './dom.js';

export interface Health {
  status: 'healthy' | 'failing' | 'paused';
  last_success_at: string | null;
  last_error: { operation: string; code: string; message: string; http_status?: number | null; request_id?: string | null; at?: string | null } | null;
  backlog: number;
}

export interface Destination {
  id: string;
  name: string;
  enabled: boolean;
  health: Health;
  bucket_name?: string;
  key_prefix?: string | null;
  url?: string;
}

export const KINDS = [
  {
    slug: 's3',
    path: '/v1/s3-log-destinations',
    label: 'S3',
    noun: 'S3 destination',
    schema: 'S3LogDestination',
    describe: (d: Destination) => `s3://${d.bucket_name ?? ''}/${d.key_prefix ?? ''}`,
  },
  { slug: 'webhook', path: '/v1/webhook-integrations', label: 'Webhook', noun: 'webhook integration', schema: 'WebhookIntegration', describe: (d: Destination) => d.url ?? '' },
] as const;
export type DestinationKind = (typeof KINDS)[number];

/** `notice` is said in the status line once the page is drawn (what the last action did). */
export async function destinationsPage(main: HTMLElement, notice = ''): Promise<void> {
  const status = h('p', { role: 'status' });
  replace(main, h('h1', {}, 'Destinations'), status, h('p', { class: 'muted' }, 'Loading…'));
  const lists = await Promise.all(KINDS.map(async (kind) => ({ kind, items: await listAll<Destination>(kind.path) })));
  const rows = lists.flatMap(({ kind, items }) => items.map((d) => row(kind, d, status, (said) => void destinationsPage(main, said))));
  const table =
    rows.length === 0
      ? h('p', {}, 'No destinations yet. Create one with the API or with Terraform.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'stack' },
            h('caption', { class: 'muted' }, `${rows.length} destination${rows.length === 1 ? '' : 's'}`),
            h(
              'thead',
              {},
              h('tr', {}, ...['Name', 'Type', 'Target', 'Status', 'Last success', 'Last error', 'Backlog', 'Actions'].map((t) => h('th', { scope: 'col', class: t === 'Backlog' ? 'num' : undefined }, t))),
            ),
            h('tbody', {}, ...rows),
          ),
        );
  const create = h('div', { class: 'row' }, ...KINDS.map((k) => h('a', { class: 'button', href: `#/new/${k.slug}` }, `New ${k.noun}`)));
  replace(main, h('h1', {}, 'Destinations'), create, status, table);
  status.textContent = notice;
}

function row(kind: DestinationKind, d: Destination, status: HTMLElement, reload: (notice: string) => void): HTMLTableRowElement {
  const toggle = h(
    'button',
    {
      type: 'button',
      'aria-label': `${d.enabled ? 'Pause' : 'Resume'} ${d.name}`,
      onclick: () => {
        toggle.disabled = true;
        api('PATCH', `${kind.path}/${d.id}`, { enabled: !d.enabled })
          .then(() => reload(`${d.name} ${d.enabled ? 'paused' : 'resumed'}.`))
          .catch((err: unknown) => {
            status.textContent = `Could not change ${d.name}: ${failureText(err)}`;
            toggle.disabled = false;
          });
      },
    },
    d.enabled ? 'Pause' : 'Resume',
  );
  const say = (text: string) => (status.textContent = text);
  const failed = (what: string) => (err: unknown) => say(`${what} ${d.name} failed: ${failureText(err)}`);
  const test = h(
    'button',
    {
      type: 'button',
      'aria-label': `Test ${d.name}`,
      onclick: () => {
        test.disabled = true;
        say(`Testing ${d.name}…`);
        api<Record<string, unknown>>('POST', `${kind.path}/${d.id}/test`)
          .then((answer) => say(`Test of ${d.name}: ${describeTest(answer)}`))
          .catch((err: unknown) => say(`Test of ${d.name} failed: ${failureText(err)}`))
          .finally(() => (test.disabled = false));
      },
    },
    'Test',
  );
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      'aria-label': `Delete ${d.name}`,
      onclick: () => {
        if (!confirm(`Delete the ${kind.noun} "${d.name}"? Events not yet delivered to it will not be.`)) return;
        api('DELETE', `${kind.path}/${d.id}`).then(() => reload(`${d.name} deleted.`), failed('Deleting'));
      },
    },
    'Delete',
  );
  return h(
    'tr',
    { 'data-id': d.id },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/deliveries/${kind.slug}/${d.id}`, title: `Deliveries of ${d.name}` }, d.name)),
    h('td', { 'data-label': 'Type' }, kind.label),
    h('td', { 'data-label': 'Target' }, h('code', {}, kind.describe(d))),
    h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${d.health.status}` }, d.health.status)),
    h('td', { 'data-label': 'Last success' }, timeAgo(d.health.last_success_at)),
    h('td', { 'data-label': 'Last error' }, lastError(d.health)),
    h('td', { 'data-label': 'Backlog', class: 'num' }, d.health.backlog.toLocaleString('en-US')),
    h('td', { 'data-label': 'Actions' }, h('div', { class: 'row' }, toggle, test, h('a', { class: 'button', href: `#/edit/${kind.slug}/${d.id}`, 'aria-label': `Edit ${d.name}` }, 'Edit'), remove)),
  );
}

/** A destination's last error: the operation, the remote's code and message, and its request id. */
export function lastError(health: Health): Node {
  const error = health.last_error;
  if (!error) return h('span', { class: 'muted' }, 'none');
  return h(
    'span',
    {},
    `${error.operation}: ${error.code} — ${error.message}`,
    error.request_id ? h('span', { class: 'muted' }, ` (request id ${error.request_id})`) : null,
  );
}

/** The remote's answer to a test delivery, in words: what was written or sent, and what came back. */
export function describeTest(answer: Record<string, unknown>): string {
  return Object.entries(answer)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}
