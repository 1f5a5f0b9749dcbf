import { describe, expect, it } from "vitest";
import { addTags, isTaggable, requiredTagKeys } from "../../src/naming/tags.ts";

describe("addTags", () => {
  it("puts the added layer over the resource's own tags", () => {
    expect(addTags({ team: "web", owner: "me" }, { owner: "platform", course: "c1" })).toEqual({
      team: "web",
      owner: "platform",
      course: "c1",
    });
  });

  it("starts from nothing when the resource has no tag map", () => {
    expect(addTags(undefined, { owner: "platform" })).toEqual({ owner: "platform" });
    expect(addTags(["not", "a", "map"], { owner: "platform" })).toEqual({ owner: "platform" });
  });
});

describe("taggable types and required keys", () => {
  it("knows which types take tags", () => {
    expect(isTaggable("azure-native:network:VirtualNetwork")).toBe(true);
    expect(isTaggable("azure-native:network:Subnet")).toBe(false);
  });

  it("requires the course and expiry only on class stacks", () => {
    expect(requiredTagKeys("dev")).toEqual(["managed-by", "environment", "owner"]);
    expect(requiredTagKeys("class")).toEqual(["managed-by", "environment", "owner", "course", "expires-on"]);
  });
});
