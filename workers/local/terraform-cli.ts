// `make plan|apply|destroy LOCAL=1`: the committed Terraform against a moto that lives in the
// background between make invocations. State under .local/ (gitignored).
//   node --import tsx workers/local/terraform-cli.ts <up|down|plan|apply|destroy|outputs>
//        [--env ENV] [--var-file FILE] [--port PORT] [--state-dir DIR]
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags } from '../io/cli.js';
import { ensureDaemon, readDaemon, stopDaemon } from './moto-daemon.js';
import { applyLocal, destroyLocal, outputsLocal, planLocal, REPO_ROOT, type LocalStackOptions } from './terraform.js';

const USAGE = 'usage: terraform-cli.ts <up|down|plan|apply|destroy|outputs> [--env ENV] [--var-file FILE] [--port PORT] [--state-dir DIR]';

const main = async (): Promise<number> => {
  const { values, positionals } = parseFlags({
    allowPositionals: true,
    options: {
      env: { type: 'string', default: 'local' },
      'var-file': { type: 'string' },
      port: { type: 'string' },
      'state-dir': { type: 'string', default: join(REPO_ROOT, '.local') },
      help: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const stateDir = resolve(values['state-dir']!);
  const motoState = join(stateDir, 'moto.json');
  const env = values.env!;
  const dir = join(stateDir, `terraform-${env}`);
  const port = values.port ? Number(values.port) : undefined;
  const log = (line: string) => console.log(line);
  const options = (endpoint: string): LocalStackOptions => ({
    endpoint,
    dir,
    vars: { environment: env },
    ...(values['var-file'] ? { varFile: values['var-file'] } : {}),
    log,
  });

  switch (command) {
    case 'up': {
      const moto = await ensureDaemon(motoState, port);
      console.log(`moto on ${moto.endpoint} (pid ${moto.pid})`);
      return 0;
    }
    case 'down':
      console.log((await stopDaemon(motoState)) ? 'moto stopped' : 'moto was not running');
      return 0;
    case 'plan': {
      const moto = await ensureDaemon(motoState, port);
      const { changes } = await planLocal(options(moto.endpoint));
      console.log(changes ? 'plan: changes pending' : 'plan: no changes');
      return 0;
    }
    case 'apply': {
      const moto = await ensureDaemon(motoState, port);
      const outputs = await applyLocal(options(moto.endpoint));
      const file = join(stateDir, `outputs-${env}.json`);
      writeFileSync(file, JSON.stringify(outputs, null, 2) + '\n');
      console.log(`applied against ${moto.endpoint}; outputs in ${file}`);
      return 0;
    }
    case 'destroy': {
      const known = readDaemon(motoState);
      if (known) await destroyLocal(options(known.endpoint));
      await stopDaemon(motoState);
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(stateDir, `outputs-${env}.json`), { force: true });
      console.log(known ? 'destroyed; moto stopped' : 'moto was not running: nothing to destroy');
      return 0;
    }
    case 'outputs':
      console.log(JSON.stringify(await outputsLocal(dir), null, 2));
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`terraform-cli: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
