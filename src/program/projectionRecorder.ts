/**
 * How the policy projection (./policyProjection.ts) records resources: in the offline engine's record
 * shape, with the URNs and parents the real program's components would get, and no Pulumi import.
 */
import { PROJECT_NAME } from "../config/stackFile.ts";
import { ResourceType } from "../azure/catalog.ts";
import type { RecordedResource } from "../model/recorded.ts";
import type { StackPlan } from "../stack/planStack.ts";
import { normalizePublicIp } from "../validation/publicIp.ts";

/** Component type tokens, as the components pass them to `super()`. */
export const COMPONENT = {
  environment: "azlab:lab:Environment",
  nsg: "azlab:network:NetworkSecurityGroup",
  vnet: "azlab:network:VirtualNetwork",
  publicIp: "azlab:network:PublicIp",
  bastion: "azlab:network:Bastion",
  hubAndSpoke: "azlab:network:HubAndSpoke",
  vm: "azlab:compute:VirtualMachine",
  scaleSet: "azlab:compute:ScaleSet",
  storage: "azlab:storage:StorageAccount",
  cluster: "azlab:containers:KubernetesCluster",
  registry: "azlab:containers:Registry",
} as const;

/** Ids that exist only once resources do; no rule and no meter reads them. */
export const PLACEHOLDER_ID = "projected";

/**
 * A Pulumi URN: the parent's type, when there is a parent component, qualifies the resource's own
 * (`urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>`), as the URN snapshots show.
 */
function urnOf(stack: string, parentType: string | undefined, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT_NAME}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/** Collects the projection; each component is recorded (custom: false) so parents resolve. */
export class Projection {
  readonly resources: RecordedResource[] = [];

  constructor(
    private readonly plan: StackPlan,
    /** Tags the cost estimate reads: `student` inside a student's environment (src/program/tags.ts). */
    private readonly tags: Readonly<Record<string, string>>,
  ) {}

  /** A component; one without a parent component is the stack's child, as in any Pulumi program. */
  component(parent: { type: string; urn: string } | undefined, type: string, name: string) {
    const urn = urnOf(this.plan.stack, parent?.type, type, name);
    const stack = urnOf(
      this.plan.stack,
      undefined,
      "pulumi:pulumi:Stack",
      `${PROJECT_NAME}-${this.plan.stack}`,
    );
    this.add(urn, type, name, false, parent?.urn ?? stack, {});
    return { type, urn };
  }

  custom(parent: { type: string; urn: string }, type: string, name: string, props: Record<string, unknown>) {
    const urn = urnOf(this.plan.stack, parent.type, type, name);
    this.add(urn, type, name, true, parent.urn, {
      location: this.plan.config.location,
      ...props,
      tags: { ...this.tags },
    });
    return urn;
  }

  private add(
    urn: string,
    type: string,
    name: string,
    custom: boolean,
    parent: string | undefined,
    inputs: Record<string, unknown>,
  ): void {
    this.resources.push({
      urn,
      type,
      name,
      custom,
      ...(parent !== undefined ? { parent } : {}),
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      inputs,
      secretInputs: [],
    });
  }
}

/** A PublicIp component and its address, as components/network/publicIp.ts registers them. */
export function publicIp(
  projection: Projection,
  parent: { type: string; urn: string },
  name: string,
  options: Parameters<typeof normalizePublicIp>[0],
): void {
  const ip = normalizePublicIp(options, name).value;
  if (!ip) return;
  const component = projection.component(parent, COMPONENT.publicIp, name);
  projection.custom(component, ResourceType.PublicIPAddress, name, {
    publicIpAddressName: ip.publicIpName,
    sku: { name: ip.sku, tier: "Regional" },
  });
}
