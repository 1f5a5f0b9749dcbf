/**
 * Reads the model metadata ("mappers") and `Known<Enum>` declarations of an unpacked @azure/arm-* SDK
 * and converts one PUT body's mapper into the schema JSON that ./extract.mjs writes for the conformance
 * tier.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export async function loadPackage(dir) {
  const candidates = [
    ["dist/commonjs/models/mappers.js", "dist/commonjs/models/index.d.ts"],
    ["dist-esm/src/models/mappers.js", null],
  ];
  for (const [m, d] of candidates) {
    if (!existsSync(join(dir, m))) continue;
    const mappers = await import(pathToFileURL(join(dir, m)).href);
    const dts = d
      ? join(dir, d)
      : join(
          dir,
          "types",
          `${JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name.split("/")[1]}.d.ts`,
        );
    return {
      mappers: mappers.default && !mappers.VirtualNetwork ? mappers.default : mappers,
      dts: readFileSync(dts, "utf8"),
    };
  }
  throw new Error(`no mappers in ${dir}`);
}

/** interface property types and Known enums, read from the SDK's declarations. */
export function declarations(dts) {
  const known = new Map();
  for (const m of dts.matchAll(/export declare enum Known(\w+) \{([^}]*)\}/g)) {
    known.set(
      m[1],
      [...m[2].matchAll(/=\s*"([^"]*)"/g)].map((v) => v[1]),
    );
  }
  const props = new Map();
  for (const m of dts.matchAll(
    /export (?:declare )?interface (\w+)(?: extends ([\w, ]+))? \{([\s\S]*?)\n\}/g,
  )) {
    const own = new Map();
    for (const p of m[3].matchAll(/^\s+(?:readonly )?(\w+)\??: (\w+)(?:\[\])?;/gm)) own.set(p[1], p[2]);
    props.set(m[1], { own, bases: m[2] ? m[2].split(",").map((s) => s.trim()) : [] });
  }
  const typeOf = (cls, key) => {
    const entry = props.get(cls);
    if (!entry) return undefined;
    return entry.own.get(key) ?? entry.bases.map((b) => typeOf(b, key)).find(Boolean);
  };
  return { known, typeOf };
}

export function convert(mappers, decl, models, mapper, owner, key) {
  const t = mapper.type;
  const node = {};
  if (mapper.readOnly) node.readOnly = true;
  if (mapper.required) node.required = true;
  const c = mapper.constraints ?? {};
  if (c.Pattern) node.pattern = c.Pattern instanceof RegExp ? c.Pattern.source : String(c.Pattern);
  if (c.MaxLength !== undefined) node.maxLength = c.MaxLength;
  if (c.MinLength !== undefined) node.minLength = c.MinLength;
  if (c.InclusiveMaximum !== undefined) node.maximum = c.InclusiveMaximum;
  if (c.InclusiveMinimum !== undefined) node.minimum = c.InclusiveMinimum;
  if (c.MaxItems !== undefined) node.maxItems = c.MaxItems;
  if (c.MinItems !== undefined) node.minItems = c.MinItems;
  switch (t.name) {
    case "Composite": {
      // Models are stored once, by class name, and referenced, so the data stays small.
      const cls = t.className;
      node.type = "object";
      node.model = cls;
      if (models.has(cls)) return node;
      const model = {};
      models.set(cls, model);
      const full = mappers[cls];
      for (const [k, m] of Object.entries(full?.type?.modelProperties ?? t.modelProperties ?? {})) {
        // Keyed by the SDK's client name (x-ms-client-name, camelCased), which is what azure-native
        // names its inputs; `wire` keeps the REST name, envelope included, for messages.
        const wire = m.serializedName;
        if (!wire) continue;
        const flat = wire.startsWith("properties.") ? wire.slice("properties.".length) : wire;
        if (flat.includes(".")) continue;
        model[k] = { ...convert(mappers, decl, models, m, cls, k), wire };
      }
      return node;
    }
    case "Sequence":
      node.type = "array";
      node.items = convert(mappers, decl, models, t.element, owner, key);
      return node;
    case "Dictionary":
      node.type = "map";
      node.values = convert(mappers, decl, models, t.value, owner, key);
      return node;
    case "Enum":
      node.type = "string";
      node.enum = [...t.allowedValues];
      return node;
    case "Number":
      node.type = "number";
      return node;
    case "Boolean":
      node.type = "boolean";
      return node;
    case "Object":
      node.type = "any";
      return node;
    default: {
      node.type = "string";
      const declared = decl.typeOf(owner, key);
      const values = declared ? decl.known.get(declared) : undefined;
      // Extensible enums: the service documents these values; Azure rejects others for these fields.
      if (values && t.name === "String" && !UNMAINTAINED_ENUMS.has(`${owner}.${key}`)) {
        node.enum = values;
        node.extensible = true;
      }
      return node;
    }
  }
}

/**
 * Known-value lists the spec says are no longer kept up to date, so they are no allow-list: the
 * VirtualMachineSizeTypes enum of HardwareProfile.vmSize "is currently deprecated" (its description in
 * the Microsoft.Compute spec and @pulumi/azure-native) and lacks every size newer than v3, such as
 * Standard_D2s_v5; Azure takes any size the region offers.
 */
const UNMAINTAINED_ENUMS = new Set(["HardwareProfile.vmSize"]);
