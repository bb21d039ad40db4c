import { openApiDocument } from '@auditdrain/schema';

/** Every operation of the published OpenAPI document as "METHOD /path" (`{param}` syntax), sorted. */
export function documentedOperations(): string[] {
  const paths = openApiDocument('0.0.0').paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/**
 * Every operation an Express application routes (its router, or the handler of an `http.Server` it serves) as
 * "METHOD /path" in OpenAPI's `{param}` syntax, sorted.
 */
export function routedOperations(app: unknown): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:([a-z_]+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack);
  return found.sort();
}
