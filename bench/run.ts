/**
 * `npm run bench`: runs every benchmark in turn: scan, queue, then dispatch and cold start.
 * Options starting with `--queue-` go to the queue benchmark, the rest to the scan benchmark, so
 * each parser sees only its own. Each benchmark writes its own section of `bench/RESULTS.md`.
 */
import { main as queueBenchmark } from "./queue.js";
import { main as runtimeBenchmark } from "./runtime.js";
import { main as scanBenchmark } from "./scan.js";

type Benchmark = (argv: readonly string[]) => Promise<number>;

const BENCHMARKS: readonly { readonly run: Benchmark; readonly queueOptions: boolean }[] = [
  { run: scanBenchmark, queueOptions: false },
  { run: queueBenchmark, queueOptions: true },
  { run: runtimeBenchmark, queueOptions: true },
];

/** Splits the arguments into the queue benchmark's (`--queue-*` with their values) and the rest. */
function splitArguments(argv: readonly string[]): { queue: string[]; other: string[] } {
  const queue: string[] = [];
  const other: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--queue-")) {
      other.push(arg);
      continue;
    }

    queue.push(arg);
    const value = argv[i + 1];
    if (!arg.includes("=") && value !== undefined && !value.startsWith("--"))
      queue.push(argv[++i] as string);
  }
  return { queue, other };
}

try {
  const { queue, other } = splitArguments(process.argv.slice(2));
  for (const benchmark of BENCHMARKS) {
    const code = await benchmark.run(benchmark.queueOptions ? queue : other);
    if (code !== 0) process.exitCode = code;
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
