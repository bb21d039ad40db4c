// https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/data-sources/identity
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataAuditdrainIdentityConfig extends cdktf.TerraformMetaArguments {
}

/**
* Represents a {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/data-sources/identity auditdrain_identity}
*/
export class DataAuditdrainIdentity extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auditdrain_identity";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataAuditdrainIdentity resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAuditdrainIdentity to import
  * @param importFromId The id of the existing DataAuditdrainIdentity that should be imported. Refer to the {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/data-sources/identity#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAuditdrainIdentity to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "auditdrain_identity", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/data-sources/identity auditdrain_identity} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAuditdrainIdentityConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAuditdrainIdentityConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'auditdrain_identity',
      terraformGeneratorMetadata: {
        providerName: 'auditdrain',
        providerVersionConstraint: '~> 0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // tenant_id - computed: true, optional: false, required: false
  public get tenantId() {
    return this.getStringAttribute('tenant_id');
  }

  // external_id - computed: true, optional: false, required: false
  public get externalId() {
    return this.getStringAttribute('external_id');
  }

  // aws_principal_arn - computed: true, optional: false, required: false
  public get awsPrincipalArn() {
    return this.getStringAttribute('aws_principal_arn');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
    };
    return attrs;
  }
}
