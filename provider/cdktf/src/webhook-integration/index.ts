// https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface WebhookIntegrationConfig extends cdktf.TerraformMetaArguments {
  /**
  * A name for people to recognise it by; need not be unique.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#name WebhookIntegration#name}
  */
  readonly name: string;
  /**
  * Endpoint the events are POSTed to. Must be `https`, unless the operator allows plain http to private networks.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#url WebhookIntegration#url}
  */
  readonly url: string;
  /**
  * Extra HTTP headers sent with every delivery, e.g. an authorization token. Values are stored encrypted and never returned by the API.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#headers WebhookIntegration#headers}
  */
  readonly headers?: WebhookIntegrationHeaders[] | cdktf.IResolvable;
  /**
  * Deliver audit-log events.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#send_audit_log_events WebhookIntegration#send_audit_log_events}
  */
  readonly sendAuditLogEvents?: boolean | cdktf.IResolvable;
  /**
  * Deliver authorization events (one for every authorization decision).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#send_authorization_events WebhookIntegration#send_authorization_events}
  */
  readonly sendAuthorizationEvents?: boolean | cdktf.IResolvable;
  /**
  * Only events whose action is listed are delivered; an entry ending in `.*` matches every action under that prefix (`grant.*` matches `grant.approved`). Empty or unset delivers every action.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#filter_for_actions WebhookIntegration#filter_for_actions}
  */
  readonly filterForActions?: string[];
  /**
  * Whether delivery runs. When false, delivery pauses and events keep accruing for later.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#enabled WebhookIntegration#enabled}
  */
  readonly enabled?: boolean | cdktf.IResolvable;
}
export interface WebhookIntegrationHeaders {
  /**
  * Header name.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#key WebhookIntegration#key}
  */
  readonly key: string;
  /**
  * Header value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#value WebhookIntegration#value}
  */
  readonly value: string;
}

export function webhookIntegrationHeadersToTerraform(struct?: WebhookIntegrationHeaders | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    key: cdktf.stringToTerraform(struct!.key),
    value: cdktf.stringToTerraform(struct!.value),
  }
}


export function webhookIntegrationHeadersToHclTerraform(struct?: WebhookIntegrationHeaders | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    key: {
      value: cdktf.stringToHclTerraform(struct!.key),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    value: {
      value: cdktf.stringToHclTerraform(struct!.value),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class WebhookIntegrationHeadersOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): WebhookIntegrationHeaders | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._key !== undefined) {
      hasAnyValues = true;
      internalValueResult.key = this._key;
    }
    if (this._value !== undefined) {
      hasAnyValues = true;
      internalValueResult.value = this._value;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: WebhookIntegrationHeaders | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._key = undefined;
      this._value = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._key = value.key;
      this._value = value.value;
    }
  }

  // key - computed: false, optional: false, required: true
  private _key?: string; 
  public get key() {
    return this.getStringAttribute('key');
  }
  public set key(value: string) {
    this._key = value;
  }
  // Temporarily expose input value. Use with caution.
  public get keyInput() {
    return this._key;
  }

  // value - computed: false, optional: false, required: true
  private _value?: string; 
  public get value() {
    return this.getStringAttribute('value');
  }
  public set value(value: string) {
    this._value = value;
  }
  // Temporarily expose input value. Use with caution.
  public get valueInput() {
    return this._value;
  }
}

export class WebhookIntegrationHeadersList extends cdktf.ComplexList {
  public internalValue? : WebhookIntegrationHeaders[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): WebhookIntegrationHeadersOutputReference {
    return new WebhookIntegrationHeadersOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration auditdrain_webhook_integration}
*/
export class WebhookIntegration extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auditdrain_webhook_integration";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a WebhookIntegration resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the WebhookIntegration to import
  * @param importFromId The id of the existing WebhookIntegration that should be imported. Refer to the {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the WebhookIntegration to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "auditdrain_webhook_integration", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/webhook_integration auditdrain_webhook_integration} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options WebhookIntegrationConfig
  */
  public constructor(scope: Construct, id: string, config: WebhookIntegrationConfig) {
    super(scope, id, {
      terraformResourceType: 'auditdrain_webhook_integration',
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
    this._name = config.name;
    this._url = config.url;
    this._headers.internalValue = config.headers;
    this._sendAuditLogEvents = config.sendAuditLogEvents;
    this._sendAuthorizationEvents = config.sendAuthorizationEvents;
    this._filterForActions = config.filterForActions;
    this._enabled = config.enabled;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // url - computed: false, optional: false, required: true
  private _url?: string; 
  public get url() {
    return this.getStringAttribute('url');
  }
  public set url(value: string) {
    this._url = value;
  }
  // Temporarily expose input value. Use with caution.
  public get urlInput() {
    return this._url;
  }

  // headers - computed: false, optional: true, required: false
  private _headers = new WebhookIntegrationHeadersList(this, "headers", false);
  public get headers() {
    return this._headers;
  }
  public putHeaders(value: WebhookIntegrationHeaders[] | cdktf.IResolvable) {
    this._headers.internalValue = value;
  }
  public resetHeaders() {
    this._headers.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get headersInput() {
    return this._headers.internalValue;
  }

  // send_audit_log_events - computed: true, optional: true, required: false
  private _sendAuditLogEvents?: boolean | cdktf.IResolvable; 
  public get sendAuditLogEvents() {
    return this.getBooleanAttribute('send_audit_log_events');
  }
  public set sendAuditLogEvents(value: boolean | cdktf.IResolvable) {
    this._sendAuditLogEvents = value;
  }
  public resetSendAuditLogEvents() {
    this._sendAuditLogEvents = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sendAuditLogEventsInput() {
    return this._sendAuditLogEvents;
  }

  // send_authorization_events - computed: true, optional: true, required: false
  private _sendAuthorizationEvents?: boolean | cdktf.IResolvable; 
  public get sendAuthorizationEvents() {
    return this.getBooleanAttribute('send_authorization_events');
  }
  public set sendAuthorizationEvents(value: boolean | cdktf.IResolvable) {
    this._sendAuthorizationEvents = value;
  }
  public resetSendAuthorizationEvents() {
    this._sendAuthorizationEvents = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sendAuthorizationEventsInput() {
    return this._sendAuthorizationEvents;
  }

  // filter_for_actions - computed: false, optional: true, required: false
  private _filterForActions?: string[]; 
  public get filterForActions() {
    return cdktf.Fn.tolist(this.getListAttribute('filter_for_actions'));
  }
  public set filterForActions(value: string[]) {
    this._filterForActions = value;
  }
  public resetFilterForActions() {
    this._filterForActions = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get filterForActionsInput() {
    return this._filterForActions;
  }

  // signing_secret - computed: true, optional: false, required: false
  public get signingSecret() {
    return this.getStringAttribute('signing_secret');
  }

  // enabled - computed: true, optional: true, required: false
  private _enabled?: boolean | cdktf.IResolvable; 
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  public set enabled(value: boolean | cdktf.IResolvable) {
    this._enabled = value;
  }
  public resetEnabled() {
    this._enabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enabledInput() {
    return this._enabled;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
      url: cdktf.stringToTerraform(this._url),
      headers: cdktf.listMapper(webhookIntegrationHeadersToTerraform, false)(this._headers.internalValue),
      send_audit_log_events: cdktf.booleanToTerraform(this._sendAuditLogEvents),
      send_authorization_events: cdktf.booleanToTerraform(this._sendAuthorizationEvents),
      filter_for_actions: cdktf.listMapper(cdktf.stringToTerraform, false)(this._filterForActions),
      enabled: cdktf.booleanToTerraform(this._enabled),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      url: {
        value: cdktf.stringToHclTerraform(this._url),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      headers: {
        value: cdktf.listMapperHcl(webhookIntegrationHeadersToHclTerraform, false)(this._headers.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "WebhookIntegrationHeadersList",
      },
      send_audit_log_events: {
        value: cdktf.booleanToHclTerraform(this._sendAuditLogEvents),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      send_authorization_events: {
        value: cdktf.booleanToHclTerraform(this._sendAuthorizationEvents),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      filter_for_actions: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._filterForActions),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      enabled: {
        value: cdktf.booleanToHclTerraform(this._enabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
