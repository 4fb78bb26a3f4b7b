// The local RunTask against moto's ECS refuses what ECS refuses: an INACTIVE (deregistered)
// revision; a family runs its latest ACTIVE revision (moto alone would pick the latest revision
// whatever its status), which is how the state machine names its task definitions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeregisterTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { useMoto } from '../support/moto.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { ecsTaskRunner } from '../../workers/local/ecs-task.js';

let moto: MotoServer;
let ecs: ECSClient;
const arns: string[] = [];

test.before(async () => {
  moto = await useMoto();
  ecs = new ECSClient({});
  for (const rev of ['one', 'two', 'three']) {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'workers-validate',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'validate', image: 'img:1', command: ['node', '-e', 'console.log(`revision ${process.env.REV}`)'], environment: [{ name: 'REV', value: rev }] }],
      }),
    );
    arns.push(registered.taskDefinition!.taskDefinitionArn!);
  }
  // an apply replaced the definition twice: revision 3 was deregistered again, 2 is the live one
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arns[0]! }));
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arns[2]! }));
});
test.after(async () => moto.stop());

const runner = (lines: string[]) => ecsTaskRunner({ ecs, distDir: '/nowhere', baseEnv: { PATH: process.env.PATH ?? '' }, output: (l) => lines.push(l) });

test('an INACTIVE revision is refused before anything runs', async () => {
  const lines: string[] = [];
  let error: Error | undefined;
  await runner(lines).run({ TaskDefinition: arns[0]! }, 10_000).catch((e: Error) => {
    error = e;
  });
  assert.is(error?.name, 'ECS.ClientException');
  assert.match(error!.message, /inactive/);
  assert.equal(lines, []);
});

test('the family ARN runs the latest ACTIVE revision', async () => {
  const lines: string[] = [];
  const family = arns[1]!.replace(/:\d+$/, '');
  const result = await runner(lines).run({ TaskDefinition: family }, 10_000);
  assert.is(result.TaskDefinitionArn, arns[1]);
  assert.equal(lines, ['[validate] revision two']);
});

test.run();
