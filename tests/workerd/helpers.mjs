// Shared by the workerd tests: bundle a Worker exactly as `wrangler deploy` would (its
// wrangler.toml, the package's `workerd` export condition, the .wasm as a compiled module), and
// run the bundle in real workerd through Miniflare, with the Worker's console captured.
// Not a test file itself (no `.test.` in its name).
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { repoRoot } from '../../devserver/tests-node/helpers.mjs';

export { repoRoot };

/** No prompts, no metrics, no request to Cloudflare's network. */
export const WRANGLER_ENV = {
  ...process.env,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
};

const wrangler = path.join(repoRoot, 'node_modules', '.bin', 'wrangler');

/** `wrangler deploy --dry-run` of the Worker in `workerDir` into `outDir`; returns wrangler's output. */
export async function bundleWorker(workerDir, outDir) {
  const { stdout } = await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outDir], {
    cwd: workerDir,
    env: WRANGLER_ENV,
  });
  return stdout;
}

/**
 * Bundles the Worker in `workerDir` and starts it in workerd with its wrangler.toml settings
 * (compatibility date and flags, vars), `bindings` overriding the vars.
 * Returns { url, logs, dispose }: `logs` collects every line the Worker wrote to the console.
 */
export async function startWorker(workerDir, bindings = {}) {
  const outDir = await mkdtemp(path.join(tmpdir(), 'anthropic-wasm-worker-'));
  await bundleWorker(workerDir, outDir);
  const config = unstable_readConfig({ config: path.join(workerDir, 'wrangler.toml') });
  const logs = [];
  const collect = (stream) => {
    let pending = '';
    stream.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      logs.push(...lines.filter(Boolean));
    });
  };
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(outDir, path.basename(config.main)),
    modulesRoot: outDir,
    // Miniflare's default rules take .js for CommonJS; wrangler's bundle is ES modules.
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    bindings: { ...config.vars, ...bindings },
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  const dispose = async () => {
    await mf.dispose();
    await rm(outDir, { recursive: true, force: true });
  };
  return { url, logs, dispose };
}

/**
 * A relay in front of `target` (the devserver) that records what a Worker sends upstream (path,
 * headers, body text) and whether it hung up before the reply ended. It adds headers of the
 * upstream site, as a CDN in front of the API may, which are not for the Worker's caller.
 */
export function startRelay(target) {
  const seen = [];
  const server = http.createServer((incoming, outgoing) => {
    const record = { path: incoming.url, headers: incoming.headers, body: '', hungUp: false, finished: false };
    seen.push(record);
    const upstream = http.request(target + incoming.url, { method: incoming.method, headers: incoming.headers }, (reply) => {
      outgoing.writeHead(reply.statusCode, { ...reply.headers, 'access-control-allow-origin': '*', 'set-cookie': 'upstream=1' });
      reply.pipe(outgoing);
      reply.on('end', () => (record.finished = true));
    });
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => (record.body = Buffer.concat(chunks).toString()));
    incoming.pipe(upstream);
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) {
        record.hungUp = true;
        upstream.destroy();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() })),
  );
}

/**
 * Reads an SSE body, noting when each event arrived (ms since `since`).
 * Returns [{event, data, at}]; `onEvent` may return true to stop reading (the body is cancelled).
 */
export async function readEvents(response, since, onEvent = () => false) {
  const events = [];
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { event: 'message', data: '', at: performance.now() - since };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      events.push(event);
      if (onEvent(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}
