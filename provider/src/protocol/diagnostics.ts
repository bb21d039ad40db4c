/**
 * Diagnostics: how every failure reaches Terraform (never as a gRPC error), pointing at the attribute it is about
 * when there is one. Paths are written as the API writes them in error details: `headers[0].key`.
 */

export interface AttributePathMessage {
  steps: ({ attribute_name: string } | { element_key_int: number } | { element_key_string: string })[];
}

export interface DiagnosticMessage {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute: AttributePathMessage | null;
}

/** `headers[0].key` → attribute `headers`, element 0, attribute `key`. An empty path is the whole resource. */
export function attributePath(path: string): AttributePathMessage | null {
  if (path === '') return null;
  const steps: AttributePathMessage['steps'] = [];
  for (const match of path.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["([^"]*)"\]/g)) {
    if (match[1] !== undefined) steps.push({ attribute_name: match[1] });
    else if (match[2] !== undefined) steps.push({ element_key_int: Number(match[2]) });
    else if (match[3] !== undefined) steps.push({ element_key_string: match[3] });
  }
  return steps.length > 0 ? { steps } : null;
}

export function errorDiagnostic(summary: string, detail = '', path = ''): DiagnosticMessage {
  return { severity: 'ERROR', summary, detail, attribute: attributePath(path) };
}

export function warningDiagnostic(summary: string, detail = '', path = ''): DiagnosticMessage {
  return { severity: 'WARNING', summary, detail, attribute: attributePath(path) };
}

/** Carries diagnostics out of deep code to the RPC that reports them. */
export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: DiagnosticMessage[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
  }
}

export function hasErrors(diagnostics: readonly DiagnosticMessage[]): boolean {
  return diagnostics.some((d) => d.severity === 'ERROR');
}
