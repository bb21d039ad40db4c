/**
 * Assumed-role credentials are cached until five minutes before they expire (docs/delivery.md), against the STS
 * test double (AWS's Query API with SigV4), asked at chosen moments through `credentialsFor`'s clock.
 */
import type { StsServer } from '@auditdrain/test-services';
import { startStsServer } from '@auditdrain/test-services';
import { CredentialSource } from '../../../src/delivery/s3/credentials';
import { testDeliverySettings } from '../../support/delivery-settings';

const service = { accessKeyId: 'AKIASERVICEEXAMPLE01', secretAccessKey: 'service-secret-key-example-0000000000000' };
const role = 'arn:aws:iam::210987654321:role/audit-writer';
const needs = { destinationId: 's3d_1', tenantId: 'tnt_1', roleArn: role, accessKeyId: null, secretAccessKey: null };
let sts: StsServer;
let source: CredentialSource;

beforeAll(async () => {
  sts = await startStsServer({ credentials: { [service.accessKeyId]: service.secretAccessKey } });
  sts.setRole(role, { trustedAccessKeyIds: [service.accessKeyId], externalId: 'auditdrain:tnt_1' });
  source = new CredentialSource(
    testDeliverySettings({ stsEndpoint: sts.endpoint, serviceCredentials: service, verify: true, requestTimeoutMs: 5_000, allowPrivateNetwork: false }),
  );
});
afterAll(async () => {
  await sts?.stop();
});

const assumed = () => sts.calls.filter((c) => c.roleArn === role && c.decision === 'allowed').length;

test('the role is assumed once, then again only from five minutes before the credentials expire', async () => {
  const first = await source.credentialsFor(needs);
  expect(assumed()).toBe(1);
  const expires = first!.expiration!.getTime();
  expect(await source.credentialsFor(needs, expires - 6 * 60_000)).toBe(first);
  expect(assumed()).toBe(1);
  const renewed = await source.credentialsFor(needs, expires - 4 * 60_000);
  expect(assumed()).toBe(2);
  expect(renewed).not.toBe(first);
});

test('forget drops the cached credentials', async () => {
  const before = assumed();
  await source.credentialsFor(needs);
  source.forget(needs);
  await source.credentialsFor(needs);
  expect(assumed()).toBe(before + 1);
});

test('static keys and the service identity are handed out as they are, without STS', async () => {
  const before = sts.calls.length;
  expect(await source.credentialsFor({ ...needs, roleArn: null, accessKeyId: 'AKIASTATIC', secretAccessKey: 'static' })).toEqual({
    accessKeyId: 'AKIASTATIC',
    secretAccessKey: 'static',
  });
  expect(await source.credentialsFor({ ...needs, roleArn: null })).toBe(service);
  expect(sts.calls.length).toBe(before);
});
