// Shared by the node tests: start the built devserver binary (building it when missing) on a
// free port, and stop it. Not a test file itself (no `.test.` in its name).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The devserver binary: $DEVSERVER_BIN, or target/debug/devserver (built if absent). */
export function devserverBinary() {
  const bin = process.env.DEVSERVER_BIN ?? path.join(repoRoot, 'target', 'debug', 'devserver');
  if (!existsSync(bin)) {
    execFileSync('cargo', ['build', '-p', 'devserver'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return bin;
}

/** Resolves when `predicate()` is true, or rejects after `ms`: for what another
 * process logs, which arrives after the answer the test already has. */
export async function eventually(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `devserver --port 0 ...args` and resolves once it printed its address.
 * Returns { url, logs, stop }: `logs` collects its per-request log lines (stderr).
 */
export async function startDevserver(args = []) {
  const child = spawn(devserverBinary(), ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never outlive the test process, even when it ends before its `after` hooks finish.
  process.once('exit', () => child.kill());
  const logs = [];
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('devserver did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`devserver exited with ${code}`)));
    lines.on('line', (line) => {
      const match = line.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill();
    });
  return { url, logs, stop };
}
