/**
 * The meters azlab's resources use, as Azure Retail Prices API items. Ids are azlab's; every other field
 * is the API's, so `azlab prices update` can find each meter again. Linux VMs only: azlab deploys Ubuntu.
 */
import type { MeterSpec } from "./types.ts";

const VM_SIZES: Readonly<Record<string, { product: string; sku: string }>> = {
  Standard_B1s: { product: "Virtual Machines BS Series", sku: "B1s" },
  Standard_B2s: { product: "Virtual Machines BS Series", sku: "B2s" },
  Standard_D2s_v5: { product: "Virtual Machines Dsv5 Series", sku: "D2s v5" },
  Standard_D4s_v5: { product: "Virtual Machines Dsv5 Series", sku: "D4s v5" },
};

/** Managed disk tiers azlab's OS disks land in (30 GiB Ubuntu images; 128 GiB AKS node disks). */
const DISKS: Readonly<Record<string, { product: string; sku: string }>> = {
  "StandardSSD_LRS:E4": { product: "Standard SSD Managed Disks", sku: "E4 LRS" },
  "StandardSSD_LRS:E10": { product: "Standard SSD Managed Disks", sku: "E10 LRS" },
  "Premium_LRS:P4": { product: "Premium SSD Managed Disks", sku: "P4 LRS" },
  "Premium_LRS:P10": { product: "Premium SSD Managed Disks", sku: "P10 LRS" },
  "Standard_LRS:S4": { product: "Standard HDD Managed Disks", sku: "S4 LRS" },
  "Standard_LRS:S10": { product: "Standard HDD Managed Disks", sku: "S10 LRS" },
};

export const STORAGE_REDUNDANCIES = ["LRS", "ZRS", "GRS", "RAGRS", "GZRS"] as const;
export const STORAGE_TIERS = ["Hot", "Cool"] as const;

function build(): MeterSpec[] {
  const meters: MeterSpec[] = [];
  for (const [size, { product, sku }] of Object.entries(VM_SIZES)) {
    meters.push({
      id: `vm:${size}`,
      serviceName: "Virtual Machines",
      armSkuName: size,
      productName: product,
      skuName: sku,
      meterName: sku,
      unitOfMeasure: "1 Hour",
      basis: "hour",
    });
  }
  for (const [key, { product, sku }] of Object.entries(DISKS)) {
    meters.push({
      id: `disk:${key}`,
      serviceName: "Storage",
      armSkuName: "",
      productName: product,
      skuName: sku,
      meterName: `${sku} Disk`,
      unitOfMeasure: "1/Month",
      basis: "month",
    });
  }
  const network = (
    id: string,
    product: string,
    sku: string,
    meterName: string,
    unitOfMeasure: string,
    basis: MeterSpec["basis"],
    serviceName = product,
  ): MeterSpec => ({
    id,
    serviceName,
    armSkuName: "",
    productName: product,
    skuName: sku,
    meterName,
    unitOfMeasure,
    basis,
  });
  meters.push(
    network(
      "pip:Standard",
      "IP Addresses",
      "Standard",
      "Standard IPv4 Static Public IP",
      "1 Hour",
      "hour",
      "Virtual Network",
    ),
    network(
      "lb:Standard:rules",
      "Load Balancer",
      "Standard",
      "Standard Included LB Rules and Outbound Rules",
      "1 Hour",
      "hour",
    ),
    network("lb:Standard:data", "Load Balancer", "Standard", "Standard Data Processed", "1 GB", "gb"),
    network("nat:Standard:hour", "NAT Gateway", "Standard", "Standard Gateway", "1 Hour", "hour"),
    network("nat:Standard:data", "NAT Gateway", "Standard", "Standard Data Processed", "1 GB", "gb"),
    network("bastion:Basic", "Azure Bastion", "Basic", "Basic Gateway", "1 Hour", "hour"),
    network("bastion:Standard", "Azure Bastion", "Standard", "Standard Gateway", "1 Hour", "hour"),
    // VNet peering in one region bills per GB at both ends (azure.microsoft.com/pricing/details/virtual-network/).
    network(
      "peering:egress",
      "Virtual Network Peering",
      "Intra-Region",
      "Intra-Region Egress",
      "1 GB",
      "gb",
      "Virtual Network",
    ),
    network(
      "peering:ingress",
      "Virtual Network Peering",
      "Intra-Region",
      "Intra-Region Ingress",
      "1 GB",
      "gb",
      "Virtual Network",
    ),
  );
  for (const tier of STORAGE_TIERS) {
    for (const red of STORAGE_REDUNDANCIES) {
      const sku = `${tier} ${red}`;
      const item = (
        suffix: string,
        meterName: string,
        unit: string,
        basis: MeterSpec["basis"],
      ): MeterSpec => ({
        id: `storage:${tier}:${red}:${suffix}`,
        serviceName: "Storage",
        armSkuName: "",
        productName: "General Block Blob v2",
        skuName: sku,
        meterName,
        unitOfMeasure: unit,
        basis,
      });
      meters.push(
        item("capacity", `${sku} Data Stored`, "1 GB/Month", "gb"),
        item("write", `${tier} ${red} Write Operations`, "10K", "10k"),
        item("read", `${tier} Read Operations`, "10K", "10k"),
      );
    }
  }
  for (const sku of ["Basic", "Standard", "Premium"]) {
    meters.push({
      id: `acr:${sku}`,
      serviceName: "Container Registry",
      armSkuName: "",
      productName: "Container Registry",
      skuName: sku,
      meterName: `${sku} Registry Unit`,
      unitOfMeasure: "1/Day",
      basis: "day",
    });
  }
  for (const tier of ["Free", "Standard", "Premium"]) {
    meters.push({
      id: `aks:${tier}`,
      serviceName: "Azure Kubernetes Service",
      armSkuName: "",
      productName: "Azure Kubernetes Service",
      skuName: tier,
      meterName: tier === "Free" ? "Free Cluster Management" : `${tier} Uptime SLA`,
      unitOfMeasure: "1 Hour",
      basis: "hour",
    });
  }
  meters.push({
    id: "budget",
    serviceName: "Cost Management",
    armSkuName: "",
    productName: "Budgets",
    skuName: "Budget",
    meterName: "Budget",
    unitOfMeasure: "1/Month",
    basis: "month",
  });
  return meters;
}

/** Every meter, in a fixed order. */
export const METERS: readonly MeterSpec[] = build();

export const METER_BY_ID: ReadonlyMap<string, MeterSpec> = new Map(METERS.map((m) => [m.id, m]));
