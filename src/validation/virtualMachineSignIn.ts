/**
 * How one signs in to a standalone VM (src/validation/virtualMachine.ts): the admin user, the Linux SSH
 * key, the Windows password and the computer name, each by ARM's OSProfile rules.
 */
import type { Problem } from "../errors.ts";
import { sshPublicKeyFault } from "../azure/sshPublicKey.ts";
import { defaultVmComputerName } from "../naming/azureNames.ts";
import { RESERVED_ADMIN_NAMES } from "./scaleSet/index.ts";
import type { VirtualMachineOptions, VmOs } from "./virtualMachineTypes.ts";

/**
 * The password rules of ARM's OSProfile.adminPassword (Microsoft.Compute virtualMachines, documented on the
 * property in the REST API reference and in @pulumi/azure-native): 8–123 characters on Windows, three of
 * lower case, upper case, digit and special character, and a short list of refused values.
 */
const REFUSED_PASSWORDS = [
  "abc@123",
  "P@$$w0rd",
  "P@ssw0rd",
  "P@ssword123",
  "Pa$$word",
  "pass@word1",
  "Password!",
  "Password1",
  "Password22",
  "iloveyou!",
];
const PASSWORD_ALLOWED =
  "8 to 123 characters with three of: a lower-case letter, an upper-case letter, a digit, a special character; not a common password Azure refuses";

/**
 * Characters a Windows computer name cannot hold, and its 15-character limit (NetBIOS): "Naming rules and
 * restrictions for Azure resources", Microsoft.Compute virtualMachines, and ARM's OSProfile.computerName.
 */
const WINDOWS_COMPUTER_NAME = /^(?!\d+$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,13}[A-Za-z0-9])?$/;
const LINUX_COMPUTER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;

/**
 * Admin user rules of ARM's OSProfile.adminUsername: the reserved names (shared with the scale set),
 * at most 20 characters on Windows and not ending in a period, 1–64 on Linux.
 */
const LINUX_ADMIN_ALLOWED =
  "1 to 64 lowercase letters, digits, hyphens or underscores, starting with a letter or underscore, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";
const WINDOWS_ADMIN_ALLOWED =
  "at most 20 characters, none of \\ / \" [ ] : | < > + = ; , ? * @, not ending in a period, and not one of Azure's reserved names (admin, administrator, root, user, guest, test, ...)";

export function adminProblems(name: string, os: VmOs): Problem[] {
  const allowed = os === "windows" ? WINDOWS_ADMIN_ALLOWED : LINUX_ADMIN_ALLOWED;
  if (RESERVED_ADMIN_NAMES.includes(name.toLowerCase())) {
    return [{ path: "adminUsername", message: "is a name Azure reserves", value: name, allowed }];
  }
  const valid =
    os === "windows"
      ? /^[^\\/"[\]:|<>+=;,?*@\s]{1,20}$/.test(name) && !name.endsWith(".")
      : /^[a-z_][a-z0-9_-]{0,63}$/.test(name);
  return valid
    ? []
    : [
        {
          path: "adminUsername",
          message: `is not a valid ${os === "windows" ? "Windows" : "Linux"} user name`,
          value: name,
          allowed,
        },
      ];
}

export function sshKeyProblems(key: unknown, path: string): Problem[] {
  if (key === undefined || key === "") {
    return [
      {
        path,
        message: "is missing: password login is always off on Linux, so a key is the only way in",
        allowed: "the contents of a .pub file",
      },
    ];
  }
  if (typeof key !== "string") return [];
  // Show no value: a private key is a secret the user pasted by mistake.
  if (key.includes("PRIVATE KEY")) {
    return [{ path, message: "holds a private key", allowed: "the contents of the .pub file" }];
  }
  const fault = sshPublicKeyFault(key);
  if (fault === undefined) return [];
  return [
    {
      path,
      message:
        fault.kind === "shape" ? "is not an SSH public key" : `is not an SSH public key: ${fault.reason}`,
      value: key.slice(0, 20),
      allowed: "one line starting with ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521",
    },
  ];
}

/** Never shows the password: only which rule it breaks. A secret Output cannot be read and passes. */
export function passwordProblems(password: unknown): Problem[] {
  if (password === undefined || password === "") {
    return [
      {
        path: "adminPassword",
        message: "is missing: a Windows VM needs an admin password, and azlab never makes one up",
        allowed: "a secret set with `pulumi config set --secret`",
      },
    ];
  }
  if (typeof password !== "string") return [];
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[\W_]/].filter((c) => c.test(password)).length;
  let message: string | undefined;
  if (password.length < 8 || password.length > 123) message = `is ${password.length} characters long`;
  else if (classes < 3) message = `has only ${classes} of the 4 character classes`;
  else if (REFUSED_PASSWORDS.includes(password)) message = "is a common password Azure refuses";
  return message ? [{ path: "adminPassword", message, allowed: PASSWORD_ALLOWED }] : [];
}

export function computerNameOf(
  options: VirtualMachineOptions,
  os: VmOs,
  lastPart: string,
  problems: Problem[],
): string {
  const limit = os === "windows" ? 15 : 64;
  if (options.computerName !== undefined) {
    const pattern = os === "windows" ? WINDOWS_COMPUTER_NAME : LINUX_COMPUTER_NAME;
    if (!pattern.test(options.computerName)) {
      problems.push({
        path: "computerName",
        message: `is not a valid ${os === "windows" ? "Windows" : "Linux"} computer name`,
        value: options.computerName,
        allowed: `1 to ${limit} letters, digits and hyphens, starting and ending with a letter or digit${os === "windows" ? ", not only digits" : ""}`,
      });
    }
    return options.computerName;
  }
  // A derived name is cut to fit; only a name the user wrote is refused.
  return defaultVmComputerName(lastPart, limit);
}
