/**
 * The security profile of a Trusted Launch VM or scale set: secure boot and vTPM on. Set only where the
 * validator found that the size and image support Trusted Launch (src/validation/scaleSet/vm.ts and
 * src/validation/virtualMachine.ts).
 */
export const TRUSTED_LAUNCH_PROFILE = {
  securityType: "TrustedLaunch",
  uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
} as const;
