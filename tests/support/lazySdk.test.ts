import { describe, expect, it } from "vitest";
import { requireSdkIndexes } from "./lazySdk.ts";

// Spelled apart so that neither the project classifier nor the plugin itself reads these as imports.
const AT = "@" + "pulumi";
const HELPER =
  'import { createRequire as __azlabCreateRequire } from "node:module"; ' +
  "const __azlabSdkRequire = __azlabCreateRequire(import.meta.url); ";

describe("requireSdkIndexes", () => {
  it("requires the SDKs' module indexes and leaves every other import, keeping each line in place", () => {
    const source = [
      "/** A component. */",
      `import * as pulumi from "${AT}/pulumi";`,
      `import * as network from "${AT}/azure-native/network/index.js";`,
      `import type * as inputs from "${AT}/azure-native/types/input.js";`,
      `import * as coreV1 from "${AT}/kubernetes/core/v1/index.js";`,
      `import { Provider } from "${AT}/kubernetes/provider.js";`,
      'import * as local from "./index.js";',
      "export const vnet = (name: string) => new network.VirtualNetwork(name, {});",
    ].join("\n");
    expect(requireSdkIndexes(source)?.split("\n")).toEqual([
      `${HELPER}/** A component. */`,
      `import * as pulumi from "${AT}/pulumi";`,
      `const network = __azlabSdkRequire("${AT}/azure-native/network/index.js");`,
      `import type * as inputs from "${AT}/azure-native/types/input.js";`,
      `const coreV1 = __azlabSdkRequire("${AT}/kubernetes/core/v1/index.js");`,
      `import { Provider } from "${AT}/kubernetes/provider.js";`,
      'import * as local from "./index.js";',
      "export const vnet = (name: string) => new network.VirtualNetwork(name, {});",
    ]);
  });

  it("puts the helper after a #! line", () => {
    const source = `#!/usr/bin/env node\nimport * as storage from "${AT}/azure-native/storage/index.js";\n`;
    expect(requireSdkIndexes(source)).toBe(
      `#!/usr/bin/env node\n${HELPER}const storage = __azlabSdkRequire("${AT}/azure-native/storage/index.js");\n`,
    );
  });

  it("answers undefined for a module with no SDK index import, so the plugin leaves it alone", () => {
    expect(requireSdkIndexes(`import * as pulumi from "${AT}/pulumi";\nimport * as x from "./x.ts";\n`)).toBe(
      undefined,
    );
  });
});
