/** Small recorded-resource fixtures and a price table for the estimator tests; prices are test data. */
import type { CostedResource } from "../../src/cost/usage.ts";
import type { PriceEntry, PriceTable } from "../../src/cost/types.ts";
import { METERS } from "../../src/cost/meters.ts";

const urn = (type: string, name: string) => `urn:pulumi:t::azlab::${type}::${name}`;

/** A scale set of `student` with its autoscale setting: Tue/Thu 08:30–12:30, floor 1, class floor 2. */
export function scaleSet(student: string): CostedResource[] {
  const parent = urn("azlab:compute:ScaleSet", `${student}-web`);
  return [
    {
      urn: urn("azure-native:compute:VirtualMachineScaleSet", `${student}-web`),
      type: "azure-native:compute:VirtualMachineScaleSet",
      custom: true,
      parent,
      inputs: {
        location: "westeurope",
        sku: { name: "Standard_B1s", capacity: 1 },
        tags: { student },
        virtualMachineProfile: {
          storageProfile: { osDisk: { managedDisk: { storageAccountType: "StandardSSD_LRS" } } },
        },
      },
    },
    {
      urn: urn("azure-native:monitor:AutoscaleSetting", `${student}-web-autoscale`),
      type: "azure-native:monitor:AutoscaleSetting",
      custom: true,
      parent,
      inputs: {
        tags: { student },
        profiles: [
          { name: "default", capacity: { minimum: "1", default: "1", maximum: "2" } },
          {
            name: "class-hours",
            capacity: { minimum: "2", default: "2", maximum: "2" },
            recurrence: {
              frequency: "Week",
              schedule: { days: ["Tuesday", "Thursday"], hours: [8], minutes: [30] },
            },
          },
          {
            name: "class-hours-end",
            capacity: { minimum: "1", default: "1", maximum: "2" },
            recurrence: {
              frequency: "Week",
              schedule: { days: ["Tuesday", "Thursday"], hours: [12], minutes: [30] },
            },
          },
        ],
      },
    },
  ];
}

export const natGateway: CostedResource = {
  urn: urn("azure-native:network:NatGateway", "hub-nat"),
  type: "azure-native:network:NatGateway",
  custom: true,
  inputs: { location: "westeurope", sku: { name: "Standard" } },
};

export const registry: CostedResource = {
  urn: urn("azure-native:containerregistry:Registry", "registry"),
  type: "azure-native:containerregistry:Registry",
  custom: true,
  inputs: { location: "koreacentral", sku: { name: "Basic" } },
};

export const vnet: CostedResource = {
  urn: urn("azure-native:network:VirtualNetwork", "hub-vnet"),
  type: "azure-native:network:VirtualNetwork",
  custom: true,
  inputs: { location: "westeurope" },
};

export const firewall: CostedResource = {
  urn: urn("azure-native:network:AzureFirewall", "hub-fw"),
  type: "azure-native:network:AzureFirewall",
  custom: true,
  inputs: { location: "westeurope" },
};

const priced = (meter: string, region: string | null, unitPrice: number): PriceEntry => ({
  meter,
  armRegionName: region,
  currencyCode: "USD",
  unitPrice,
  effectiveDate: "2026-11-01",
  source: { url: `https://example.test/${meter}`, retrieved: "2026-11-02" },
});

/** Test prices: B1s $0.01/h, E4 $2/month, NAT $0.05/h and $0.04/GB in westeurope; ACR Basic $0.2/day anywhere. */
export const TEST_TABLE: PriceTable = {
  version: "azlab.prices/v1",
  updated: "2026-11-02",
  currencyCode: "USD",
  regions: ["westeurope"],
  meters: METERS,
  prices: [
    priced("vm:Standard_B1s", "westeurope", 0.01),
    priced("disk:StandardSSD_LRS:E4", "westeurope", 2),
    priced("nat:Standard:hour", "westeurope", 0.05),
    priced("nat:Standard:data", "westeurope", 0.04),
    priced("acr:Basic", null, 0.2),
  ],
};
