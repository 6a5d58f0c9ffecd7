// Preloaded with `node --import`: when the process exits, writes its peak resident set size in
// KiB (`process.resourceUsage().maxRSS`) to the file named by TASKGEN_RSS_FILE.
import fs from "node:fs";

const rssFile = process.env.TASKGEN_RSS_FILE;

if (rssFile) {
  process.on("exit", () => {
    fs.writeFileSync(rssFile, `${process.resourceUsage().maxRSS}\n`);
  });
}
