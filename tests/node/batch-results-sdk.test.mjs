// Batch results as SDK 1.15 gives them, on both clients against the local server: a JSONL
// decoder with a `controller`, lines read as they download, an abort that stops the download,
// and the error for a batch that has no results yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OfficialAnthropic from '@anthropic-ai/sdk';
import Anthropic from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const request = (id) => ({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: id }] } });

/** What a client of `Client` sees of a batch's results, read in full and aborted after one. */
async function results(Client) {
  const batches = new Client({ apiKey: 'sk-any', baseURL: server.url, maxRetries: 0 }).messages.batches;
  const batch = await batches.create({ requests: ['a', 'b', 'c'].map(request) });
  const early = await batches.results(batch.id).catch((error) => error.message);
  let current = batch;
  while (current.processing_status !== 'ended') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    current = await batches.retrieve(batch.id);
  }
  const whole = [];
  for await (const line of await batches.results(batch.id)) whole.push(line.custom_id);
  const decoder = await batches.results(batch.id);
  const controller = decoder.controller instanceof AbortController;
  const iterator = decoder[Symbol.asyncIterator]();
  const first = (await iterator.next()).value.custom_id;
  decoder.controller.abort();
  return { early: early.replace(batch.id, 'ID'), whole: whole.sort(), controller, first: typeof first };
}

test('batch results: a JSONL decoder with its controller, and the same error before the end', async () => {
  const ours = await results(Anthropic);
  assert.deepEqual(ours, await results(OfficialAnthropic));
  assert.deepEqual(ours, {
    early: 'No batch `results_url`; Has it finished processing? in_progress - ID',
    whole: ['a', 'b', 'c'],
    controller: true,
    first: 'string',
  });
});

test('aborting the controller stops a download in progress', async () => {
  const batches = new Anthropic({ apiKey: 'sk-any', baseURL: server.url }).messages.batches;
  const ids = Array.from({ length: 400 }, (_, i) => `req-${i}`);
  const batch = await batches.create({ requests: ids.map(request) });
  while ((await batches.retrieve(batch.id)).processing_status !== 'ended') await new Promise((resolve) => setTimeout(resolve, 20));
  const decoder = await batches.results(batch.id);
  const read = [];
  const outcome = await (async () => {
    for await (const line of decoder) {
      read.push(line.custom_id);
      if (read.length === 1) decoder.controller.abort();
    }
    return 'ended';
  })().catch((error) => error.name);
  assert.ok(read.length < ids.length, `read ${read.length} of ${ids.length} lines after the abort`);
  assert.match(outcome, /Abort/);
});
