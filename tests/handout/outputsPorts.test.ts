/** The hand-out's SSH port range from the outputs JSON must run from firstPort up to lastPort. */
import { describe, expect, it } from "vitest";
import { readStudentOutputs } from "../../src/handout/outputs.ts";

const alice = (ssh: Record<string, unknown>) => ({
  students: { alice: { resourceGroup: "rg-lab-class-demo-alice", ssh: { user: "azlabadmin", ...ssh } } },
});

describe("ssh ports in the outputs", () => {
  it("refuses firstPort above lastPort at lastPort, and hands out no ssh line", () => {
    expect(readStudentOutputs(alice({ firstPort: 50001, lastPort: 50000 }), ["alice"])).toEqual({
      students: { alice: { resourceGroup: "rg-lab-class-demo-alice" } },
      problems: [
        {
          path: "students.alice.ssh.lastPort",
          message: "is below ssh.firstPort (50001)",
          value: 50000,
          allowed: "a port from 50001 to 65535",
        },
      ],
    });
  });

  it("accepts a one-port range", () => {
    expect(readStudentOutputs(alice({ firstPort: 50000, lastPort: 50000 }), ["alice"])).toEqual({
      students: {
        alice: {
          resourceGroup: "rg-lab-class-demo-alice",
          ssh: { user: "azlabadmin", firstPort: 50000, lastPort: 50000 },
        },
      },
      problems: [],
    });
  });
});
