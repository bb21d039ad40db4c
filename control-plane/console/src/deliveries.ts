/**
 * One destination's deliveries: its health, the chart of delivered and failed events per minute over the last day,
 * and its delivery log: the objects an S3 log destination wrote, or a webhook integration's deliveries with every
 * attempt (status, latency, the endpoint's answer), with retry and replay. The page updates itself every few seconds
 * (a checkbox stops that) while the user is not working inside the log.
 */
import { api, failureText } from './api.js';
import type { DeliveryStats, Range } from './chart.js';
import { deliveryChart, RANGES } from './chart.js';
import type { Destination, DestinationKind } from './destinations.js';
import { lastError } from './destinations.js';
import { h, replace, timeAgo } from './dom.js';

const UPDATE_MS = 5_000;
const PAGE = 25;

interface S3Object {
  key: string;
  batch_id: string;
  event_count: number;
  byte_size: number;
  delivered_at: string;
}

interface WebhookDelivery {
  id: string;
  event_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  attempt_log?: { attempt: number; attempted_at: string; status_code: number | null; latency_ms: number; error: string | null; response_excerpt: string | null }[];
}

type Page<T> = { data: T[]; next_cursor: string | null };

/** The log as a table that stacks into label–value rows at phone width; `numeric` columns align right. */
function logTable(caption: string, columns: string[], numeric: string[], rows: Node[]): Node {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'stack', id: 'delivery-log' },
      h('caption', { class: 'muted' }, caption),
      h('thead', {}, h('tr', {}, ...columns.map((t) => h('th', { scope: 'col', class: numeric.includes(t) ? 'num' : undefined }, t)))),
      h('tbody', {}, ...rows),
    ),
  );
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export async function deliveriesPage(main: HTMLElement, kind: DestinationKind, id: string): Promise<void> {
  const base = `${kind.path}/${id}`;
  const destination = await api<Destination>('GET', base);
  const status = h('p', { role: 'status' });
  const say = (text: string) => (status.textContent = text);
  const healthBox = h('div', {});
  const chartBox = h('div', {});
  const logBox = h('div', { 'aria-live': 'polite' });
  const auto = h('input', { type: 'checkbox', id: 'auto-update', checked: true, class: 'inline' });
  /** The cursors of the pages shown before the current one; empty on the newest page (the one that updates). */
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  /** Webhook deliveries whose attempts the user opened, kept open across updates. */
  const opened = new Set<string>();
  const statusFilter = h(
    'select',
    { id: 'delivery-status', onchange: () => void showLog(null, true) },
    h('option', { value: '' }, 'any'),
    h('option', { value: 'pending' }, 'pending'),
    h('option', { value: 'succeeded' }, 'succeeded'),
    h('option', { value: 'failed' }, 'failed'),
  );

  function showHealth(d: Destination): void {
    replace(
      healthBox,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', {}, h('span', { class: `badge ${d.health.status}` }, d.health.status)),
        h('dt', {}, 'Last success'),
        h('dd', {}, timeAgo(d.health.last_success_at)),
        h('dt', {}, 'Last error'),
        h('dd', {}, lastError(d.health)),
        h('dt', {}, 'Backlog'),
        h('dd', {}, `${d.health.backlog.toLocaleString('en-US')} event${d.health.backlog === 1 ? '' : 's'}`),
      ),
    );
  }

  let range: Range = 'day';
  let stats: DeliveryStats | null = null;
  const drawChart = () => stats && replace(chartBox, deliveryChart(stats, range));
  const rangePicker = h(
    'fieldset',
    { class: 'range' },
    h('legend', {}, 'Show'),
    ...(Object.keys(RANGES) as Range[]).map((r) =>
      h(
        'label',
        { class: 'inline' },
        h('input', { type: 'radio', name: 'chart-range', value: r, checked: r === range, class: 'inline', onchange: () => ((range = r), drawChart()) }),
        ` ${RANGES[r].label}`,
      ),
    ),
  );

  async function showChart(): Promise<void> {
    stats = await api<DeliveryStats>('GET', `${base}/delivery-stats`);
    drawChart();
  }

  async function showLog(next: string | null, fromStart = false): Promise<void> {
    if (fromStart) cursors.length = 0;
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (next) params.set('cursor', next);
    if (kind.slug === 'webhook' && statusFilter.value) params.set('status', statusFilter.value);
    const table =
      kind.slug === 's3'
        ? objectsTable(await api<Page<S3Object>>('GET', `${base}/deliveries?${params}`))
        : await deliveriesTable(await api<Page<WebhookDelivery>>('GET', `${base}/deliveries?${params}`));
    cursor = next;
    replace(logBox, table.body, h('div', { class: 'row' }, cursors.length > 0 ? h('button', { type: 'button', onclick: () => void showLog(cursors.pop() ?? null) }, 'Newer') : null, table.older ? h('button', { type: 'button', onclick: () => (cursors.push(cursor), void showLog(table.older)) }, 'Older') : null));
  }

  function objectsTable(page: Page<S3Object>): { body: Node; older: string | null } {
    if (page.data.length === 0) return { body: h('p', {}, 'No objects written yet.'), older: null };
    const rows = page.data.map((o) =>
      h(
        'tr',
        { 'data-key': o.key },
        h('td', { 'data-label': 'Key' }, h('code', { class: 'wrap' }, o.key)),
        h('td', { 'data-label': 'Events', class: 'num' }, o.event_count.toLocaleString('en-US')),
        h('td', { 'data-label': 'Size', class: 'num' }, bytes(o.byte_size)),
        h('td', { 'data-label': 'Written' }, timeAgo(o.delivered_at)),
        h('td', { 'data-label': 'Batch' }, h('code', {}, o.batch_id)),
      ),
    );
    const caption = `${page.data.length} object${page.data.length === 1 ? '' : 's'}, newest first`;
    return { older: page.next_cursor, body: logTable(caption, ['Key', 'Events', 'Size', 'Written', 'Batch'], ['Events', 'Size'], rows) };
  }

  async function deliveriesTable(page: Page<WebhookDelivery>): Promise<{ body: Node; older: string | null }> {
    if (page.data.length === 0) return { body: h('p', {}, statusFilter.value ? 'No deliveries with this status.' : 'No deliveries yet.'), older: null };
    const rows = await Promise.all(page.data.map(deliveryRow));
    const caption = `${page.data.length} deliver${page.data.length === 1 ? 'y' : 'ies'}, newest first`;
    return { older: page.next_cursor, body: logTable(caption, ['Event', 'Status', 'Attempts', 'Last answer', 'Created', 'Actions'], ['Attempts'], rows) };
  }

  async function deliveryRow(d: WebhookDelivery): Promise<HTMLTableRowElement> {
    const attempts = h('details', {}, h('summary', { 'aria-label': `Attempts of ${d.event_id}` }, 'Attempts'));
    const load = async () => {
      const full = await api<WebhookDelivery>('GET', `${base}/deliveries/${d.id}`);
      attempts.querySelector('table')?.remove();
      attempts.appendChild(attemptsTable(full));
    };
    attempts.addEventListener('toggle', () => {
      if (attempts.open) {
        opened.add(d.id);
        load().catch((err: unknown) => say(`Could not read the attempts: ${failureText(err)}`));
      } else opened.delete(d.id);
    });
    if (opened.has(d.id)) {
      attempts.open = true;
      await load().catch(() => undefined);
    }
    const retry =
      d.status === 'pending'
        ? null
        : h(
            'button',
            {
              type: 'button',
              'aria-label': `Retry ${d.event_id}`,
              onclick: () => {
                api<{ id: string }>('POST', `${base}/deliveries/${d.id}/retry`)
                  .then((added) => {
                    say(`Sending ${d.event_id} again (delivery ${added.id}).`);
                    return showLog(null, true);
                  })
                  .catch((err: unknown) => say(`Retry of ${d.event_id} failed: ${failureText(err)}`));
              },
            },
            'Retry',
          );
    return h(
      'tr',
      { 'data-id': d.id },
      h('td', { 'data-label': 'Event' }, h('code', {}, d.event_id)),
      h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${d.status}` }, d.status)),
      h('td', { 'data-label': 'Attempts', class: 'num' }, d.attempts),
      h('td', { 'data-label': 'Last answer' }, d.last_status_code !== null ? `HTTP ${d.last_status_code}` : (d.last_error ?? h('span', { class: 'muted' }, 'none yet'))),
      h('td', { 'data-label': 'Created' }, timeAgo(d.created_at)),
      h('td', { 'data-label': 'Actions' }, h('div', { class: 'row' }, retry, attempts)),
    );
  }

  function attemptsTable(d: WebhookDelivery): Node {
    return h(
      'table',
      { class: 'attempts' },
      h('thead', {}, h('tr', {}, ...['#', 'At', 'Answer', 'Latency', 'Response'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...(d.attempt_log ?? []).map((a) =>
          h(
            'tr',
            {},
            h('td', {}, a.attempt),
            h('td', {}, timeAgo(a.attempted_at)),
            h('td', {}, a.status_code !== null ? `HTTP ${a.status_code}` : (a.error ?? '')),
            h('td', { class: 'num' }, `${a.latency_ms} ms`),
            h('td', {}, a.response_excerpt ? h('code', { class: 'wrap' }, a.response_excerpt) : h('span', { class: 'muted' }, 'empty')),
          ),
        ),
      ),
    );
  }

  function replayForm(): Node {
    const since = h('input', { id: 'replay-since', name: 'since', type: 'datetime-local', required: true, 'aria-describedby': 'replay-since-hint' });
    return h(
      'form',
      {
        class: 'filters',
        onsubmit: (event: Event) => {
          event.preventDefault();
          if (!since.value) return;
          api<{ replayed: number; truncated: boolean }>('POST', `${base}/replay`, { since: new Date(since.value).toISOString() })
            .then((r) => {
              say(`Replay: ${r.replayed} deliver${r.replayed === 1 ? 'y' : 'ies'} added${r.truncated ? ' (there were more: replay again from the last one)' : ''}.`);
              return showLog(null, true);
            })
            .catch((err: unknown) => say(`Replay failed: ${failureText(err)}`));
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: since.id }, 'Send again every event received since'),
        since,
        h('p', { id: 'replay-since-hint', class: 'hint' }, 'Your local time. Each event goes out with its original webhook-id, so receivers can drop what they already have.'),
      ),
      h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Replay')),
    );
  }

  /** Draws the page's parts again; `current` is the destination when it was just read. */
  async function update(current?: Destination): Promise<void> {
    // The log stays as it is while the user works in it or reads an older page.
    const busy = logBox.contains(document.activeElement) || cursors.length > 0;
    const health = async () => showHealth(current ?? (await api<Destination>('GET', base)));
    await Promise.all([health(), showChart(), busy ? Promise.resolve() : showLog(null)]);
  }

  replace(
    main,
    h('p', {}, h('a', { href: '#/destinations' }, '← Destinations')),
    h('h1', {}, `Deliveries: ${destination.name}`),
    h('p', { class: 'muted' }, `${kind.label} · `, h('code', {}, kind.describe(destination)), ' · ', h('a', { href: `#/edit/${kind.slug}/${id}` }, 'Edit')),
    status,
    healthBox,
    h('h2', {}, 'Delivered and failed per minute'),
    rangePicker,
    chartBox,
    h('p', {}, h('label', { class: 'inline' }, auto, ' Update every 5 seconds')),
    h('h2', {}, kind.slug === 's3' ? 'Objects written' : 'Deliveries'),
    kind.slug === 'webhook' ? h('div', { class: 'row' }, h('label', { for: statusFilter.id, class: 'inline' }, 'Status'), statusFilter) : null,
    logBox,
    kind.slug === 'webhook' ? h('h2', {}, 'Replay') : null,
    kind.slug === 'webhook' ? replayForm() : null,
  );
  await update(destination);
  const timer = setInterval(() => {
    if (!logBox.isConnected) return clearInterval(timer);
    if (auto.checked) update().catch((err: unknown) => say(`Could not update: ${failureText(err)}`));
  }, UPDATE_MS);
}
