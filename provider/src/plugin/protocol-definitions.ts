/** The gRPC service definitions, loaded from the `.proto` files that ship beside the built code. */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface ProtocolDefinitions {
  provider: grpc.ServiceDefinition;
  controller: grpc.ServiceDefinition;
  health: grpc.ServiceDefinition;
}

const PROTO_DIRECTORY = join(__dirname, '..', '..', 'proto');

/**
 * Field names stay as written (`type_name`, not `typeName`), 64-bit integers become numbers, enums are their
 * names, and bytes are Buffers; unset fields come with their defaults so handlers never see undefined scalars.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

let loaded: ProtocolDefinitions | undefined;

export function loadProtocol(): ProtocolDefinitions {
  if (loaded) return loaded;
  const files = ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'].map((f) => join(PROTO_DIRECTORY, f));
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(files, LOADER_OPTIONS)) as unknown as {
    tfplugin6: { Provider: grpc.ServiceClientConstructor };
    plugin: { GRPCController: grpc.ServiceClientConstructor };
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  loaded = {
    provider: pkg.tfplugin6.Provider.service,
    controller: pkg.plugin.GRPCController.service,
    health: pkg.grpc.health.v1.Health.service,
  };
  return loaded;
}
