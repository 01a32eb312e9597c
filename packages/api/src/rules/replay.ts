/**
 * Replays golden scenarios through the rule engine.
 *
 *   pnpm replay <file|dir>...      one line per scenario file, sorted: "PASS name" or
 *                                  "FAIL name: <field> expected X got Y"; then "N passed, M failed".
 *                                  Exit code 1 when any failed (unreadable or invalid files included).
 *   pnpm replay --outcome <file>   prints the computed outcome (the `expect` fields) as JSON.
 *
 * pnpm runs this with packages/api as the working directory; paths are resolved against the
 * directory the command was typed in (INIT_CWD).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readScenario, runScenario, ScenarioError, checkScenarioFile } from './scenario';

const USAGE = 'usage: pnpm replay <file|dir>...   |   pnpm replay --outcome <file>';

function baseDirectory(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** The scenario files named by the arguments: files as given, directories' *.json files. */
function scenarioFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(baseDirectory(), arg);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // Missing: listed anyway, so that it is reported as a failure.
    }
    if (isDirectory) {
      for (const entry of readdirSync(path)) {
        if (entry.toLowerCase().endsWith('.json')) files.push(join(path, entry));
      }
    } else {
      files.push(path);
    }
  }
  return files;
}

function replay(args: string[]): number {
  const checks = scenarioFiles(args)
    .map(checkScenarioFile)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : 1));
  let passed = 0;
  for (const check of checks) {
    if (check.passed) {
      passed += 1;
      console.log(`PASS ${check.name}`);
    } else {
      console.log(`FAIL ${check.name}: ${check.reason}`);
    }
  }
  const failed = checks.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function printOutcome(file: string): number {
  try {
    const scenario = readScenario(resolve(baseDirectory(), file));
    console.log(JSON.stringify(runScenario(scenario).outcome, null, 2));
    return 0;
  } catch (error) {
    console.error(error instanceof ScenarioError ? `${file}: ${error.message}` : error);
    return 1;
  }
}

function main(argv: string[]): number {
  if (argv[0] === '--outcome') {
    if (argv.length !== 2) {
      console.error(USAGE);
      return 2;
    }
    return printOutcome(argv[1]);
  }
  if (argv.length === 0 || argv.some((arg) => arg.startsWith('--'))) {
    console.error(USAGE);
    return 2;
  }
  return replay(argv);
}

process.exitCode = main(process.argv.slice(2));
