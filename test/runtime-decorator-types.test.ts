import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import ts from "typescript6";
import { suite } from "uvu";
import * as assert from "uvu/assert";

// In-memory fixtures beside the real runtime, compiled by TypeScript under the strictest settings
// an app might use, once per decorator flavour. Lines marked `// error` must fail to compile, and
// only those.

const TEST_DIR = dirname(fileURLToPath(import.meta.url));
const RUNTIME_URL = pathToFileURL(resolve(TEST_DIR, "../runtime/index.ts")).href;
const GOOD_FILE = join(TEST_DIR, "runtime-fixture-good.ts");
const BAD_FILE = join(TEST_DIR, "runtime-fixture-bad.ts");

const GOOD_SOURCE = `
export { declaredTaskOptions } from "../runtime/index.js";
import {
  CallableTask, CallableTaskBase, Key, PeriodicTask, PermanentTaskFailure, QueryIter, StartupTask,
  callDeferred, defineDeferred, definePeriodic, defineStartup, noRetry, retry,
  type CallOptions, type Duration, type TaskUser,
} from "../runtime/index.js";

export class Orders {
  calls: string[] = [];

  @callDeferred
  async sendConfirmation(orderId: string, resend = false): Promise<string> {
    this.calls.push(orderId);
    return resend ? "resent" : "sent";
  }

  @callDeferred({ queue: "mail", retries: 3, allowUnknown: true, id: "orders.archive" })
  static async archive(key: Key, extra?: unknown): Promise<void> {
    if (extra === "fail") throw new PermanentTaskFailure("no", { cause: key });
  }

  @callDeferred
  @noRetry
  protected async once(n: number): Promise<number> { return n; }

  @callDeferred
  @retry(2)
  private twice(): void {}

  @PeriodicTask({ interval: "1h", cronName: "hourly" })
  async expireCarts(): Promise<void> {}

  @PeriodicTask({ interval: 90 })
  static tick(optional?: string): string { return optional ?? "tick"; }

  @StartupTask
  async warmUp(): Promise<void> {}

  @StartupTask({ id: "orders.boot" })
  static boot(): void {}
}

@CallableTask
export class RebuildIndex extends CallableTaskBase<{ full: boolean }> {
  override readonly name = "Rebuild the index";
  override canCall(user: TaskUser | undefined): boolean { return user?.["role"] === "admin"; }
  async execute(input: { full: boolean }): Promise<void> { void input.full; }
}

@CallableTask({ id: "reports.render" })
export class RenderReport extends CallableTaskBase<string> {
  constructor(readonly renderer: string) { super(); }
  execute(input: string): void { void input; }
}

export class Reprice extends QueryIter<{ price: number }, { factor: number }> {
  static override readonly chunkSize = 20;
  handleEntry(entry: { price: number }, data: { factor: number }): void {
    void (entry.price * data.factor);
  }
}

export const sendMail = defineDeferred(async (to: string, copies = 1) => to.repeat(copies), {
  queue: "mail",
});
export const purge = definePeriodic({ interval: "4h" }, async () => {});
export const migrate = defineStartup(() => "done", { id: "migrate" });

const typed: (to: string, copies?: number) => Promise<string> = sendMail;
const options: CallOptions = { delaySeconds: 5, name: "dedup", queue: "q", targetVersion: "v2" };
const durations: Duration[] = [0, 60, "30s", "2.5m", "1h", "1d"];
void typed; void options; void durations;
`;

const BAD_SOURCE = `
import {
  CallableTask, CallableTaskBase, PeriodicTask, StartupTask, callDeferred, definePeriodic,
  defineStartup, noRetry, retry, type Duration,
} from "../runtime/index.js";

export class Misused {
  @PeriodicTask({ interval: "1h" }) // error
  needsArgument(orderId: string): void { void orderId; }

  @StartupTask // error
  alsoNeedsArgument(orderId: string): void { void orderId; }

  @callDeferred // error
  get total(): number { return 1; }

  @callDeferred({ queue: "mail" }) // error
  count = 1;

  @PeriodicTask({ cronName: "hourly" }) // error
  missingInterval(): void {}

  @PeriodicTask({ interval: "1 hour" }) // error
  unitlessInterval(): void {}

  @callDeferred({ queue: 5 }) // error
  wrongOption(): void {}

  @noRetry() // error
  calledNoRetry(): void {}

  @retry // error
  bareRetry(): void {}

  @PeriodicTask // error
  barePeriodic(): void {}
}

@CallableTask // error
export class NotATask {}

@CallableTask({ id: "x" }) // error
export class AlsoNotATask {}

export abstract class Unfinished extends CallableTaskBase<string> {}

export const p = definePeriodic({ interval: "5m" }, (when: Date) => when); // error
export const s = defineStartup((when: Date) => when); // error
const d: Duration = "5 minutes"; // error
void d;
`;

const BASE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  types: ["node"],
};

const FLAVOURS: [string, ts.CompilerOptions][] = [
  ["standard decorators", { ...BASE_OPTIONS }],
  ["experimentalDecorators", { ...BASE_OPTIONS, experimentalDecorators: true }],
];

const FIXTURES = new Map([
  [GOOD_FILE, GOOD_SOURCE],
  [BAD_FILE, BAD_SOURCE],
]);

const sourceFiles = new Map<string, ts.SourceFile>();

/** A program over one fixture, sharing parsed library files between programs. */
function compile(file: string, options: ts.CompilerOptions): ts.Program {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);

  host.readFile = (name) => FIXTURES.get(name) ?? readFile(name);
  host.fileExists = (name) => FIXTURES.has(name) || ts.sys.fileExists(name);
  host.getSourceFile = (name, languageVersion) => {
    const cacheKey = `${name}:${FIXTURES.has(name) ? JSON.stringify(options) : ""}`;
    let sourceFile = sourceFiles.get(cacheKey);

    if (sourceFile === undefined) {
      const text = host.readFile(name);

      sourceFile =
        text === undefined ? undefined : ts.createSourceFile(name, text, languageVersion);
      if (sourceFile !== undefined) sourceFiles.set(cacheKey, sourceFile);
    }

    return sourceFile;
  };

  return ts.createProgram({ rootNames: [file], options, host });
}

/** Diagnostics as `file:line: message`, lines 1-based. */
function diagnostics(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");

    if (diagnostic.file === undefined || diagnostic.start === undefined) {
      return `global: ${message}`;
    }

    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);

    return `${diagnostic.file.fileName}:${line + 1}: ${message}`;
  });
}

function markedLines(source: string): number[] {
  return source
    .split("\n")
    .flatMap((line, index) => (line.includes("// error") ? [index + 1] : []));
}

/** Emits the good fixture as JavaScript and imports it, with the runtime it imports. */
async function emitAndImport(program: ts.Program): Promise<Record<string, unknown>> {
  let javascript = "";

  program.emit(program.getSourceFile(GOOD_FILE), (name, text) => {
    if (name.endsWith(".js")) javascript = text;
  });

  const directory = mkdtempSync(join(tmpdir(), "taskgen-runtime-"));
  const file = join(directory, "fixture.mjs");

  try {
    writeFileSync(
      file,
      javascript.replaceAll('"../runtime/index.js"', JSON.stringify(RUNTIME_URL)),
    );
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const types = suite("runtime decorator types");

for (const [flavour, options] of FLAVOURS) {
  types(`accept every declaration form with ${flavour}`, () => {
    assert.equal(diagnostics(compile(GOOD_FILE, options)), []);
  });

  types(`reject each misuse with ${flavour}`, () => {
    const lines = diagnostics(compile(BAD_FILE, options)).map((text) => {
      const match = /^(.*?):(\d+): /.exec(text);

      assert.ok(match?.[1] === BAD_FILE, `not in the fixture: ${text}`);
      return Number(match[2]);
    });

    assert.equal(
      [...new Set(lines)].sort((a, b) => a - b),
      markedLines(BAD_SOURCE),
    );
  });

  types(`record options through TypeScript's own emit with ${flavour}`, async () => {
    const fixture = await emitAndImport(compile(GOOD_FILE, { ...options, noEmit: false }));
    // The fixture's own runtime: the test's is a CommonJS copy of it when tsx loads tests.
    const declaredTaskOptions = fixture["declaredTaskOptions"] as (target: Function) => unknown;
    const orders = fixture["Orders"] as {
      new (): { sendConfirmation(id: string): Promise<string>; calls: string[] };
      archive: Function;
      tick: () => string;
      prototype: Record<string, Function>;
    };
    const instance = new orders();

    assert.equal(declaredTaskOptions(orders.archive), {
      queue: "mail",
      retries: 3,
      allowUnknown: true,
      id: "orders.archive",
    });
    assert.equal(declaredTaskOptions(orders.prototype["once"] as Function), { retries: 0 });
    assert.equal(declaredTaskOptions(orders.prototype["twice"] as Function), { retries: 2 });
    assert.equal(declaredTaskOptions(orders.tick), { interval: 90 });
    assert.equal(declaredTaskOptions(fixture["RebuildIndex"] as Function), {});
    assert.equal(declaredTaskOptions(fixture["RenderReport"] as Function), {
      id: "reports.render",
    });
    assert.equal(declaredTaskOptions(fixture["sendMail"] as Function), { queue: "mail" });
    // With no runtime running, a deferred call is refused rather than lost or run in place.
    assert.throws(() => instance.sendConfirmation("o-1"), /no taskgen runtime is running/);
    assert.equal(instance.calls, []);
    assert.is(orders.tick(), "tick");
  });
}

types.run();
