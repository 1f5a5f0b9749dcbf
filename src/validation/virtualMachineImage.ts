/**
 * Which image a standalone VM boots (named, marketplace or Compute Gallery) and whether Trusted Launch
 * can be on for it, by the image's generation and the size's series.
 */
import type { Problem } from "../errors.ts";
import { imageGeneration, trustedLaunchSupport } from "./scaleSet/index.ts";
import {
  VM_IMAGES,
  type NormalizedVirtualMachine,
  type VirtualMachineOptions,
  type VmImageName,
  type VmOs,
} from "./virtualMachineTypes.ts";

/**
 * Windows Server Azure Edition is published for generation 2 only (`az vm image list --publisher
 * MicrosoftWindowsServer --offer WindowsServer --sku azure-edition --all` lists hyperVGeneration V2), so
 * Trusted Launch can be on by default like on the generation 2 Ubuntu images.
 */
const WINDOWS_GEN2_SKUS = /^20(22|25)-datacenter-azure-edition(-core)?(-smalldisk)?$/i;

/**
 * An Azure Compute Gallery image definition or version id ("Store and share images in an Azure Compute
 * Gallery": `.../galleries/<gallery>/images/<definition>/versions/<version>`, the version `latest` or
 * MAJOR.MINOR.PATCH).
 */
const GALLERY_IMAGE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Compute\/galleries\/[A-Za-z0-9_.]+\/images\/[A-Za-z0-9_.-]+(\/versions\/(latest|\d+\.\d+\.\d+))?$/i;

/** The OS a named image implies, and the image in ARM's form; undefined image when it is unknown. */
export function resolveImage(
  image: VirtualMachineOptions["image"],
  problems: Problem[],
): { image?: NormalizedVirtualMachine["image"]; os?: VmOs; osDiskGb?: number } {
  if (image === undefined || typeof image === "string") {
    const named = VM_IMAGES[(image ?? "ubuntu-22.04") as VmImageName] as
      (typeof VM_IMAGES)[VmImageName] | undefined;
    if (!named || !Object.hasOwn(VM_IMAGES, image ?? "ubuntu-22.04")) {
      problems.push({
        path: "image",
        message: "is not a known image",
        value: image,
        allowed: `${Object.keys(VM_IMAGES).join(", ")}, { publisher, offer, sku, version } or { id } of a gallery image`,
      });
      return {};
    }
    return {
      image: { kind: "marketplace", reference: { ...named.image } },
      os: named.os,
      osDiskGb: named.osDiskGb,
    };
  }
  if (typeof image !== "object" || image === null) {
    problems.push({
      path: "image",
      message: "is not an image",
      value: image,
      allowed: "a name, { publisher, offer, sku, version } or { id }",
    });
    return {};
  }
  if ("id" in image) {
    if (typeof image.id !== "string" || !GALLERY_IMAGE_ID.test(image.id)) {
      problems.push({
        path: "image.id",
        message: "is not an Azure Compute Gallery image id",
        value: image.id,
        allowed:
          "/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<gallery>/images/<image>, optionally /versions/<latest or 1.2.3>",
      });
      return {};
    }
    return { image: { kind: "gallery", id: image.id } };
  }
  let ok = true;
  for (const field of ["publisher", "offer", "sku"] as const) {
    const value: unknown = image[field];
    if (typeof value !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
      ok = false;
      problems.push({
        path: `image.${field}`,
        message: value === undefined ? "is missing" : "is not a marketplace image name",
        ...(value === undefined ? {} : { value }),
        allowed: "letters, digits, periods, hyphens and underscores, as `az vm image list` shows them",
      });
    }
  }
  const version = image.version ?? "latest";
  if (version !== "latest" && !/^\d+\.\d+\.\d+$/.test(version)) {
    ok = false;
    problems.push({
      path: "image.version",
      message: "is not an image version",
      value: version,
      allowed: `"latest" or MAJOR.MINOR.PATCH such as 22.04.202401010`,
    });
  }
  if (!ok) return {};
  return {
    image: {
      kind: "marketplace",
      reference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version },
    },
  };
}

/** Generation of the image where azlab knows it: its named images, Canonical's SKUs, Azure Edition. */
function generationOf(image: NormalizedVirtualMachine["image"] | undefined): 1 | 2 | undefined {
  if (!image || image.kind === "gallery") return undefined;
  const ref = image.reference;
  if (ref.publisher.toLowerCase() === "microsoftwindowsserver" && WINDOWS_GEN2_SKUS.test(ref.sku)) return 2;
  return imageGeneration(ref);
}

export function trustedLaunchSetting(
  requested: boolean | undefined,
  size: string,
  image: NormalizedVirtualMachine["image"] | undefined,
  problems: Problem[],
): boolean {
  const support = trustedLaunchSupport(size);
  const generation = generationOf(image);
  if (requested === undefined) return support?.supported === true && generation === 2;
  if (!requested) return false;
  // Azure rejects these creates ("Trusted Launch for Azure virtual machines": listed sizes, generation 2 images).
  if (support?.supported === false) {
    problems.push({
      path: "trustedLaunch",
      message: `cannot be on for ${size}: Microsoft lists the ${support.series} as not supporting Trusted Launch`,
      value: true,
      allowed: "false, or a size that supports it such as Standard_B2s or Standard_D2s_v5",
    });
  }
  if (generation === 1) {
    problems.push({
      path: "trustedLaunch",
      message: "cannot be on for a generation 1 image",
      value: true,
      allowed: "false, or a generation 2 image such as ubuntu-22.04 or windows-2022",
    });
  }
  return true;
}
