/**
 * Class hours as weekly windows in IANA time zones, and whether a class's AKS cluster should be running
 * at an instant. The windows are the scale sets' autoscale schedules (`azlab:scaleSet.autoscale.schedules`),
 * the same ones the estimate bills class hours by, so the plan's idle cost and the stop/start workflow
 * (.github/workflows/class-hours.yml) can never disagree. Pure.
 */

export interface ClassWindow {
  readonly days: readonly string[];
  /** HH:MM, 24-hour, in `timeZone`. */
  readonly startTime: string;
  /** HH:MM; an end at or before the start runs past midnight. */
  readonly endTime: string;
  /** IANA name, validated by the stack schema's pre-flight. */
  readonly timeZone: string;
}

/**
 * How long before class the cluster is started. The workflow runs hourly, and an AKS start takes
 * minutes (learn.microsoft.com/azure/aks/start-stop-cluster), so an hour's lead has it ready for class.
 */
export const CLUSTER_LEAD_MINUTES = 60;

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** The weekday and minute of the day of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string): { day: string; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: get("weekday"), minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

/** True while `at` falls in one of the windows. */
export function inClassHours(windows: readonly ClassWindow[], at: Date): boolean {
  return windows.some((w) => {
    const { day, minute } = wallClock(at, w.timeZone);
    const start = minutesOf(w.startTime);
    const end = minutesOf(w.endTime);
    if (end > start) return w.days.includes(day) && minute >= start && minute < end;
    // Past midnight: the evening of a listed day, or the early hours of the day after it.
    const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
    return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
  });
}

/** The cluster runs in class hours and for `leadMinutes` before each window opens. */
export function clusterShouldRun(
  windows: readonly ClassWindow[],
  at: Date,
  leadMinutes = CLUSTER_LEAD_MINUTES,
): boolean {
  return inClassHours(windows, at) || inClassHours(windows, new Date(at.getTime() + leadMinutes * 60_000));
}
