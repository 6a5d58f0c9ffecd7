import { suite } from "uvu";
import * as assert from "uvu/assert";

import {
  CallableTask,
  CallableTaskBase,
  PeriodicTask,
  PermanentTaskFailure,
  QueryIter,
  StartupTask,
  callDeferred,
  declaredTaskOptions,
  defineDeferred,
  definePeriodic,
  defineStartup,
  noRetry,
  retry,
  runNow,
  withCallOptions,
  type TaskUser,
} from "../runtime/index.js";
import { setDeferredCallSink } from "../runtime/deferred-call.js";

/** An `experimentalDecorators` method decorator, as TypeScript's `__decorate` calls it. */
type LegacyMethodDecorator = (
  target: object,
  propertyKey: string | symbol,
  descriptor: PropertyDescriptor,
) => PropertyDescriptor | void;

/** An `experimentalDecorators` class decorator. */
type LegacyClassDecorator = <Class extends Function>(target: Class) => Class | void;

/**
 * Applies method decorators the way TypeScript's `experimentalDecorators` emit does: bottom-up,
 * each getting the prototype (or class, for static methods), the key and the current descriptor.
 */
function legacyDecorateMethod(
  decorators: readonly LegacyMethodDecorator[],
  target: object,
  key: string,
): void {
  let descriptor = Object.getOwnPropertyDescriptor(target, key);

  assert.ok(descriptor !== undefined, `no method ${key}`);

  for (const decorator of [...decorators].reverse()) {
    descriptor = decorator(target, key, descriptor) ?? descriptor;
  }

  Object.defineProperty(target, key, descriptor);
}

function legacyDecorateClass<Class extends Function>(
  decorators: readonly LegacyClassDecorator[],
  target: Class,
): Class {
  return decorators.reduceRight<Class>(
    (current, decorator) => decorator(current) ?? current,
    target,
  );
}

/** The decorators without their overloads, to call them the ways the types forbid. */
function untyped(decorator: unknown): (...args: unknown[]) => unknown {
  return decorator as (...args: unknown[]) => unknown;
}

function thrownMessage(run: () => unknown, type: new (...args: never[]) => Error): string {
  try {
    run();
  } catch (error) {
    assert.instance(error, type);
    return (error as Error).message;
  }

  throw new Error(`Expected a ${type.name}`);
}

const standard = suite("decorators, standard flavour");

class Orders {
  sent: string[] = [];

  @callDeferred
  async sendConfirmation(orderId: string, resend = false): Promise<string> {
    this.sent.push(orderId);
    return resend ? `resent ${orderId}` : `sent ${orderId}`;
  }

  @callDeferred({ queue: "mail", id: "orders.notify" })
  @noRetry
  notify(orderId: string): string {
    return `notified ${orderId}`;
  }

  @retry(3)
  @callDeferred({ allowUnknown: true })
  static archive(payload: unknown): unknown {
    return payload;
  }

  @PeriodicTask({ interval: "1h", cronName: "hourly" })
  async expireCarts(): Promise<number> {
    return 3;
  }

  @StartupTask
  static warmUp(): string {
    return "warm";
  }

  @StartupTask({ id: "orders.migrate" })
  migrate(): string {
    return "migrated";
  }
}

@CallableTask
class RebuildIndex extends CallableTaskBase<{ full: boolean }> {
  ran: boolean[] = [];

  execute(input: { full: boolean }): void {
    this.ran.push(input.full);
  }
}

@CallableTask({ id: "reports.render" })
class RenderReport extends CallableTaskBase<string> {
  override readonly name = "Render a report";

  override canCall(user: TaskUser | undefined): boolean {
    return user?.["role"] === "admin";
  }

  async execute(): Promise<void> {}
}

standard("record the options of bare and factory forms", () => {
  assert.equal(declaredTaskOptions(Orders.prototype.sendConfirmation), {});
  assert.equal(declaredTaskOptions(Orders.prototype.expireCarts), {
    interval: "1h",
    cronName: "hourly",
  });
  assert.equal(declaredTaskOptions(Orders.warmUp), {});
  assert.equal(declaredTaskOptions(Orders.prototype.migrate), { id: "orders.migrate" });
  assert.equal(declaredTaskOptions(RebuildIndex), {});
  assert.equal(declaredTaskOptions(RenderReport), { id: "reports.render" });
});

standard("merge stacked decorators", () => {
  assert.equal(declaredTaskOptions(Orders.prototype.notify), {
    retries: 0,
    queue: "mail",
    id: "orders.notify",
  });
  assert.equal(declaredTaskOptions(Orders.archive), { allowUnknown: true, retries: 3 });
});

standard(
  "run deferred methods directly inside runNow, and leave the others unchanged",
  async () => {
    const orders = new Orders();

    assert.is(await runNow(() => orders.sendConfirmation("o-1", true)), "resent o-1");
    assert.equal(orders.sent, ["o-1"]);
    assert.is(
      runNow(() => orders.notify("o-2")),
      "notified o-2",
    );
    assert.is(
      runNow(() => Orders.archive(7)),
      7,
    );
    assert.is(await orders.expireCarts(), 3);
    assert.is(Orders.warmUp(), "warm");

    const task = new RebuildIndex();

    task.execute({ full: true });
    assert.equal(task.ran, [true]);
    assert.is(RebuildIndex.name, "RebuildIndex");
  },
);

standard("queue deferred calls through the running runtime, and refuse without one", async () => {
  const queued: [Function, readonly unknown[]][] = [];
  const previous = setDeferredCallSink({
    enqueueCall: async (target, args) => {
      queued.push([target, args]);
    },
    startIterOf: async () => "not started in this test",
  });
  const orders = new Orders();
  try {
    await orders.sendConfirmation("o-3");
    await withCallOptions({ delaySeconds: 5 }, () => Orders.archive({ a: 1 }));
  } finally {
    setDeferredCallSink(previous);
  }

  assert.equal(orders.sent, [], "the original did not run");
  assert.equal(queued, [
    [Orders.prototype.sendConfirmation, ["o-3"]],
    [Orders.archive, [{ a: 1 }]],
  ]);
  assert.throws(() => orders.sendConfirmation("o-4"), /no taskgen runtime is running/);
});

standard("record nothing on undecorated functions", () => {
  class Plain {
    run(): void {}
  }

  assert.is(declaredTaskOptions(Plain.prototype.run), undefined);
  assert.is(declaredTaskOptions(Plain), undefined);
});

standard("freeze what they record", () => {
  assert.ok(Object.isFrozen(declaredTaskOptions(Orders.prototype.expireCarts)));
});

standard.run();

const legacy = suite("decorators, experimentalDecorators flavour");

class Invoices {
  send(invoiceId: string): string {
    return `sent ${invoiceId}`;
  }

  static purge(): string {
    return "purged";
  }

  boot(): string {
    return "booted";
  }

  plain(): string {
    return "plain";
  }
}

const originalSend = Invoices.prototype.send;

// What TypeScript emits for `@callDeferred({ queue: "billing" }) @retry(2) send(...)`, and so on.
legacyDecorateMethod([callDeferred({ queue: "billing" }), retry(2)], Invoices.prototype, "send");
legacyDecorateMethod([PeriodicTask({ interval: 300, id: "purge" })], Invoices, "purge");
legacyDecorateMethod([StartupTask, noRetry], Invoices.prototype, "boot");
legacyDecorateMethod([callDeferred], Invoices.prototype, "plain");

class Cleanup extends CallableTaskBase<undefined> {
  execute(): void {}
}

class Audit extends CallableTaskBase<{ since: string }> {
  execute(): void {}
}

const DecoratedCleanup = legacyDecorateClass([CallableTask], Cleanup);
const DecoratedAudit = legacyDecorateClass([CallableTask({ id: "audit" })], Audit);

legacy("record the options", () => {
  assert.equal(declaredTaskOptions(Invoices.prototype.send), { retries: 2, queue: "billing" });
  assert.equal(declaredTaskOptions(Invoices.purge), { interval: 300, id: "purge" });
  assert.equal(declaredTaskOptions(Invoices.prototype.boot), { retries: 0 });
  assert.equal(declaredTaskOptions(Invoices.prototype.plain), {});
  assert.equal(declaredTaskOptions(Cleanup), {});
  assert.equal(declaredTaskOptions(Audit), { id: "audit" });
});

legacy("wrap deferred methods, and leave the others and the classes unchanged", () => {
  assert.is.not(Invoices.prototype.send, originalSend);
  assert.is(
    runNow(() => new Invoices().send("i-1")),
    "sent i-1",
  );
  assert.is(Invoices.purge(), "purged");
  assert.is(DecoratedCleanup, Cleanup);
  assert.is(DecoratedAudit, Audit);
});

legacy.run();

const misuse = suite("decorators, misused");

const MISUSES: [string, () => unknown, new (...args: never[]) => Error, string][] = [
  [
    "@callDeferred on a field",
    () => untyped(callDeferred)(undefined, { kind: "field", name: "count" }),
    TypeError,
    '@callDeferred decorates methods, but was applied to a field "count"',
  ],
  [
    "@noRetry on a getter",
    () => untyped(noRetry)(() => 1, { kind: "getter", name: "total" }),
    TypeError,
    'was applied to a getter "total"',
  ],
  [
    "@StartupTask on an experimental property",
    () => untyped(StartupTask)(Invoices.prototype, "count", undefined),
    TypeError,
    'was applied to a property or accessor "count"',
  ],
  [
    "@CallableTask on a method",
    () => untyped(CallableTask)(() => 1, { kind: "method", name: "run" }),
    TypeError,
    '@CallableTask decorates classes, but was applied to a method "run"',
  ],
  [
    "@CallableTask on an experimental method",
    () => untyped(CallableTask)(Invoices.prototype, "send", { value: () => 1 }),
    TypeError,
    '@CallableTask decorates classes, but was applied to "send"',
  ],
  [
    "@noRetry called as a factory",
    () => untyped(noRetry)(),
    TypeError,
    "write @noRetry, not @noRetry(...)",
  ],
  [
    "@PeriodicTask used bare",
    () => untyped(PeriodicTask)(() => 1, { kind: "method", name: "tick" }),
    TypeError,
    "@PeriodicTask needs options",
  ],
  [
    "@PeriodicTask without an interval",
    () => untyped(PeriodicTask)({ cronName: "hourly" }),
    TypeError,
    "needs an interval",
  ],
  [
    "@retry used bare",
    () => untyped(retry)(Invoices.prototype, "send", { value: () => 1 }),
    TypeError,
    "write @retry(3)",
  ],
  ["@retry with a negative count", () => retry(-1), RangeError, "0 or more, but got -1"],
  ["@retry with a fraction", () => retry(1.5), RangeError, "but got 1.5"],
  [
    "@callDeferred with a string",
    () => untyped(callDeferred)("mail"),
    TypeError,
    '@callDeferred(...) takes an options object, but got "mail"',
  ],
  [
    "@callDeferred(...) applied to options again",
    () => untyped(callDeferred({ queue: "a" }))({ queue: "b" }),
    TypeError,
    "apply it to a method",
  ],
  [
    "defineDeferred without a function",
    () => untyped(defineDeferred)("sendMail"),
    TypeError,
    'takes the task\'s function, but got "sendMail"',
  ],
  [
    "definePeriodic with options that are no object",
    () => untyped(definePeriodic)(60, () => 1),
    TypeError,
    "takes an options object, but got 60",
  ],
];

for (const [what, run, type, expected] of MISUSES) {
  misuse(`rejects ${what}`, () => {
    assert.match(thrownMessage(run, type), expected);
  });
}

misuse.run();

const functionForms = suite("function forms");

const sendMail = defineDeferred(async (to: string, copies = 1) => `${to} x${copies}`, {
  queue: "mail",
});
const purgeSessions = definePeriodic({ interval: "4h", cronName: "nightly" }, () => "purged");
const migrate = defineStartup(() => "migrated");
const migrateNamed = defineStartup(() => "migrated", { id: "migrate-v2" });

functionForms("return the function and record its options", async () => {
  assert.is(await runNow(() => sendMail("a@example.com", 2)), "a@example.com x2");
  assert.equal(declaredTaskOptions(sendMail), { queue: "mail" });
  assert.is(purgeSessions(), "purged");
  assert.equal(declaredTaskOptions(purgeSessions), { interval: "4h", cronName: "nightly" });
  assert.equal(declaredTaskOptions(migrate), {});
  assert.equal(declaredTaskOptions(migrateNamed), { id: "migrate-v2" });
});

functionForms("record an empty object when given no options", () => {
  const task = defineDeferred((n: number) => n);

  assert.equal(declaredTaskOptions(task), {});
});

functionForms.run();

const bases = suite("base classes");

bases("CallableTaskBase denies everyone unless overridden", async () => {
  assert.is(await new RebuildIndex().canCall({ id: "u1", role: "admin" }), false);
  assert.is(await new RebuildIndex().canCall(undefined), false);
  assert.is(new RenderReport().canCall({ id: "u1", role: "admin" }), true);
  assert.is(new RenderReport().name, "Render a report");
  assert.is(new RebuildIndex().name, undefined);
  assert.not.ok("name" in new RebuildIndex());
});

class Reprice extends QueryIter<{ price: number }, { factor: number }> {
  handled: number[] = [];

  handleEntry(entry: { price: number }, data: { factor: number }): void {
    this.handled.push(entry.price * data.factor);
  }
}

class BigSteps extends QueryIter<string> {
  static override readonly chunkSize = 50;

  handleEntry(): void {}
}

bases("QueryIter goes on after errors and finishes quietly by default", async () => {
  const iterator = new Reprice();

  iterator.handleEntry({ price: 10 }, { factor: 2 });
  assert.equal(iterator.handled, [20]);
  assert.is(await iterator.handleError({ price: 1 }, { factor: 2 }, new Error("x")), true);
  assert.is(await iterator.handleFinish(1, { factor: 2 }), undefined);
});

bases("QueryIter steps take 5 entries unless a subclass says otherwise", () => {
  assert.is(QueryIter.chunkSize, 5);
  assert.is(Reprice.chunkSize, 5);
  assert.is(BigSteps.chunkSize, 50);
});

bases("PermanentTaskFailure carries a message and a cause", () => {
  const cause = new Error("mailbox full");
  const failure = new PermanentTaskFailure("The mail was refused", { cause });

  assert.instance(failure, Error);
  assert.is(failure.name, "PermanentTaskFailure");
  assert.is(failure.message, "The mail was refused");
  assert.is(failure.cause, cause);
  assert.is(new PermanentTaskFailure().message, "The task failed permanently");
});

bases.run();
