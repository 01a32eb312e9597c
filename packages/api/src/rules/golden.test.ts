/**
 * Every golden scenario (shared/golden, beside the repository) and every scenario of our own
 * (./scenarios) must reproduce each field of its `expect` exactly.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { firstMismatch, readScenario, runScenario } from './scenario';

const GOLDEN_DIR = resolve(__dirname, '../../../../../shared/golden');
const OWN_DIR = resolve(__dirname, 'scenarios');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}

describe.each([
  ['golden', GOLDEN_DIR],
  ['own', OWN_DIR],
])('%s scenarios', (_label, dir) => {
  const files = jsonFiles(dir);

  it('has scenarios to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [file.slice(dir.length + 1), file]))('%s', (_name, file) => {
    const scenario = readScenario(file);
    const { outcome } = runScenario(scenario);
    // Only the fields present in `expect` are checked; a failure names the first differing field.
    expect(firstMismatch(scenario.expect, outcome)).toBeNull();
  });
});
