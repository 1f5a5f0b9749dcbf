import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../src/errors.ts";
import {
  DEFAULT_CLOUD_INIT,
  durationSeconds,
  normalizeScaleSet,
  supportsAutomaticOsUpgrade,
  UBUNTU_IMAGES,
  type ScaleSetOptions,
} from "../../src/validation/scaleSet/index.ts";

const lines = (result: { problems: readonly Problem[] }) => result.problems.map((p) => formatProblem(p));

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxJPsvy5tgU7cH4TSo4Y258D0QybT9JUkO06q8ZtSx5 student@lab";
const base: ScaleSetOptions = { sshPublicKey: KEY };

describe("normalizeScaleSet", () => {
  it("applies every default and names the scale set, its load balancer, public IP and autoscale setting", () => {
    expect(normalizeScaleSet({ ...base, nameParts: ["azlab", "dev", "main"] }, "main-web").value).toEqual({
      names: {
        vmss: "vmss-azlab-dev-main",
        loadBalancer: "lbe-azlab-dev-main",
        publicIp: "pip-azlab-dev-main",
        autoscale: "as-azlab-dev-main",
      },
      adminUsername: "azlab",
      vmSize: "Standard_B2s",
      // The default is on Microsoft's automatic OS image upgrade list, so the feature stays on.
      image: {
        publisher: "Canonical",
        offer: "0001-com-ubuntu-server-jammy",
        sku: "22_04-lts-gen2",
        version: "latest",
      },
      automaticOsUpgrade: true,
      // Standard_B2s is a B-series size and 22_04-lts-gen2 a generation 2 image.
      trustedLaunch: true,
      cloudInit: DEFAULT_CLOUD_INIT,
      computerNamePrefix: "mainweb",
      osDiskType: "StandardSSD_LRS",
      zones: [],
      instanceCount: 2,
      maxInstances: 4,
      autoscale: {
        enabled: true,
        minimum: 1,
        default: 2,
        maximum: 4,
        scaleOut: {
          cpuThresholdPercent: 75,
          timeGrain: "PT1M",
          timeWindow: "PT5M",
          cooldown: "PT5M",
          changeCount: 1,
        },
        scaleIn: {
          cpuThresholdPercent: 25,
          timeGrain: "PT1M",
          timeWindow: "PT10M",
          cooldown: "PT5M",
          changeCount: 1,
        },
        schedules: [],
      },
      loadBalancer: { type: "public", existingPublicIp: false, zones: [] },
      healthProbe: { protocol: "Http", port: 80, path: "/", intervalInSeconds: 15, probeThreshold: 2 },
      rules: [
        {
          name: "http",
          frontendPort: 80,
          backendPort: 80,
          protocol: "Tcp",
          loadDistribution: "Default",
          idleTimeoutInMinutes: 4,
        },
      ],
      outbound: "none",
      outboundPortsPerInstance: 1024,
    });
  });

  it("refuses Basic SKUs, bad autoscale counts and thresholds, reserved user names and probe mistakes", () => {
    expect(
      lines(
        normalizeScaleSet(
          {
            ...base,
            adminUsername: "Admin",
            loadBalancer: { sku: "Basic", publicIpSku: "Basic" },
            healthProbe: { protocol: "Tcp", path: "/healthz", probeThreshold: 1 },
            autoscale: {
              minimum: 5,
              default: 3,
              maximum: 2,
              scaleOut: { cpuThresholdPercent: 120 },
              scaleIn: { cpuThresholdPercent: 130, timeWindow: "10 minutes" },
            },
            instanceCount: 3,
          },
          "web",
        ),
      ),
    ).toEqual([
      'adminUsername: is a name Azure reserves (got "Admin"; allowed: 1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure\'s reserved names (admin, administrator, root, user, guest, test, ...))',
      'autoscale: instance counts must satisfy minimum <= default <= maximum (got {"minimum":5,"default":3,"maximum":2})',
      "autoscale.scaleOut.cpuThresholdPercent: is out of range (got 120; allowed: a percentage from 0 to 100)",
      "autoscale.scaleIn.cpuThresholdPercent: is out of range (got 130; allowed: a percentage from 0 to 100)",
      'autoscale.scaleIn.timeWindow: is not an ISO-8601 duration in range (got "10 minutes"; allowed: a duration from PT5M to PT12H)',
      'loadBalancer.sku: the Basic load balancer SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
      'loadBalancer.publicIpSku: the Basic public IP SKU was retired on 30 September 2025 and can no longer be created (got "Basic"; allowed: "Standard")',
      "healthProbe.probeThreshold: is out of range (got 1; allowed: an integer from 2 to 2147483647)",
      'healthProbe.path: is not allowed for Tcp probes (got "/healthz"; allowed: leave it out, or use protocol "Http")',
    ]);
  });

  it("refuses a min above max, LB egress on an internal LB, a private key and a pinned image", () => {
    expect(
      lines(
        normalizeScaleSet(
          {
            ...base,
            sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc",
            image: {
              publisher: "Canonical",
              offer: "0001-com-ubuntu-server-jammy",
              sku: "22_04-lts-gen2",
              version: "22.04.202501010",
            },
            loadBalancer: { type: "internal", dnsLabel: "web" },
            outbound: "loadBalancer",
            autoscale: { minimum: 4, default: 4, maximum: 3, scaleIn: { cpuThresholdPercent: 75 } },
            instanceCount: 3,
            rules: {},
          },
          "web",
        ),
      ),
    ).toEqual([
      "sshPublicKey: holds a private key (allowed: the contents of the .pub file)",
      'image.version: must be latest because automatic OS upgrades are on (got "22.04.202501010"; allowed: "latest")',
      'autoscale: instance counts must satisfy minimum <= default <= maximum (got {"minimum":4,"default":4,"maximum":3})',
      "autoscale.scaleIn.cpuThresholdPercent: must be below the scale-out threshold 75, or the set keeps scaling out and in (got 75; allowed: less than 75)",
      'loadBalancer.dnsLabel: applies to public load balancers only (allowed: leave it out, or set loadBalancer.type to "public")',
      'outbound: needs a public load balancer: an internal one has no address to SNAT to (got "loadBalancer"; allowed: "natGateway", or loadBalancer.type "public")',
      "rules: is empty (allowed: at least one rule: the rolling-upgrade health probe must be used by a load-balancing rule)",
    ]);
  });

  it("keeps the instance count inside the autoscale range", () => {
    expect(lines(normalizeScaleSet({ ...base, instanceCount: 9 }, "web"))).toEqual([
      "instanceCount: lies outside the autoscale range (got 9; allowed: an integer from 1 to 4)",
    ]);
  });

  it("requires an SSH key, and leaves a secret (non-string) key to the deployment", () => {
    expect(lines(normalizeScaleSet({ ...base, sshPublicKey: "" }, "web"))).toEqual([
      "sshPublicKey: is missing: password login is always off, so a key is the only way in (allowed: the contents of a .pub file)",
    ]);
    expect(normalizeScaleSet({ ...base, sshPublicKey: { secret: true } }, "web").problems).toEqual([]);
  });

  it("budgets SNAT ports against the most instances the set can have, schedules included", () => {
    // One frontend IP offers 64,000 SNAT ports ("Source NAT for outbound connections", Azure Load Balancer docs).
    const result = normalizeScaleSet(
      {
        ...base,
        outbound: "loadBalancer",
        outboundPortsPerInstance: 8000,
        autoscale: {
          schedules: {
            lab: { days: ["Monday"], startHour: 8, endHour: 10, minimum: 2, default: 2, maximum: 10 },
          },
        },
      },
      "web",
    );
    expect(lines(result)).toEqual([
      "outboundPortsPerInstance: times 10 instances exceeds the 64000 SNAT ports of one frontend IP (got 8000; allowed: at most 6400)",
    ]);
  });

  it("reports schedule mistakes at the schedule's own keys", () => {
    const result = normalizeScaleSet(
      {
        ...base,
        autoscale: {
          schedules: {
            "bad name": {
              days: ["Funday" as "Monday"],
              startHour: 12,
              endHour: 9,
              endMinute: 60,
              minimum: 1,
              default: 2,
              maximum: 3,
            },
          },
        },
      },
      "web",
    );
    expect(lines(result)).toEqual([
      'autoscale.schedules.bad name: is not a valid schedule name (got "bad name"; allowed: 1 to 76 letters, digits, underscores, periods or hyphens)',
      'autoscale.schedules.bad name.days: has an unknown day (got "Funday"; allowed: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday)',
      "autoscale.schedules.bad name.endMinute: is out of range (got 60; allowed: an integer from 0 to 59)",
      'autoscale.schedules.bad name.endHour: must be later the same day than the start (got "09:60"; allowed: a time after 12:00)',
    ]);
  });
});

// "Supported OS images" in "Azure Virtual Machine Scale Set automatic OS image upgrades" (azure-compute-docs,
// virtual-machine-scale-sets-automatic-upgrade.md): the Ubuntu 24.04 row lists only server-arm64, and
// Azure rejects other images with "Automatic OS Upgrade cannot be enabled...".
describe("normalizeScaleSet automatic OS image upgrade allow-list", () => {
  const x64 = { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" };

  it("lists 22.04 gen2 and 24.04 arm64 but not 24.04 x64", () => {
    expect(supportsAutomaticOsUpgrade(UBUNTU_IMAGES["ubuntu-22.04"])).toBe(true);
    expect(supportsAutomaticOsUpgrade({ ...x64, sku: "server-arm64" })).toBe(true);
    expect(supportsAutomaticOsUpgrade(UBUNTU_IMAGES["ubuntu-24.04"])).toBe(false);
    expect(supportsAutomaticOsUpgrade({ ...x64, publisher: "canonical", sku: "SERVER-ARM64" })).toBe(true);
  });

  it("turns the feature off by default for an unlisted image, and lets it pin a version then", () => {
    for (const image of ["ubuntu-24.04" as const, { ...x64, version: "24.04.202501010" }]) {
      const result = normalizeScaleSet({ ...base, image }, "web");
      expect(result.problems).toEqual([]);
      expect(result.value?.automaticOsUpgrade).toBe(false);
    }
  });

  it("explains why it cannot be forced on for an unlisted image", () => {
    expect(lines(normalizeScaleSet({ ...base, image: x64, automaticOsUpgrade: true }, "web"))).toEqual([
      "automaticOsUpgrade: cannot be on for Canonical:ubuntu-24_04-lts:server, which Microsoft does not list for automatic OS image upgrades (got true; allowed: false, or an image listed for it: Canonical:0001-com-ubuntu-server-jammy:22_04-lts, Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2, Canonical:ubuntu-24_04-lts:server-arm64)",
    ]);
  });

  it("lets a listed image opt out", () => {
    const result = normalizeScaleSet({ ...base, automaticOsUpgrade: false }, "web");
    expect(result.value?.automaticOsUpgrade).toBe(false);
  });
});

describe("normalizeScaleSet schedule time zones", () => {
  const lab = { days: ["Monday" as const], startHour: 8, endHour: 10, minimum: 2, default: 2, maximum: 2 };
  const allowed =
    'an IANA time zone name such as "Europe/Amsterdam", "America/New_York" or "UTC" (one that CLDR 48 maps to a Windows id)';

  it("keeps the IANA name and carries the CLDR windowsZones id that Azure Monitor takes", () => {
    const result = normalizeScaleSet(
      { ...base, autoscale: { schedules: { lab: { ...lab, timeZone: "America/New_York" }, utc: lab } } },
      "web",
    );
    expect(result.value?.autoscale.schedules.map((s) => [s.name, s.timeZone, s.windowsTimeZone])).toEqual([
      ["lab", "America/New_York", "Eastern Standard Time"],
      ["utc", "UTC", "UTC"],
    ]);
  });

  it("refuses Windows ids and unknown names at the schedule's key", () => {
    const result = normalizeScaleSet(
      {
        ...base,
        autoscale: {
          schedules: {
            win: { ...lab, timeZone: "W. Europe Standard Time" },
            mars: { ...lab, timeZone: "Mars/Olympus" },
          },
        },
      },
      "web",
    );
    expect(lines(result)).toEqual([
      `autoscale.schedules.win.timeZone: is a Windows time zone id; write the IANA name, azlab converts it for Azure Monitor (got "W. Europe Standard Time"; allowed: ${allowed})`,
      `autoscale.schedules.mars.timeZone: is not an IANA time zone name (got "Mars/Olympus"; allowed: ${allowed})`,
    ]);
  });
});

describe("durationSeconds", () => {
  it("reads ISO-8601 durations and refuses anything else", () => {
    expect(durationSeconds("PT5M")).toBe(300);
    expect(durationSeconds("P1DT1H")).toBe(90000);
    expect(durationSeconds("PT")).toBeUndefined();
    expect(durationSeconds("5 minutes")).toBeUndefined();
  });
});
