/**
 * Renders a plan document as a pull-request comment: summary first, then subnets, NSG rules, a
 * topology diagram and the full resource list in collapsed blocks.
 *
 * A class stack repeats the same environment for every student; repeating it 100 times would blow
 * GitHub's 65,536-character comment limit and hide what matters. VNets and NSGs whose structure is
 * identical apart from the student key are folded into one row, and the whole text is capped.
 */
import type { PlanDocument } from "./document.ts";
import { costSection } from "./markdownCost.ts";
import { accessSection } from "./markdownAccess.ts";
import { detailsSection } from "./markdownDetails.ts";
import { groupVnets, nsgSection, subnetSection, summarySection } from "./markdownNetwork.ts";
import { capMarkdown, code, MARKDOWN_LIMIT } from "./markdownText.ts";
import { topologySection } from "./markdownTopology.ts";

export {
  capMarkdown,
  cellCode,
  code,
  count,
  MARKDOWN_LIMIT,
  mdCell,
  mdText,
  shortJson,
} from "./markdownText.ts";

/** Most a section may take, so one runaway section cannot push the others out of the comment. */
const SECTION_LIMIT = 20_000;

/** The plan as Markdown for a pull-request comment, at most MARKDOWN_LIMIT characters. */
export function renderPlanMarkdown(doc: PlanDocument): string {
  const groups = groupVnets(doc.network);
  const section = (lines: readonly string[], limit = SECTION_LIMIT) =>
    lines.length === 0 ? "" : `${capMarkdown(lines.join("\n"), limit).trimEnd()}\n\n`;
  const main = [
    [
      `## azlab plan: ${code(doc.stack)}`,
      "",
      `From ${code(doc.file)}${doc.generatedAt ? ` at ${doc.generatedAt}` : ""}, planned offline (no Azure calls).`,
      "",
      "",
    ].join("\n"),
    section(summarySection(doc, groups)),
    section(costSection(doc)),
    section(subnetSection(groups)),
    section(nsgSection(doc)),
    section(topologySection(doc)),
    section(accessSection(doc)),
  ].join("");
  // The full resource list gets whatever room is left; it is the first thing to cut.
  const details = section(detailsSection(doc), Math.max(MARKDOWN_LIMIT - main.length, 1_000));
  return `${capMarkdown(main + details).trimEnd()}\n`;
}
