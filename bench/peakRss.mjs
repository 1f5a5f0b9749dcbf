// Preloaded into every process the benchmark starts (NODE_OPTIONS --import): at exit, appends this
// process's peak resident set size in KiB to $AZLAB_PEAK_RSS_FILE, one line per process.
import { appendFileSync } from "node:fs";

const file = process.env.AZLAB_PEAK_RSS_FILE;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
