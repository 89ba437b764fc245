// The stream benchmark's HTTP server, in its own process so its work does not run on the measured
// client's thread: `node bench/js/sse-server.mjs DELTAS CHUNKING`. Listens on 127.0.0.1 (a free
// port), prints `{"port":N}` once ready, and answers every `POST /v1/messages` with the
// synthetic stream (bench/js/synthetic.mjs) as `text/event-stream`, one write per chunk of the
// chosen sizes (64k: 65 536 bytes; tiny: 1–7 bytes), waiting for `drain` when the socket is
// full. TCP on loopback still coalesces tiny writes: the in-process fetch is what keeps them tiny.
import { createServer } from 'node:http';
import { chunkSizes, cachedBody } from './synthetic.mjs';

const [deltas, chunking] = [Number(process.argv[2] ?? 100_000), process.argv[3] ?? '64k'];
chunkSizes(chunking); // fails now on an unknown chunking, not at the first request
// Built once per server process, before any request is timed.
const body = cachedBody(deltas).readBytes();

async function send(res) {
  const next = chunkSizes(chunking); // every response is cut at the same places
  let closed = false;
  let wake = null; // resolves the wait for `drain`, or ends it when the client goes away
  res.on('close', () => {
    closed = true;
    wake?.();
  });
  res.on('drain', () => wake?.());
  let at = 0;
  while (at < body.length && !closed) {
    const end = Math.min(body.length, at + next());
    const ok = res.write(body.subarray(at, end));
    at = end;
    if (!ok && !closed) await new Promise((resolve) => (wake = resolve));
    wake = null;
  }
  if (!closed) res.end();
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return res.end('ok'); // the run's warm-up
  if (req.method !== 'POST' || req.url.split('?')[0] !== '/v1/messages') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"type":"error","error":{"type":"not_found_error","message":"not found"}}');
    return;
  }
  // Read the request body first, as a real server does, then stream. No content-length: the
  // API sends SSE with chunked transfer encoding.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_bench' });
    send(res).catch((error) => {
      console.error(`sse-server: ${error.stack ?? error}`);
      res.destroy();
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port, bytes: body.length })));
// The harness ends this process by closing its stdin (or killing it); never outlive it.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
