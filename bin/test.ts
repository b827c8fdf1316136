// `npm test`: the project's one test command.
//   1. type check: astro check (.astro), tsc (engine, bin, tests, site/lib), svelte-check (.svelte)
//   2. build the site twice: dist/ at base / and dist-course/ at base /course/
//   3. vitest: the unit project (engine, content, server) and the e2e project
//      (links in both builds; both builds in headless Chromium)
// It stops at the first failing stage and ends with the test runner's counts.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(title: string, command: string, args: string[], extraEnv: Record<string, string> = {}): void {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${title} (${seconds}s)`);
}

const only = process.argv[2]; // `npm test -- unit` runs just the unit tests
if (only === 'unit') {
  run('unit tests', bin('vitest'), ['run', '--project', 'unit']);
  process.exit(0);
}

// astro check first: it also generates .astro/types.d.ts (astro:content), which tsc needs.
run('type check: astro check', bin('astro'), ['check']);
run('type check: tsc', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
run('type check: svelte-check', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--workspace', '.', '--fail-on-warnings']);

rmSync(join(root, 'dist'), { recursive: true, force: true });
rmSync(join(root, 'dist-course'), { recursive: true, force: true });
run('build: base /', bin('astro'), ['build'], { SITE_BASE: '/', SITE_OUT: './dist' });
run('build: base /course/', bin('astro'), ['build'], { SITE_BASE: '/course/', SITE_OUT: './dist-course' });

const report = join(root, 'test-results', 'vitest.json');
rmSync(report, { force: true });
const started = Date.now();
console.log('\n▶ vitest: unit + e2e');
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { cwd: root, stdio: 'inherit', env },
);

// The last line is the plain count, so any CI log reader sees the result.
let counts = '';
try {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  counts = `${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests + json.numTodoTests} skipped`;
} catch {
  counts = '0 passed, 1 failed';
}
console.log(`\nvitest finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`tests: ${counts}`);
process.exit(vitest.status ?? 1);
