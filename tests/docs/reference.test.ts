import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { REFERENCE_PATH, collectComponents, renderReference, splitDoc } from "../../scripts/gen-reference.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("docs/components.md", () => {
  it("matches what the generator renders from the components' TSDoc", () => {
    const committed = readFileSync(path.join(root, REFERENCE_PATH), "utf8");
    const fresh = renderReference(root);
    // Not toBe(): a diff of two 40 KB strings buries the instruction.
    if (committed !== fresh) {
      expect.fail(
        `${REFERENCE_PATH} is stale: the component TSDoc changed. Run \`npm run docs\` and commit the result.`,
      );
    }
  });
});

describe("splitDoc", () => {
  it("lifts the house-style default sentence out of the description", () => {
    expect(splitDoc('Registry SKU. Defaults to "Basic" (the cheap choice for labs).', {})).toEqual({
      description: "Registry SKU.",
      default: '"Basic" (the cheap choice for labs)',
    });
  });

  it("keeps the text after a top-level semicolon, but not one inside parentheses, in the description", () => {
    expect(
      splitDoc("Zones. Defaults to none (no zone; guarantee); zone support differs per region.", {}),
    ).toEqual({
      description: "Zones. Zone support differs per region.",
      default: "none (no zone; guarantee)",
    });
  });

  it("marks Required. and does not split after e.g.", () => {
    expect(splitDoc("Subnet id, e.g. `/subscriptions/x`. Required.", {})).toEqual({
      description: "Subnet id, e.g. `/subscriptions/x`.",
      default: "required",
    });
  });

  it("reads a leading 'Required;' as required and keeps the rest", () => {
    expect(splitDoc("Node subnet id. Required; its CIDR goes in `nodeSubnetCidr`.", {})).toEqual({
      description: "Node subnet id. Its CIDR goes in `nodeSubnetCidr`.",
      default: "required",
    });
  });

  it("prefers an explicit @default tag and appends @remarks", () => {
    expect(
      splitDoc("Port. Defaults to 80.", { default: "8080", remarks: "Must be open in the NSG." }),
    ).toEqual({
      description: "Port. Defaults to 80. Must be open in the NSG.",
      default: "8080",
    });
  });
});

describe("collectComponents on a small fixture", () => {
  const fixture = path.join(root, "tests/docs/fixture");

  // `size` needs options.ts's value import of SIZES followed (a type reads it through `typeof`), and
  // `kept` needs the stand-in lib's Omit: the program leaves value-only imports and the real lib out.
  it("reads the type token, inherited args, nested args behind aliases, literal unions and public outputs", () => {
    expect(collectComponents(fixture)).toEqual([
      {
        className: "Widget",
        file: "components/demo/widget.ts",
        typeToken: "test:demo:Widget",
        description: "A widget for tests.",
        args: {
          name: "WidgetArgs",
          file: "components/demo/widget.ts",
          description: "",
          members: [
            {
              name: "resourceGroupName",
              type: "pulumi.Input<string>",
              default: "required",
              description: "Resource group.",
            },
            { name: "tier", type: '"Free" | "Paid"', default: '"Free"', description: "The tier." },
            {
              name: "parts",
              type: "PartMap",
              default: "",
              description: "Per-part settings, keyed by part name.",
            },
            { name: "size", type: '"S" | "M"', default: '"S"', description: "The size." },
          ],
        },
        nested: [
          {
            name: "PartOptions",
            file: "src/options.ts",
            description: "",
            members: [
              { name: "sizeGiB", type: "number", default: "required", description: "Part size in GiB." },
            ],
          },
        ],
        outputs: [
          { name: "widgetId", type: "pulumi.Output<string>", default: "", description: "The widget's id." },
        ],
      },
      {
        className: "LooseArgs",
        file: "components/demo/widget.ts",
        typeToken: undefined,
        description: "Args no component takes.",
        args: {
          name: "LooseArgs",
          file: "components/demo/widget.ts",
          description: "Args no component takes.",
          members: [
            { name: "flag", type: "boolean", default: "false", description: "A flag." },
            { name: "kept", type: "string", default: "", description: "Kept." },
          ],
        },
        nested: [],
        outputs: [],
      },
    ]);
  });

  it("renders a table row per input with escaped pipes", () => {
    const markdown = renderReference(fixture);
    expect(markdown).toContain('| `tier` | `"Free" \\| "Paid"` | "Free" | The tier. |');
    expect(markdown).toContain("## Widget\n\nType token `test:demo:Widget`, in `components/demo/widget.ts`.");
    expect(markdown).toContain("#### `PartOptions`\n\n| Field | Type | Default | Description |");
  });
});
