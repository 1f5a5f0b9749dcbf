/**
 * The Pulumi program's entry point (Pulumi.yaml `main`). `pulumi up --stack NAME` runs this
 * with the config of stacks/Pulumi.NAME.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../errors.ts";
import { azlabProgram } from "./program.ts";

export default async function main(): Promise<Record<string, unknown>> {
  try {
    return await azlabProgram({});
  } catch (error) {
    // RunError makes the CLI print the message alone: config problems are not crashes.
    if (error instanceof UserError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
