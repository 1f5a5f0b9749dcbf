/**
 * A monthly Azure Consumption budget over a set of resource groups, with an email alert per threshold,
 * and optionally one budget per student over the student's own resource groups. Budgets themselves
 * cost nothing; they alert, they never stop resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization/index.js";
import * as consumption from "@pulumi/azure-native/consumption/index.js";
import { normalizeBudget, type BudgetOptions, type NormalizedBudget } from "../../src/validation/budget.ts";
import { valueOrThrow } from "../shared/validated.ts";
import { logicalName } from "../../src/naming/azureNames.ts";

export interface BudgetArgs extends Omit<BudgetOptions, "perStudent"> {
  /**
   * Resource groups whose cost the budget tracks. Required. Include an AKS cluster's node resource
   * group: its nodes, disks and IPs bill there.
   */
  readonly resourceGroupNames: readonly pulumi.Input<string>[];
  /**
   * A month's budget per student over that student's resource groups, keyed by student (the key names
   * the budget and must stay stable). Defaults to none.
   */
  readonly perStudent?: {
    readonly amount: number;
    readonly resourceGroupNames: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
  };
}

export class Budget extends pulumi.ComponentResource {
  /** The class budget's Azure name. */
  readonly budgetName: string;
  /** Student key → the Azure name of that student's budget. */
  readonly studentBudgetNames: Readonly<Record<string, string>>;

  constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super() so that invalid input registers nothing, not even the component.
    const { resourceGroupNames: _groups, perStudent, ...plain } = args;
    const options: BudgetOptions = {
      ...plain,
      ...(perStudent
        ? { perStudent: { amount: perStudent.amount, students: Object.keys(perStudent.resourceGroupNames) } }
        : {}),
    };
    const b = valueOrThrow(normalizeBudget(options), `Budget "${name}" has invalid arguments:`);
    super("azlab:cost:Budget", name, {}, opts);
    this.budgetName = b.budgetName;
    this.studentBudgetNames = b.studentBudgetNames;

    // A budget at subscription scope filtered on resource groups: the filter also counts resources that
    // carry no tags, which a tag filter would miss (Budgets REST API, BudgetFilter "dimensions").
    const scope = authorization
      .getClientConfigOutput({ parent: this })
      .apply((c) => `/subscriptions/${c.subscriptionId}`);
    this.declare(name, b, b.budgetName, b.amount, args.resourceGroupNames, scope);
    for (const [key, groups] of Object.entries(args.perStudent?.resourceGroupNames ?? {})) {
      const budgetName = b.studentBudgetNames[key]!;
      this.declare(logicalName(name, key), b, budgetName, b.perStudentAmount!, groups, scope);
    }
    this.registerOutputs({});
  }

  private declare(
    name: string,
    b: NormalizedBudget,
    budgetName: string,
    amount: number,
    groups: readonly pulumi.Input<string>[],
    scope: pulumi.Output<string>,
  ): void {
    new consumption.Budget(
      name,
      {
        budgetName,
        scope,
        amount,
        category: "Cost",
        timeGrain: "Monthly",
        timePeriod: { startDate: b.startDate, ...(b.endDate !== undefined ? { endDate: b.endDate } : {}) },
        filter: { dimensions: { name: "ResourceGroupName", operator: "In", values: [...groups] } },
        notifications: Object.fromEntries(
          b.notifications.map((n) => [
            n.key,
            {
              enabled: true,
              operator: "GreaterThan",
              threshold: n.threshold,
              thresholdType: n.thresholdType,
              contactEmails: [...b.contactEmails],
            },
          ]),
        ),
      },
      {
        parent: this,
        // Azure accepts a past start date only within the current month, so the start is fixed by the first
        // deployment; later runs (a month on) must not try to move it.
        ignoreChanges: ["timePeriod.startDate"],
      },
    );
  }
}
