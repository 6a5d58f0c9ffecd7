/**
 * `npm run bench`: runs every benchmark in turn: scan, queue, the BullMQ transport, dispatch and
 * cold start, then the query iterator. Options starting with `--queue-` go to the queue and
 * BullMQ benchmarks, those starting with `--iter-` to the query iterator benchmark, the rest to
 * the scan benchmark, so each parser sees only its own. Each benchmark writes its own section of `bench/RESULTS.md`.
 */
import { main as bullmqBenchmark } from "./bullmq.js";
import { main as queryIterBenchmark } from "./query-iter.js";
import { main as queueBenchmark } from "./queue.js";
import { main as runtimeBenchmark } from "./runtime.js";
import { main as scanBenchmark } from "./scan.js";

type Benchmark = (argv: readonly string[]) => Promise<number>;

/** Whose options a benchmark takes: the queue's, the query iterator's or the rest. */
type OptionGroup = "queue" | "iter" | "other";

const PREFIXES: readonly (readonly [Exclude<OptionGroup, "other">, string])[] = [
  ["queue", "--queue-"],
  ["iter", "--iter-"],
];

const BENCHMARKS: readonly { readonly run: Benchmark; readonly options: OptionGroup }[] = [
  { run: scanBenchmark, options: "other" },
  { run: queueBenchmark, options: "queue" },
  { run: bullmqBenchmark, options: "queue" },
  { run: runtimeBenchmark, options: "queue" },
  { run: queryIterBenchmark, options: "iter" },
];

/** Splits the arguments by prefix (`--queue-*`, `--iter-*`, with their values) and the rest. */
function splitArguments(argv: readonly string[]): Record<OptionGroup, string[]> {
  const groups: Record<OptionGroup, string[]> = { queue: [], iter: [], other: [] };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const group = PREFIXES.find(([, prefix]) => arg.startsWith(prefix))?.[0];
    if (group === undefined) {
      groups.other.push(arg);
      continue;
    }

    groups[group].push(arg);
    const value = argv[i + 1];
    if (!arg.includes("=") && value !== undefined && !value.startsWith("--"))
      groups[group].push(argv[++i] as string);
  }
  return groups;
}

try {
  const groups = splitArguments(process.argv.slice(2));
  for (const benchmark of BENCHMARKS) {
    const code = await benchmark.run(groups[benchmark.options]);
    if (code !== 0) process.exitCode = code;
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
