/**
 * An Azure Container Registry with the admin user and anonymous pull off, Premium-only features guarded,
 * and AcrPull role assignments keyed by consumer.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as containerregistry from "@pulumi/azure-native/containerregistry/index.js";
import { subscriptionSalted } from "../../src/naming/globalNames.ts";
import { normalizeRegistry, type RegistryOptions } from "../../src/validation/registry.ts";
import { registryProps, sendsZoneRedundancy } from "../../src/validation/registryProps.ts";
import { BuiltInRole, roleDefinitionId } from "../../src/azure/catalog.ts";
import { acrPullAssignment } from "../shared/acrPull.ts";
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

/** Drops `zoneRedundancy` from a registration, so Azure's own default applies. */
const withoutZoneRedundancy: pulumi.ResourceTransform = ({ props, opts }) => {
  const rest = { ...props };
  delete rest["zoneRedundancy"];
  return { props: rest, opts };
};

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
    const defaultSeed = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const normalized = normalizeRegistry(args, name, defaultSeed, Object.keys(pullers));
    const r = valueOrThrow(normalized, `Registry "${name}" has invalid arguments:`);
    super("azlab:containers:Registry", name, {}, opts);

    // A derived name is salted with the deploying subscription, so adopters never collide (see
    // subscriptionSalted); the salt changes only the hash, whose length and alphabet the validator checked.
    // One lookup of the deployer's subscription serves the name and the AcrPull role id.
    let clientConfig: pulumi.Output<authorization.GetClientConfigResult> | undefined;
    const client = () => (clientConfig ??= authorization.getClientConfigOutput({ parent: this }));
    const registryName: pulumi.Input<string> =
      args.registryName !== undefined
        ? r.registryName
        : client().apply(
            (c) =>
              normalizeRegistry(
                { ...args, nameSeed: subscriptionSalted(c.subscriptionId, args.nameSeed ?? defaultSeed) },
                name,
                defaultSeed,
                Object.keys(pullers),
              ).value?.registryName ?? r.registryName,
          );

    const sendZoneRedundancy = sendsZoneRedundancy(r);

    const registry = new containerregistry.Registry(
      name,
      {
        registryName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        // The Azure properties, from one pure function that `azlab validate` uses too.
        ...registryProps(r),
      },
      {
        parent: this,
        // The SDK fills in the spec's default, zoneRedundancy "Disabled", for a property left out; removing it
        // from the registration is the only way not to send it.
        ...(sendZoneRedundancy ? {} : { transforms: [withoutZoneRedundancy] }),
        ...statefulResourceOptions(args.statefulOptions),
      },
    );

    const entries = Object.entries(pullers);
    if (entries.length > 0) {
      const acrPullRole = client().apply((c) => roleDefinitionId(c.subscriptionId, BuiltInRole.AcrPull));
      for (const [key, principalId] of entries) {
        acrPullAssignment(logicalName(name, `acrpull-${key}`), this, acrPullRole, registry.id, principalId);
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
