// Starts the local Messages API server (the built `devserver` binary) on a free loopback port
// for a test file, and stops it afterwards.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server; resolves to `{ url, stop() }` once it answers. */
export async function startDevserver(args = []) {
  const port = await freePort();
  const binary = process.env.DEVSERVER_BIN ?? `${root}/target/debug/devserver`;
  const child = spawn(binary, ['--port', String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`devserver exited: ${log}`);
    try {
      const response = await fetch(`${url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01', 'x-api-key': args.includes('--api-key') ? args[args.indexOf('--api-key') + 1] : 'none' } });
      await response.arrayBuffer();
      break;
    } catch {
      if (Date.now() - started > 10_000) throw new Error(`devserver did not start: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    log: () => log,
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    }),
  };
}
