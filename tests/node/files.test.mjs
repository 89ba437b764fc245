// The Files API end to end against the local server, written as SDK 1.15's docs show it and run
// on both clients: upload with `toFile`, list (cursor pages, `ids`), retrieveMetadata, download,
// delete, a message naming an uploaded file, the API's errors with their `error_code` classes,
// and `client.beta.files` with `betas`.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OfficialAnthropic, { toFile as officialToFile } from '@anthropic-ai/sdk';
import Anthropic, { toFile } from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;
let strict;
let tiny;
before(async () => {
  server = await startDevserver(['--downloadable-uploads', '--quiet']);
  strict = await startDevserver(['--quiet']);
  tiny = await startDevserver(['--quiet', '--files-quota', '20']);
});
after(async () => {
  await Promise.all([server?.stop(), strict?.stop(), tiny?.stop()]);
});

const LIBRARIES = [
  ['SDK 1.15', OfficialAnthropic, officialToFile],
  ['anthropic-wasm', Anthropic, toFile],
];
const client = (Client, url = server.url) => new Client({ apiKey: 'sk-ant-files', baseURL: url, maxRetries: 0 });
/** Metadata without what differs from upload to upload. */
const stable = ({ id, created_at, ...rest }) => ({ ...rest, id: id.slice(0, 5), created_at: typeof created_at });

test('upload, retrieveMetadata, download, list and delete as SDK 1.15 does them', async () => {
  const seen = [];
  for (const [name, Client, makeFile] of LIBRARIES) {
    const files = client(Client).files;
    const uploaded = await files.upload({ file: await makeFile(Buffer.from('hello files'), 'notes.txt', { type: 'text/plain' }) });
    const meta = await files.retrieveMetadata(uploaded.id);
    const body = await (await files.download(uploaded.id)).text();
    const others = [];
    for (const text of ['two', 'three']) others.push((await files.upload({ file: await makeFile(new TextEncoder().encode(text), `${text}.txt`, { type: 'text/plain' }) })).id);
    const first = await files.list({ limit: 1 });
    const everything = [];
    for await (const file of files.list({ limit: 1 })) everything.push(file.id);
    const pages = [];
    for await (const page of first.iterPages()) pages.push(page.getPaginatedItems().length);
    const some = await files.list({ ids: [uploaded.id, others[1]] });
    const deleted = await files.delete(uploaded.id);
    const gone = await files.retrieveMetadata(uploaded.id).catch((e) => e);
    for (const id of others) await files.delete(id);
    seen.push({
      uploaded: stable(uploaded),
      meta: stable(meta),
      body,
      first: { count: first.data.length, more: first.hasNextPage() },
      everything: everything.length,
      ordered: everything[everything.length - 1] === uploaded.id,
      pages,
      some: some.data.map((f) => f.filename).sort(),
      deleted: { ...deleted, id: deleted.id === uploaded.id },
      gone: [gone.constructor.name, gone.status],
    });
    assert.equal(body, 'hello files', name);
    assert.equal(gone.constructor.name, 'NotFoundError', name);
  }
  assert.deepEqual(seen[1], seen[0]);
  assert.deepEqual(seen[1].pages, [1, 1, 1]);
  assert.deepEqual(seen[1].some, ['notes.txt', 'three.txt']);
});

test('toFile takes bytes, streams, Responses and file streams as SDK 1.15\'s does', async () => {
  const path = join(tmpdir(), `anthropic-wasm-files-${process.pid}.txt`);
  writeFileSync(path, 'from disk');
  const inputs = {
    'a Uint8Array': () => new TextEncoder().encode('bytes'),
    'a ReadableStream': () => new Response('streamed').body,
    'a Response': () => new Response('responded', { headers: { 'content-type': 'text/plain' } }),
    'a file stream': () => createReadStream(path),
  };
  for (const [what, make] of Object.entries(inputs)) {
    const made = [];
    for (const [, , makeFile] of LIBRARIES) {
      const file = await makeFile(make(), what === 'a file stream' ? undefined : 'x.txt');
      made.push({ name: file.name, text: await file.text() });
    }
    assert.deepEqual(made[1], made[0], what);
  }
  // A file stream given to upload as it is, as the SDK's README shows.
  const files = client(Anthropic).files;
  const uploaded = await files.upload({ file: createReadStream(path) });
  assert.equal(uploaded.filename, path.split('/').pop());
  assert.equal(await (await files.download(uploaded.id)).text(), 'from disk');
  await files.delete(uploaded.id);
});

test('a message names an uploaded document; a file it cannot read or that is gone is refused', async () => {
  const anthropic = client(Anthropic);
  const doc = await anthropic.files.upload({ file: await toFile(Buffer.from('%PDF-1.4 tiny'), 'a.pdf', { type: 'application/pdf' }) });
  const ask = (source, type = 'document') => ({
    model: 'claude-haiku-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: [{ type, source }, { type: 'text', text: 'What is this?' }] }],
  });
  const message = await anthropic.messages.create(ask({ type: 'file', file_id: doc.id }));
  assert.equal(message.type, 'message');
  const asImage = await anthropic.messages.create(ask({ type: 'file', file_id: doc.id }, 'image')).catch((e) => e);
  assert.equal(asImage.constructor.name, 'BadRequestError');
  await anthropic.files.delete(doc.id);
  const gone = await anthropic.messages.create(ask({ type: 'file', file_id: doc.id })).catch((e) => e);
  assert.equal(gone.constructor.name, 'NotFoundError');
});

test('the Files API\'s error_code classes: FileNotDownloadableError, StorageQuotaExceededError', async () => {
  for (const [name, Client, makeFile] of LIBRARIES) {
    const files = client(Client, strict.url).files;
    const uploaded = await files.upload({ file: await makeFile(Buffer.from('x'), 'x.txt', { type: 'text/plain' }) });
    const refused = await files.download(uploaded.id).catch((e) => e);
    assert.equal(refused.constructor.name, 'FileNotDownloadableError', name);
    assert.ok(refused instanceof Client.BadRequestError, name);
    assert.equal(refused.errorCode, 'file_not_downloadable');
    const full = client(Client, tiny.url).files;
    const big = await full.upload({ file: await makeFile(Buffer.alloc(21), 'big.bin') }).catch((e) => e);
    assert.equal(big.constructor.name, 'StorageQuotaExceededError', name);
  }
});

test('client.beta.files: betas go as the anthropic-beta header', async () => {
  const sent = [];
  const anthropic = new Anthropic({
    apiKey: 'sk-ant-files',
    baseURL: server.url,
    fetch: (url, init) => {
      sent.push(new Headers(init.headers).get('anthropic-beta'));
      return fetch(url, init);
    },
  });
  const uploaded = await anthropic.beta.files.upload({ file: await toFile(Buffer.from('b'), 'b.txt'), betas: ['files-api-2025-04-14'] });
  await anthropic.beta.files.delete(uploaded.id, { betas: ['files-api-2025-04-14'] });
  assert.deepEqual(sent, ['files-api-2025-04-14', 'files-api-2025-04-14']);
});
