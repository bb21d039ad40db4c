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
