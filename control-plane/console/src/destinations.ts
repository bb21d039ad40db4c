/**
 * Destinations at a glance: every S3 log destination and webhook integration of the tenant with its health (status,
 * last success, last error with the remote's request id, backlog), and pause / resume.
 */
import { api, ApiFailure, listAll } from './api.js';
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
  { path: '/v1/s3-log-destinations', label: 'S3', describe: (d: Destination) => `s3://${d.bucket_name ?? ''}/${d.key_prefix ?? ''}` },
  { path: '/v1/webhook-integrations', label: 'Webhook', describe: (d: Destination) => d.url ?? '' },
] as const;

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
  replace(main, h('h1', {}, 'Destinations'), status, table);
  status.textContent = notice;
}

function row(kind: (typeof KINDS)[number], d: Destination, status: HTMLElement, reload: (notice: string) => void): HTMLTableRowElement {
  const error = d.health.last_error;
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
            status.textContent = `Could not change ${d.name}: ${err instanceof ApiFailure ? err.body.message : (err as Error).message}`;
            toggle.disabled = false;
          });
      },
    },
    d.enabled ? 'Pause' : 'Resume',
  );
  return h(
    'tr',
    { 'data-id': d.id },
    h('td', { 'data-label': 'Name' }, d.name),
    h('td', { 'data-label': 'Type' }, kind.label),
    h('td', { 'data-label': 'Target' }, h('code', {}, kind.describe(d))),
    h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${d.health.status}` }, d.health.status)),
    h('td', { 'data-label': 'Last success' }, timeAgo(d.health.last_success_at)),
    h(
      'td',
      { 'data-label': 'Last error' },
      error
        ? h(
            'span',
            {},
            `${error.operation}: ${error.code} — ${error.message}`,
            error.request_id ? h('span', { class: 'muted' }, ` (request id ${error.request_id})`) : null,
          )
        : h('span', { class: 'muted' }, 'none'),
    ),
    h('td', { 'data-label': 'Backlog', class: 'num' }, d.health.backlog.toLocaleString('en-US')),
    h('td', { 'data-label': 'Actions' }, toggle),
  );
}
