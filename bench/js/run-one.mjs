// One measurement in a fresh process: `node run-one.mjs <official|wasm> <64k|tiny>`. Prints JSON.
import { syntheticStream, replayFetch } from './stream.mjs';

const [clientName, chunking] = process.argv.slice(2);
const stream = syntheticStream();
const sizes = chunking === '64k' ? [65536] : Array.from({ length: 997 }, (_, i) => 1 + ((i * 7919 + 13) % 7));
const importStart = performance.now();
const { default: Anthropic } = clientName === 'official' ? await import('@anthropic-ai/sdk') : await import('anthropic-wasm');
const importMs = performance.now() - importStart;
const client = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://bench.invalid', maxRetries: 0, fetch: replayFetch(stream.bytes, sizes) });

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
const start = performance.now();
let firstText = null;
let texts = 0;
const messageStream = client.messages.stream({ model: 'claude-bench', max_tokens: 200000, messages: [{ role: 'user', content: 'bench' }] });
messageStream.on('text', () => {
  if (firstText === null) firstText = performance.now() - start;
  texts++;
});
const message = await messageStream.finalMessage();
const elapsed = performance.now() - start;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
if (texts !== stream.textDeltas || message.content[1].input.lines.length !== stream.toolFragments) {
  throw new Error(`${clientName}: wrong result (${texts} text events)`);
}

// A second request in the same process: the first text once everything is compiled and warm.
const warmStart = performance.now();
const warm = client.messages.stream({ model: 'claude-bench', max_tokens: 200000, messages: [{ role: 'user', content: 'bench' }] });
const warmFirstTextMs = await new Promise((resolve) => warm.once('text', () => resolve(performance.now() - warmStart)));
warm.abort();
await warm.done().catch(() => {});

console.log(JSON.stringify({ client: clientName, chunking, ms: elapsed, importMs, firstTextMs: firstText, warmFirstTextMs, events: stream.events, bytes: stream.bytes.length, peakRssMb: peakRss / 2 ** 20 }));
