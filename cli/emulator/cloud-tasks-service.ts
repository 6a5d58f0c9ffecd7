import { status, type handleUnaryCall, type UntypedServiceImplementation } from "@grpc/grpc-js";

import type { QueueMessage, TaskMessage, TaskView } from "./cloud-tasks-messages.js";
import { queueMessage } from "./emulated-queue.js";
import { taskMessage } from "./emulated-task.js";
import type { EmulatorContext } from "./emulator-options.js";
import type { EmulatorStore } from "./emulator-store.js";
import { page } from "./pagination.js";
import { RpcError, unimplemented } from "./rpc-error.js";
import type { TaskDispatcher } from "./task-dispatcher.js";

/** The largest pages ListQueues and ListTasks return, as Cloud Tasks documents them. */
const MAX_QUEUE_PAGE = 9800;
const MAX_TASK_PAGE = 1000;

interface NameRequest {
  readonly name?: string;
  readonly responseView?: TaskView;
}

interface ListRequest {
  readonly parent?: string;
  readonly filter?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
  readonly responseView?: TaskView;
}

/**
 * The CloudTasks service's methods over the emulator's store. Each answers as Cloud Tasks does,
 * with its gRPC status codes: INVALID_ARGUMENT for malformed names and values, NOT_FOUND for a
 * missing queue or task, ALREADY_EXISTS for a queue or task name in use. The IAM methods are
 * not implemented.
 */
export function cloudTasksService(
  context: EmulatorContext,
  store: EmulatorStore,
  dispatcher: TaskDispatcher,
): UntypedServiceImplementation {
  const unary = unaryCall(context);
  let warnedOAuth = false;

  return {
    listQueues: unary((request: ListRequest) => {
      const queues = store.queues(request.parent, request.filter);
      const { items, nextPageToken } = page(
        queues,
        request.pageSize,
        request.pageToken,
        MAX_QUEUE_PAGE,
      );
      return { queues: items.map(queueMessage), nextPageToken };
    }),
    getQueue: unary((request: NameRequest) => queueMessage(store.queue(request.name))),
    createQueue: unary((request: { parent?: string; queue?: QueueMessage }) =>
      queueMessage(store.createQueue(request.parent, request.queue)),
    ),
    updateQueue: unary(
      (request: { queue?: QueueMessage; updateMask?: { paths?: readonly string[] } }) =>
        queueMessage(store.updateQueue(request.queue, request.updateMask?.paths)),
    ),
    deleteQueue: unary((request: NameRequest) => {
      store.deleteQueue(request.name);
      return {};
    }),
    purgeQueue: unary((request: NameRequest) => queueMessage(store.purgeQueue(request.name))),
    pauseQueue: unary((request: NameRequest) =>
      queueMessage(store.setQueueState(request.name, "PAUSED")),
    ),
    resumeQueue: unary((request: NameRequest) =>
      queueMessage(store.setQueueState(request.name, "RUNNING")),
    ),
    getIamPolicy: unary(notImplemented("GetIamPolicy")),
    setIamPolicy: unary(notImplemented("SetIamPolicy")),
    testIamPermissions: unary(notImplemented("TestIamPermissions")),

    listTasks: unary((request: ListRequest) => {
      const queue = store.queue(request.parent, "parent");
      const tasks = store.tasks(queue.name);
      const { items, nextPageToken } = page(
        tasks,
        request.pageSize,
        request.pageToken,
        MAX_TASK_PAGE,
      );
      return { tasks: items.map((task) => taskMessage(task, request.responseView)), nextPageToken };
    }),
    getTask: unary((request: NameRequest) =>
      taskMessage(store.task(request.name), request.responseView),
    ),
    createTask: unary(
      (request: { parent?: string; task?: TaskMessage; responseView?: TaskView }) => {
        const task = store.createTask(request.parent, request.task);
        if (!warnedOAuth && task.target.kind === "http" && task.target.oauthToken) {
          warnedOAuth = true;
          context.logger.warn(
            "A task asks for an OAuth token; the emulator cannot mint one and sends such " +
              "tasks without an Authorization header",
          );
        }
        context.logger.debug(`Queued ${task.name} for ${new Date(task.scheduleMs).toISOString()}`);
        return taskMessage(task, request.responseView);
      },
    ),
    deleteTask: unary((request: NameRequest) => {
      store.deleteTask(request.name);
      return {};
    }),
    runTask: unary((request: NameRequest) => {
      const task = store.task(request.name);
      dispatcher.runNow(task);
      return taskMessage(task, request.responseView);
    }),
  };
}

/** Wraps a method: its result is the answer, an RpcError its status, anything else INTERNAL. */
function unaryCall(context: EmulatorContext) {
  return <Request, Response>(run: (request: Request) => Response) => {
    const handler: handleUnaryCall<Request, Response> = (call, callback) => {
      try {
        callback(null, run(call.request));
      } catch (error) {
        if (error instanceof RpcError) {
          callback({ code: error.code, details: error.message });
          return;
        }
        context.logger.error(`${call.getPath()} failed: ${String(error)}`);
        callback({ code: status.INTERNAL, details: String(error) });
      }
    };
    return handler;
  };
}

function notImplemented(method: string) {
  return (): never => {
    throw unimplemented(`The emulator does not implement ${method}`);
  };
}
