/**
 * Which errors mean "the database cannot be reached" (answered 503, waited out by delivery): the shapes below are
 * the ones Prisma 7 with the pg adapter, node-postgres and the socket produced while the test PostgreSQL restarted
 * (see control-plane/test/faults); statement errors stay what they are.
 */
import { isDatabaseUnavailable } from '../../../src/store/database-unavailable';

const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error('Invalid `db.apiKey.findUnique()` invocation'), { name: 'PrismaClientKnownRequestError', code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

test.each([
  ['Prisma: server closed the connection', prismaError('P1017', { kind: 'ConnectionClosed' })],
  ['Prisma: cannot reach the server', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
  ['Prisma: shutting down (57P01)', prismaError('P2039', { kind: 'postgres', code: '57P01', message: 'terminating connection due to administrator command' })],
  ['Prisma: starting up (57P03)', prismaError('P2039', { kind: 'postgres', code: '57P03', message: 'the database system is starting up' })],
  ['Prisma: no pooled connection in time', Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' })],
  ['pg: shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
  ['pg: connection exception class 08', Object.assign(new Error('connection failure'), { code: '08006' })],
  ['pg: the socket closed', new Error('Connection terminated unexpectedly')],
  ['socket: refused, as a cause', new Error('query failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) })],
  ['socket: refused on every address', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
])('%s: unavailable', (_name, err) => {
  expect(isDatabaseUnavailable(err)).toBe(true);
});

test.each([
  ['Prisma: unique constraint', prismaError('P2002', { kind: 'UniqueConstraintViolation' })],
  ['Prisma: a statement error', prismaError('P2039', { kind: 'postgres', code: '22P02', message: 'invalid input syntax' })],
  ['pg: a syntax error', Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' })],
  ['an ordinary error', new TypeError('Cannot read properties of undefined')],
  ['not an error', 'Connection terminated'],
  ['nothing', undefined],
])('%s: not unavailable', (_name, err) => {
  expect(isDatabaseUnavailable(err)).toBe(false);
});
