/**
 * terraform-provider-auditdrain: started by Terraform, it serves the plugin protocol until Terraform is done.
 * Started any other way it explains itself and exits, as every Terraform provider does.
 */
import { stderrLog } from './log';
import { startedByTerraform } from './plugin/handshake';
import { serve } from './plugin/serve';
import { createProvider } from './provider';

async function main(): Promise<void> {
  if (!startedByTerraform(process.env)) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\n' +
        'Please execute the program that consumes these plugins, which will load any plugins automatically.\n',
    );
    process.exit(1);
  }
  const log = stderrLog();
  await serve(createProvider(log), log, process.env);
}

main().catch((err: unknown) => {
  process.stderr.write(`terraform-provider-auditdrain: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
