// Where the official WebAssembly spec tests are: ../shared/wasm-testsuite beside the
// repository, or WASM_TESTSUITE. They are read from there, never copied into the repo.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The folder holding wasm-2.0/ and wasm-3.0/. */
export const testsuiteRoot = process.env.WASM_TESTSUITE ?? path.resolve(repoRoot, '../shared/wasm-testsuite');

/** The .wast files of one suite version, sorted, or undefined when the suite is absent. */
export function suiteFiles(version: '2.0' | '3.0'): string[] | undefined {
  const dir = path.join(testsuiteRoot, `wasm-${version}`);
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.wast'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** A describe title that says why a suite test is skipped. */
export function suiteTitle(title: string, version: '2.0' | '3.0'): string {
  return suiteFiles(version)
    ? title
    : `${title} (SKIPPED: ${path.join(testsuiteRoot, `wasm-${version}`)} not found; set WASM_TESTSUITE)`;
}
