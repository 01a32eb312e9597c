import type { ChildProcess } from 'node:child_process';

/** Resolves with the exit code once the process has ended, also when it ended before this was called. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
