/**
 * Orders test files project by project, the project with the slowest file first, and within a
 * project longest first by the last recorded duration (files never run before go first, largest
 * first). Projects stay together: a worker is reused only by files of its own project, and mixing
 * them started a new worker, with a new Pulumi SDK load, at every switch. Vitest's own order is by
 * project name, which started the slowest file (the `--against` end-to-end test, mostly waiting on
 * child processes) after everything else and set the suite's wall time.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

interface Weighed {
  readonly spec: TestSpecification;
  readonly duration: number | undefined;
  readonly size: number;
}

/** Unknown durations first (largest file first), then the longest. */
function slowerFirst(a: Weighed, b: Weighed): number {
  if (a.duration === undefined || b.duration === undefined) {
    if (a.duration !== b.duration) return a.duration === undefined ? -1 : 1;
    return b.size - a.size;
  }
  return b.duration - a.duration;
}

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const byProject = new Map<string, Weighed[]>();
    for (const spec of files) {
      const key = `${spec.project.name}:${relative(config.root, spec.moduleId)}`;
      const weighed = {
        spec,
        duration: cache.getFileTestResults(key)?.duration,
        size: cache.getFileStats(key)?.size ?? 0,
      };
      byProject.set(spec.project.name, [...(byProject.get(spec.project.name) ?? []), weighed]);
    }
    const projects = [...byProject.values()].map((specs) => specs.sort(slowerFirst));
    projects.sort((a, b) => slowerFirst(a[0]!, b[0]!));
    return projects.flat().map((w) => w.spec);
  }
}
