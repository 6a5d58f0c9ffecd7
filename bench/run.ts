/**
 * `npm run bench`: runs every benchmark in turn, passing the command-line arguments on. Only the
 * scan benchmark exists so far.
 */
import { main as scanBenchmark } from "./scan.js";

const BENCHMARKS: readonly ((argv: readonly string[]) => Promise<number>)[] = [scanBenchmark];

try {
  for (const benchmark of BENCHMARKS) {
    const code = await benchmark(process.argv.slice(2));
    if (code !== 0) process.exitCode = code;
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
