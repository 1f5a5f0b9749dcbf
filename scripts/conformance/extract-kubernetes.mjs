/**
 * Regenerates tests/conformance/data/kubernetes/definitions.json: the Kubernetes API definitions the
 * conformance tier checks azlab's planned kubernetes:* objects against.
 *
 * Source: @kubernetes/client-node 1.4.0, whose models are generated from the Kubernetes OpenAPI spec
 * v1.34.0 (kubernetes/kubernetes api/openapi-spec/swagger.json; each model's header says so). 1.34 is
 * the API @pulumi/kubernetes 4.34.2 is built from: it has resource.k8s.io/v1 and EnvVarSource.fileKeyRef,
 * both new in 1.34. Per property the models give the wire name, the type, the OpenAPI format
 * (int32/int64/int-or-string) and, in the declarations, whether it is required (no `?`) and
 * whether its description calls it read-only.
 *
 * Usage: npm pack @kubernetes/client-node@1.4.0 in a temporary folder, unpack it, then
 *   node scripts/conformance/extract-kubernetes.mjs <that folder>/package && npx prettier --write tests/conformance/data
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir)
  throw new Error("usage: extract-kubernetes.mjs <dir of npm pack @kubernetes/client-node@1.4.0, unpacked>");
const models = join(dir, "dist/gen/models");

/** The kinds azlab plans (Pulumi type token → generated model). Add a kind here when azlab adds one. */
const ROOTS = {
  "kubernetes:core/v1:Namespace": "V1Namespace",
  "kubernetes:core/v1:ResourceQuota": "V1ResourceQuota",
  "kubernetes:core/v1:LimitRange": "V1LimitRange",
  "kubernetes:core/v1:Service": "V1Service",
  "kubernetes:core/v1:ServiceAccount": "V1ServiceAccount",
  "kubernetes:core/v1:ConfigMap": "V1ConfigMap",
  "kubernetes:core/v1:PersistentVolumeClaim": "V1PersistentVolumeClaim",
  "kubernetes:apps/v1:Deployment": "V1Deployment",
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": "V1NetworkPolicy",
  "kubernetes:networking.k8s.io/v1:Ingress": "V1Ingress",
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": "V1RoleBinding",
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": "V1ClusterRoleBinding",
  "kubernetes:storage.k8s.io/v1:StorageClass": "V1StorageClass",
};

const header = readFileSync(join(models, "V1Pod.d.ts"), "utf8");
const specVersion = /OpenAPI spec version: (v[0-9.]+)/.exec(header)[1];
const out = {};

function load(cls) {
  if (out[cls]) return;
  const js = readFileSync(join(models, `${cls}.js`), "utf8");
  const dts = readFileSync(join(models, `${cls}.d.ts`), "utf8");
  const start = js.indexOf(`${cls}.attributeTypeMap = `);
  const map = JSON.parse(js.slice(start + `${cls}.attributeTypeMap = `.length, js.indexOf("];", start) + 1));
  const model = {};
  out[cls] = model;
  for (const attr of map) {
    const required = new RegExp(`^\\s+'${attr.name}': `, "m").test(dts);
    // The spec has no readOnly flag; server-set fields say "Read-only." in their description.
    const doc = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s+'${attr.name}'\\??: `).exec(dts)?.[1] ?? "";
    model[attr.baseName] = {
      ...parseType(attr.type, attr.format),
      ...(required ? { required: true } : {}),
      ...(/Read-only\./.test(doc) ? { readOnly: true } : {}),
    };
  }
}

function parseType(type, format) {
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) return { type: "array", items: parseType(m[1], "") };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: "map", values: parseType(m[1], "") };
  if (type === "IntOrString") return { type: "int-or-string" };
  if (type === "number") return { type: "integer-or-number", ...(format ? { format } : {}) };
  if (type === "string" || type === "Date") return { type: "string", ...(format ? { format } : {}) };
  if (type === "boolean" || type === "any") return { type };
  load(type);
  return { type: "object", model: type };
}

for (const cls of Object.values(ROOTS)) load(cls);
const data = {
  source: `npm @kubernetes/client-node@1.4.0 dist/gen/models, generated from kubernetes/kubernetes api/openapi-spec/swagger.json ${specVersion}`,
  kubernetesVersion: specVersion,
  roots: ROOTS,
  models: Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b))),
};
const file = "tests/conformance/data/kubernetes/definitions.json";
writeFileSync(`${file}.tmp`, `${JSON.stringify(data, null, 1)}\n`);
renameSync(`${file}.tmp`, file);
console.log(`${file}: ${Object.keys(out).length} models from ${specVersion}`);
