import fs from "node:fs";

const TITLE = "# Benchmark results";

/**
 * Writes one benchmark's section of `bench/RESULTS.md`, leaving the others as they are. A
 * section runs from its `## Name` heading to the next `## ` heading.
 */
export function writeResultsSection(file: string, heading: string, section: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : `${TITLE}\n`;
  const lines = current.split("\n");
  const start = lines.indexOf(heading);

  if (start === -1) {
    fs.writeFileSync(file, `${current.trimEnd()}\n\n${section.trimEnd()}\n`);
    return;
  }
  const next = lines.findIndex((line, index) => index > start && line.startsWith("## "));
  const before = lines.slice(0, start).join("\n").trimEnd();
  const after = next === -1 ? "" : `\n\n${lines.slice(next).join("\n").trimEnd()}`;
  fs.writeFileSync(file, `${before}\n\n${section.trimEnd()}${after}\n`);
}
