/**
 * An Azure Container Registry with the admin user and anonymous pull off, Premium-only features guarded,
 * and AcrPull role assignments keyed by consumer.
 */
import * as pulumi from "@pulumi/pulumi";
import * as containerregistry from "@pulumi/azure-native/containerregistry/index.js";
import { normalizeRegistry, type RegistryOptions } from "../../src/validation/registry.ts";
import { acrPullAssignment, acrPullRoleDefinitionId } from "../shared/acrPull.ts";
import { statefulResourceOptions, type StatefulOptions } from "../shared/stateful.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface RegistryArgs extends RegistryOptions {
  /** Resource group of the registry. Required. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. Defaults to the resource group's region. */
  readonly location?: pulumi.Input<string>;
  /** Tags on the registry. Defaults to none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Principal ids (service principals or managed identities) that get AcrPull on the registry, keyed by
   * consumer name, for example `{ aks: cluster.kubeletObjectId }`. The key names the assignment and must stay
   * stable. Defaults to none.
   */
  readonly pullers?: Readonly<Record<string, pulumi.Input<string>>>;
  /** `protect` / `retainOnDelete` for the registry itself. Defaults to inheriting from `opts`. */
  readonly statefulOptions?: StatefulOptions;
}

export class Registry extends pulumi.ComponentResource {
  /** The registry's Azure name. */
  readonly registryName: pulumi.Output<string>;
  /** The registry's Azure resource id. */
  readonly registryId: pulumi.Output<string>;
  /** The login server, for example `name.azurecr.io`. */
  readonly loginServer: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const pullers = args.pullers ?? {};
    const normalized = normalizeRegistry(
      args,
      name,
      `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
      Object.keys(pullers),
    );
    const r = valueOrThrow(normalized, `Registry "${name}" has invalid arguments:`);
    super("azlab:containers:Registry", name, {}, opts);

    const premium = r.sku === "Premium";

    const registry = new containerregistry.Registry(
      name,
      {
        registryName: r.registryName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        sku: { name: r.sku },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: r.publicNetworkAccessEnabled ? "Enabled" : "Disabled",
        zoneRedundancy: r.zoneRedundancyEnabled ? "Enabled" : "Disabled",
        dataEndpointEnabled: r.dataEndpointEnabled,
        // Trusted Azure services (ACR Tasks, Defender scanning) may pass the network rules; written out because
        // it is a security setting, with the value Azure would pick anyway.
        networkRuleBypassOptions: "AzureServices",
        // Basic and Standard reject these policies outright, so they are only sent for Premium.
        ...(premium
          ? {
              policies: {
                quarantinePolicy: { status: r.quarantineEnabled ? "enabled" : "disabled" },
                retentionPolicy:
                  r.retentionDays !== undefined
                    ? { status: "enabled", days: r.retentionDays }
                    : { status: "disabled" },
              },
            }
          : {}),
      },
      { parent: this, ...statefulResourceOptions(args.statefulOptions) },
    );

    const entries = Object.entries(pullers);
    if (entries.length > 0) {
      const roleDefinitionId = acrPullRoleDefinitionId(this);
      for (const [key, principalId] of entries) {
        acrPullAssignment(
          logicalName(name, `acrpull-${key}`),
          this,
          roleDefinitionId,
          registry.id,
          principalId,
        );
      }
    }

    this.registryName = registry.name;
    this.registryId = registry.id;
    this.loginServer = registry.loginServer;
    this.registerOutputs({
      registryName: this.registryName,
      registryId: this.registryId,
      loginServer: this.loginServer,
    });
  }
}
