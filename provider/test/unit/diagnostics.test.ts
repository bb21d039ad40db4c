/**
 * Diagnostics: paths written as the API writes them become the protocol's attribute steps, and the helpers build
 * the messages every RPC answers with.
 */
import {
  attributePath,
  DiagnosticsError,
  errorDiagnostic,
  hasErrors,
  warningDiagnostic,
} from '../../src/protocol/diagnostics';

describe('attributePath', () => {
  test('headers[0].key is attribute, element index, attribute', () => {
    expect(attributePath('headers[0].key')).toEqual({
      steps: [{ attribute_name: 'headers' }, { element_key_int: 0 }, { attribute_name: 'key' }],
    });
  });

  test('a top-level attribute is one step', () => {
    expect(attributePath('batch_duration_in_minutes')).toEqual({ steps: [{ attribute_name: 'batch_duration_in_minutes' }] });
  });

  test('multi-digit indexes are numbers', () => {
    expect(attributePath('headers[12].value')).toEqual({
      steps: [{ attribute_name: 'headers' }, { element_key_int: 12 }, { attribute_name: 'value' }],
    });
  });

  test('a quoted key is a string element key, even when it holds dots or brackets', () => {
    expect(attributePath('tags["team.name[0]"]')).toEqual({
      steps: [{ attribute_name: 'tags' }, { element_key_string: 'team.name[0]' }],
    });
  });

  test('attributes nested in objects follow each other', () => {
    expect(attributePath('health.last_error.http_status')).toEqual({
      steps: [{ attribute_name: 'health' }, { attribute_name: 'last_error' }, { attribute_name: 'http_status' }],
    });
  });

  test('the empty path is the whole resource: null', () => {
    expect(attributePath('')).toBeNull();
  });

  test('a path with no attribute in it is null', () => {
    expect(attributePath('.')).toBeNull();
  });
});

describe('diagnostic helpers', () => {
  test('errorDiagnostic points at the attribute of its path', () => {
    expect(errorDiagnostic('Invalid configuration', 'headers[1].key is reserved', 'headers[1].key')).toEqual({
      severity: 'ERROR',
      summary: 'Invalid configuration',
      detail: 'headers[1].key is reserved',
      attribute: { steps: [{ attribute_name: 'headers' }, { element_key_int: 1 }, { attribute_name: 'key' }] },
    });
  });

  test('without a path a diagnostic is about the whole resource', () => {
    expect(errorDiagnostic('The auditdrain provider is not configured')).toEqual({
      severity: 'ERROR',
      summary: 'The auditdrain provider is not configured',
      detail: '',
      attribute: null,
    });
  });

  test('warningDiagnostic is a warning', () => {
    expect(warningDiagnostic('Deprecated', 'use x', 'name')).toEqual({
      severity: 'WARNING',
      summary: 'Deprecated',
      detail: 'use x',
      attribute: { steps: [{ attribute_name: 'name' }] },
    });
  });

  test('hasErrors is true only when an error is among the diagnostics', () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([warningDiagnostic('w')])).toBe(false);
    expect(hasErrors([warningDiagnostic('w'), errorDiagnostic('e')])).toBe(true);
  });

  test('DiagnosticsError carries its diagnostics and names their summaries', () => {
    const diagnostics = [errorDiagnostic('first'), errorDiagnostic('second', '', 'name')];
    const err = new DiagnosticsError(diagnostics);
    expect(err).toBeInstanceOf(Error);
    expect(err.diagnostics).toBe(diagnostics);
    expect(err.message).toBe('first; second');
  });
});
