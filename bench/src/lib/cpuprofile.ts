/**
 * Summary of a V8 CPU profile (`node --cpu-prof` writes one `.cpuprofile` per process on exit): where the busy
 * time went by package, the functions with the most self time, and named functions by inclusive time.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository root: first-party frames are shown relative to it (bench/dist/lib/ → three levels up). */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Which package or part of the system a frame belongs to. */
function categoryOf(frame: CallFrame, firstPartyRoot: string): string {
  const { url, functionName } = frame;
  if (url === '') return SPECIAL.has(functionName) ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  // The only WebAssembly in the service is Prisma's query compiler (query_compiler_fast_bg.<dialect>.wasm).
  if (url.startsWith('wasm:')) return 'wasm (Prisma query compiler)';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? file);
  }
  const relative = path.relative(firstPartyRoot, file);
  if (!relative.startsWith('..')) return relative.split(path.sep).slice(0, relative.startsWith('test') ? 2 : 1).join('/');
  return file;
}

function frameLabel(frame: CallFrame, firstPartyRoot: string): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  let file = frame.url.startsWith('file://') ? decodeURIComponent(new URL(frame.url).pathname) : frame.url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) file = file.slice(nm + '/node_modules/'.length);
  else if (!path.relative(firstPartyRoot, file).startsWith('..')) file = path.relative(firstPartyRoot, file);
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  byCategory: { name: string; ms: number }[];
  topSelf: { name: string; category: string; ms: number }[];
  /** Named JavaScript functions (not WebAssembly) by inclusive time: the synchronous work below them. */
  topInclusive: { name: string; ms: number }[];
}

function summariseProfile(profile: CpuProfile, firstPartyRoot: string, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample: the time the *next* sample stands for is [i + 1].
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  });

  let totalUs = 0;
  let idleUs = 0;
  const category = new Map<string, number>();
  const self = new Map<string, { category: string; us: number }>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const cat = categoryOf(node.callFrame, firstPartyRoot);
    category.set(cat, (category.get(cat) ?? 0) + us);
    const label = frameLabel(node.callFrame, firstPartyRoot);
    const entry = self.get(label) ?? { category: cat, us: 0 };
    entry.us += us;
    self.set(label, entry);
    // Inclusive time: every distinct named JavaScript frame on this sample's stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || frame.url === '' || frame.url.startsWith('wasm:') || frame.functionName === '' || frame.functionName.length <= 2) continue;
      const l = frameLabel(frame, firstPartyRoot);
      if (!seen.has(l)) {
        seen.add(l);
        inclusive.set(l, (inclusive.get(l) ?? 0) + us);
      }
    }
  }
  const ms = (us: number) => us / 1000;
  return {
    totalMs: ms(totalUs),
    idleMs: ms(idleUs),
    busyMs: ms(totalUs - idleUs),
    byCategory: [...category].map(([name, us]) => ({ name, ms: ms(us) })).sort((a, b) => b.ms - a.ms),
    topSelf: [...self]
      .map(([name, e]) => ({ name, category: e.category, ms: ms(e.us) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
    topInclusive: [...inclusive]
      .map(([name, us]) => ({ name, ms: ms(us) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

function formatProfileSummary(s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / (s.busyMs || 1)).toFixed(1).padStart(5)}%`;
  const lines = [
    `profile: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy, ${(s.idleMs / 1000).toFixed(1)} s idle (percentages are of busy time)`,
    '',
    'self time by package:',
    ...s.byCategory.slice(0, 15).map((c) => `  ${pct(c.ms)}  ${c.ms.toFixed(0).padStart(7)} ms  ${c.name}`),
    '',
    'top functions by self time:',
    ...s.topSelf.map((f) => `  ${pct(f.ms)}  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}  [${f.category}]`),
    '',
    'named JavaScript functions by inclusive time (synchronous work only: async continuations start new stacks):',
    ...s.topInclusive.map((f) => `  ${pct(f.ms)}  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`),
  ];
  return lines.join('\n');
}

/** The summary of one `.cpuprofile` file, as text: `top` functions per list; frames under `root` shown relative. */
export function profileFileSummary(file: string, top: number, root = REPO_ROOT): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  return formatProfileSummary(summariseProfile(profile, root, top));
}
