import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RuntimeState, stateFilePath } from '../../../infra/local/runtime.js';
import { spawnRuntime } from '../../../infra/local/spawn.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start (infra/local/main.ts)', () => {
  it('prints the tokens and the ready line, serves the API, and stops everything on SIGTERM with code 0', async () => {
    // Prepare / Act
    const runtime = await spawnRuntime({ country: 'NL', env: { CLEARWAY_LOG_LEVEL: 'warn' } });
    let javaPid: number | undefined;
    try {
      const output = runtime.output();
      expect(output).toContain('local:platform:demo-platform');
      expect(output).toContain('local:agency:FOOD_SAFETY');
      expect(output).toContain(`Clearway ready at ${runtime.url}`);

      const state = JSON.parse(
        readFileSync(stateFilePath('NL', 'memory', runtime.pid), 'utf8'),
      ) as RuntimeState;
      expect(state.pid).toBe(runtime.pid);
      const unauthorized = await fetch(`${runtime.url}/v1/declarations/dcl_x`);
      expect(unauthorized.status).toBe(401);
      // The gateway's own refusal, as API Gateway answers a request without a token.
      expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer');
      expect(await unauthorized.json()).toEqual({ message: 'Unauthorized' });

      const stdout = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(runtime.pid)], {
        encoding: 'utf8',
      });
      javaPid = Number(
        stdout
          .split('\n')
          .find((line) => line.includes('DynamoDBLocal.jar'))
          ?.trim()
          .split(/\s+/)[0],
      );
      expect(javaPid).toBeGreaterThan(0);
    } finally {
      // Assess
      const code = await runtime.stop();
      expect(code).toBe(0);
    }
    expect(alive(javaPid)).toBe(false);
    expect(existsSync(stateFilePath('NL', 'memory', runtime.pid))).toBe(false);
  });
});
