// Quick prototype measurement: node bench/proto/quick.mjs CLIENT WORKLOAD CHUNKING [DELTAS]
import { ProtoStream } from './proto-stream.mjs';
import Official from 'anthropic-sdk-1.15.0';

const [client, workload, chunking, deltasArg] = process.argv.slice(2);
const deltas = Number(deltasArg ?? 100000);
const enc = new TextEncoder();
let body = '';
const ev = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
body += ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } });
body += ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const words = ['Hello', ' world', ' "quoted"', '\nnew line', ' héllo', ' 日本語', ' 😀'];
for (let i = 0; i < deltas; i++) {
  body += ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: words[i % words.length] } });
  if (i % 1000 === 999) body += ev('ping', { type: 'ping' });
}
body += ev('content_block_stop', { type: 'content_block_stop', index: 0 });
body += ev('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } });
const input = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(i % 50) })) });
const frags = 10000;
const step = Math.ceil(input.length / frags);
for (let i = 0; i < input.length; i += step) body += ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: input.slice(i, i + step) } });
body += ev('content_block_stop', { type: 'content_block_stop', index: 1 });
body += ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 99 } });
body += ev('message_stop', { type: 'message_stop' });
const bytes = enc.encode(body);
const chunks = [];
if (chunking === '64k') for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
else { let seed = 7; for (let i = 0; i < bytes.length;) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; const n = 1 + (seed % 7); chunks.push(bytes.subarray(i, i + n)); i += n; } }
const events = (body.match(/\n\n/g) || []).length;

const fetch = async () => new Response(new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } }), { headers: { 'content-type': 'text/event-stream' } });
const params = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

const t0 = performance.now();
let stream;
if (client === 'proto') stream = new ProtoStream(fetch());
else stream = new Official({ apiKey: 'k', fetch, maxRetries: 0 }).messages.stream(params);
let count = 0, touched = 0;
if (workload === 'forawait') { for await (const e of stream) count++; }
else if (workload === 'text') { stream.on('text', (d, s) => { count++; }); }
else if (workload === 'streamEvent') { stream.on('streamEvent', (e, s) => { count++; touched += s.content.length; }); }
const message = await stream.finalMessage();
const ms = performance.now() - t0;
const ok = message.content[0].text.length > 0 && JSON.stringify(message.content[1].input) === input;
console.log(JSON.stringify({ client, workload, chunking, ms: Math.round(ms), count, events, evps: Math.round(events / ms * 1000), ok }));
