/**
 * A resource type as Terraform manages it: its model plus create, read, update, delete and import through the API.
 * A 404 on read means the resource was deleted outside Terraform: it leaves the state, and the next plan creates it.
 */
import type { ResourceSpec } from '@auditdrain/schema';
import { terraformTypeName } from '@auditdrain/schema';
import type { ApiClient } from '../api-client';
import { DiagnosticsError, errorDiagnostic } from '../protocol/diagnostics';
import type { ObjectValue } from '../values/value';
import { isWhollyKnown } from '../values/value';
import { ResourceModel } from './model';

export class ManagedResource {
  readonly typeName: string;
  readonly model: ResourceModel;

  constructor(
    readonly spec: ResourceSpec,
    /** Computed values the resource's read leaves out and other endpoints serve (the webhook signing secret). */
    private readonly readExtras: (client: ApiClient, id: string) => Promise<ObjectValue> = async () => ({}),
  ) {
    this.typeName = terraformTypeName(spec);
    this.model = new ResourceModel(spec);
  }

  private itemPath(id: string): string {
    return `${this.spec.collectionPath}/${encodeURIComponent(id)}`;
  }

  private async complete(client: ApiClient, api: Record<string, unknown>, prior: ObjectValue | null): Promise<ObjectValue> {
    const state = { ...this.model.stateFromApi(api, prior), ...(await this.readExtras(client, String(api.id))) };
    if (!isWhollyKnown(state)) {
      throw new DiagnosticsError([errorDiagnostic(`The ${this.spec.title} came back incomplete`, 'A computed value is still unknown after apply.')]);
    }
    return state;
  }

  async create(client: ApiClient, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue> {
    const body = this.model.requestBody(planned, config, null);
    const created = await client.create<Record<string, unknown>>(this.spec.collectionPath, body, `create the ${this.spec.title}`);
    return this.complete(client, created, planned);
  }

  /** The current state, or null when the resource no longer exists. */
  async read(client: ApiClient, state: ObjectValue): Promise<ObjectValue | null> {
    const id = String(state.id);
    const api = await client.get<Record<string, unknown>>(this.itemPath(id), `read the ${this.spec.title} ${id}`);
    return api ? this.complete(client, api, state) : null;
  }

  async update(client: ApiClient, prior: ObjectValue, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue> {
    const id = String(prior.id);
    const body = this.model.requestBody(planned, config, prior);
    const updated = await client.update<Record<string, unknown>>(this.itemPath(id), body, `update the ${this.spec.title} ${id}`);
    if (!updated) {
      throw new DiagnosticsError([
        errorDiagnostic(`The ${this.spec.title} ${id} no longer exists`, 'It was deleted outside Terraform; run `terraform apply` again to create it.'),
      ]);
    }
    return this.complete(client, updated, planned);
  }

  async delete(client: ApiClient, prior: ObjectValue): Promise<void> {
    const id = String(prior.id);
    await client.delete(this.itemPath(id), `delete the ${this.spec.title} ${id}`);
  }

  async import(client: ApiClient, id: string): Promise<ObjectValue> {
    const prefix = `${this.spec.idPrefix}_`;
    if (!id.startsWith(prefix)) {
      throw new DiagnosticsError([
        errorDiagnostic(`Cannot import ${this.typeName}`, `"${id}" is not the id of a ${this.spec.title}: those start with "${prefix}".`),
      ]);
    }
    const api = await client.get<Record<string, unknown>>(this.itemPath(id), `read the ${this.spec.title} ${id}`);
    if (!api) {
      throw new DiagnosticsError([
        errorDiagnostic(`Cannot import ${this.typeName}`, `The ${this.spec.title} ${id} does not exist (or belongs to another tenant).`),
      ]);
    }
    return this.complete(client, api, null);
  }
}
