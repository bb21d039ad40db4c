/**
 * The delivery chart: delivered and failed events per minute over the last 24 hours or the last hour, as an inline
 * SVG (one column per minute, failed stacked on delivered), a caption saying the same in words, and the busiest
 * minutes as a table for those who do not see the picture.
 */
import { h } from './dom.js';

export interface DeliveryStats {
  since: string;
  until: string;
  delivered: number;
  failed: number;
  minutes: { minute: string; delivered: number; failed: number }[];
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1440;
const HEIGHT = 120;

function svg(tag: string, attrs: Record<string, string | number>, ...children: Node[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.appendChild(child);
  return el;
}

const count = (n: number) => n.toLocaleString('en-US');
const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** How much of the day the chart shows: all of it, or the last hour (minutes then wide enough to tell apart). */
export const RANGES = { day: { label: '24 hours', minutes: 24 * 60, marks: ['24 h ago', '12 h ago', 'now'] }, hour: { label: '1 hour', minutes: 60, marks: ['60 min ago', '30 min ago', 'now'] } } as const;
export type Range = keyof typeof RANGES;

export function deliveryChart(stats: DeliveryStats, range: Range = 'day'): HTMLElement {
  const { minutes: shown, marks } = RANGES[range];
  const end = Date.parse(stats.until);
  const span = shown * 60_000;
  const start = end - span;
  const minutes = stats.minutes.filter((m) => Date.parse(m.minute) >= start);
  const delivered = minutes.reduce((n, m) => n + m.delivered, 0);
  const failed = minutes.reduce((n, m) => n + m.failed, 0);
  const peak = Math.max(1, ...minutes.map((m) => m.delivered + m.failed));
  const busiest = [...minutes].sort((a, b) => b.delivered + b.failed - (a.delivered + a.failed)).slice(0, 5);
  const summary =
    `${range === 'day' ? 'Last 24 hours' : 'Last hour'}: ${count(delivered)} delivered, ${count(failed)} failed` +
    (busiest[0] ? `; busiest minute ${clock(busiest[0].minute)} with ${count(busiest[0].delivered + busiest[0].failed)}.` : '; nothing yet.');
  /** Width of one minute's column, in the picture's units (at least 3, so a lone minute shows at phone width). */
  const column = Math.max(3, (WIDTH / shown) * 0.8);

  const columns: Node[] = [];
  for (const m of minutes) {
    const x = Math.min(((Date.parse(m.minute) - start) / span) * WIDTH, WIDTH - column);
    const ok = (m.delivered / peak) * HEIGHT;
    const bad = (m.failed / peak) * HEIGHT;
    if (m.delivered > 0) columns.push(svg('rect', { class: 'delivered', x, y: HEIGHT - ok, width: column, height: ok }));
    if (m.failed > 0) columns.push(svg('rect', { class: 'failed', x, y: HEIGHT - ok - bad, width: column, height: bad }));
  }
  const picture = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': summary, class: 'chart' },
    svg('line', { class: 'axis', x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5 }),
    ...columns,
  );
  const table =
    busiest.length === 0
      ? null
      : h(
          'details',
          {},
          h('summary', {}, 'Busiest minutes'),
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Minute'), h('th', { scope: 'col', class: 'num' }, 'Delivered'), h('th', { scope: 'col', class: 'num' }, 'Failed'))),
            h(
              'tbody',
              {},
              ...busiest.map((m) => h('tr', {}, h('td', {}, h('time', { datetime: m.minute }, clock(m.minute))), h('td', { class: 'num' }, count(m.delivered)), h('td', { class: 'num' }, count(m.failed)))),
            ),
          ),
        );
  return h(
    'figure',
    { class: 'chart-figure', 'data-range': range, 'data-delivered': delivered, 'data-failed': failed },
    h('div', { class: 'chart-scale muted', 'aria-hidden': 'true' }, `top: ${count(peak)} events/min`),
    h('div', { class: 'chart-frame' }, picture as unknown as Node),
    h('div', { class: 'chart-axis muted', 'aria-hidden': 'true' }, ...marks.map((m) => h('span', {}, m))),
    h(
      'figcaption',
      {},
      h('span', { class: 'legend delivered' }, 'delivered'),
      ' ',
      h('span', { class: 'legend failed' }, 'failed'),
      ' ',
      h('span', { class: 'chart-summary' }, summary),
    ),
    table,
  );
}
