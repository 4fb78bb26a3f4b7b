// Binds every Task state of the definition, by state name, to a local implementation chosen by its
// Resource: DynamoDB, SNS and S3 (aws-sdk) integrations call moto through the SDK, ECS `.sync`
// tasks run worker bundles as child processes. A Task whose Resource has no binding stops the
// runner at start, instead of the interpreter quietly trying to call a real Lambda.
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { EcsTaskRunner, RunTaskParams } from './ecs-task.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskHandler = (params: Json) => Promise<Json>;

interface StateDef {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly States?: Record<string, StateDef>;
  readonly Iterator?: { States: Record<string, StateDef> };
  readonly ItemProcessor?: { States: Record<string, StateDef> };
  readonly Branches?: ReadonlyArray<{ States: Record<string, StateDef> }>;
}

export interface Definition {
  readonly States: Record<string, StateDef>;
}

export interface TaskClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly ecs: EcsTaskRunner;
}

/** Every Task state, nested ones included (names are global in the interpreter). */
export const taskStates = (states: Record<string, StateDef>): ReadonlyArray<readonly [string, StateDef]> =>
  Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as const] : []),
    ...(state.Iterator ? taskStates(state.Iterator.States) : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
    ...(state.Branches ?? []).flatMap((b) => taskStates(b.States)),
  ]);

/** Step Functions names integration errors `<Service>.<Exception>`; Retry/Catch match on that. */
const rethrowAs = (service: string) => (error: unknown): never => {
  const e = error as { name?: string; message?: string };
  throw Object.assign(new Error(e.message ?? String(error)), { name: `${service}.${e.name ?? 'Error'}` });
};

/** The SDK's response minus its transport metadata, as Step Functions returns it. */
const payload = (response: object): Json => {
  const { $metadata: _ignored, ...rest } = response as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as Json;
};

const DEFAULT_TASK_TIMEOUT_SECONDS = 60;

type DynamoCall = (client: DynamoDBClient, params: never) => Promise<object>;
const dynamodbCalls: Record<string, DynamoCall> = {
  updateItem: (c, p) => c.send(new UpdateItemCommand(p)),
  getItem: (c, p) => c.send(new GetItemCommand(p)),
  putItem: (c, p) => c.send(new PutItemCommand(p)),
  deleteItem: (c, p) => c.send(new DeleteItemCommand(p)),
};

export const bindingFor = (resource: string, state: StateDef, clients: TaskClients): TaskHandler | undefined => {
  const dynamo = /^arn:aws:states:::dynamodb:(updateItem|getItem|putItem|deleteItem)$/.exec(resource);
  if (dynamo) {
    const call = dynamodbCalls[dynamo[1]!]!;
    return async (params) => payload(await call(clients.dynamodb, params as never).catch(rethrowAs('DynamoDB')));
  }
  if (resource === 'arn:aws:states:::sns:publish') {
    return async (params) => {
      const p = params as { Message: Json } & Record<string, Json>;
      // A JSON Message is sent as its JSON text, as Step Functions does.
      const Message = typeof p.Message === 'string' ? p.Message : JSON.stringify(p.Message);
      return payload(await clients.sns.send(new PublishCommand({ ...(p as object), Message } as never)).catch(rethrowAs('SNS')));
    };
  }
  if (resource === 'arn:aws:states:::aws-sdk:s3:getObject') {
    return async (params) => {
      const res = await clients.s3.send(new GetObjectCommand(params as never)).catch(rethrowAs('S3'));
      const { Body, ...rest } = res;
      return { ...(payload(rest) as Record<string, Json>), Body: Body ? await Body.transformToString('utf8') : '' };
    };
  }
  if (resource === 'arn:aws:states:::ecs:runTask.sync') {
    const timeoutMs = (state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
    return async (params) => (await clients.ecs.run(params as unknown as RunTaskParams, timeoutMs)) as Json;
  }
  return undefined;
};

export const bindTasks = (definition: Definition, clients: TaskClients): Record<string, TaskHandler> => {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of taskStates(definition.States)) {
    const handler = bindingFor(state.Resource ?? '', state, clients);
    if (!handler) throw new Error(`no local binding for Task ${name} (${state.Resource ?? 'no Resource'})`);
    handlers[name] = handler;
  }
  return handlers;
};
