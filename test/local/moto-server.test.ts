import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMoto } from '../../workers/local/moto-server.js';

test('the launcher starts moto on a free loopback port and stops it', async () => {
  const moto = await startMoto();
  assert.match(moto.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
  assert.is(res.status, 200);
  await moto.stop();
  const afterStop = await fetch(`${moto.endpoint}/moto-api/data.json`).then(() => 'answered', () => 'refused');
  assert.is(afterStop, 'refused');
});

test.run();
