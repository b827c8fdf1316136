// A clean checkout builds without a single warning: a newcomer running `npm start` should
// not have to tell harmless noise from real trouble. Builds the site into a temporary
// directory and reads what the build printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('astro build prints no warning', () => {
  const out = mkdtempSync(join(tmpdir(), 'wasmstep-build-'));
  try {
    const result = spawnSync(join(root, 'node_modules', '.bin', 'astro'), ['build'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', SITE_BASE: '/', SITE_OUT: out },
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output.split('\n').filter((line) => /warn/i.test(line))).toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
