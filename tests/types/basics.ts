// Everyday calls, written as for the official SDK: create, prefill, system blocks with
// cache_control, images (base64 and URL), documents, count tokens, the Anthropic namespace.
import Anthropic from 'anthropic-wasm';
import { Anthropic as NamedAnthropic, type Message, type MessageParam, type TextBlock } from 'anthropic-wasm';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(value: T): T {
  return value;
}

const client = new Anthropic({
  apiKey: 'sk-ant-test',
  maxRetries: 3,
  timeout: 60_000,
  defaultHeaders: { 'x-team': 'docs', 'anthropic-version': null },
  validation: { rejectPrefill: false },
});
const viaProxy = new NamedAnthropic({ baseURL: 'https://proxy.example/anthropic', dangerouslyAllowBrowser: true });
const unchecked = new Anthropic({ authToken: 'token', validation: false, fetch: (input, init) => fetch(input, init) });
const fromEnv = new Anthropic();
assertType<string>(viaProxy.baseURL);
assertType<number>(unchecked.maxRetries + fromEnv.timeout);

export async function basics(): Promise<void> {
  // A plain request.
  const message = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
  });
  const ok: Equals<typeof message.stop_reason, Anthropic.StopReason | null> = true;
  assertType<string | null | undefined>(message._request_id);
  console.log(message.id, message.usage.input_tokens, message.usage.cache_read_input_tokens ?? 0, ok);

  for (const block of message.content) {
    if (block.type === 'text') {
      console.log(block.text.toUpperCase(), block.citations?.length);
    } else if (block.type === 'tool_use') {
      console.log(block.name, JSON.stringify(block.input));
    } else if (block.type === 'thinking') {
      console.log(block.thinking, block.signature);
    }
  }
  const text = message.content
    .filter((block): block is TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
  console.log(text);

  // Unknown model ids type-check (an open enum, as in SDK 1.15); stop reasons are its closed union.
  const model: Anthropic.Model = 'claude-future-9';
  if (message.stop_reason === 'end_turn') {
    console.log(model, message.usage.service_tier === 'priority');
  }

  // Prefill, with system blocks carrying cache_control and request options.
  const history: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Give me a JSON object with a "name" key.' },
    { role: 'assistant', content: '{' },
  ];
  const prefilled = await client.messages.create(
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      system: [
        { type: 'text', text: 'You answer in JSON only.' },
        { type: 'text', text: 'A very long style guide…', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: history,
      stop_sequences: ['}'],
      metadata: { user_id: 'user-1234' },
    },
    { timeout: 30_000, maxRetries: 0, headers: { 'x-trace': 'abc', 'x-removed': null }, betas: ['extended-cache-ttl-2025-04-11'] },
  );
  history.push({ role: 'assistant', content: prefilled.content });

  // Images: base64 and URL; a document with citations; a search result.
  const controller = new AbortController();
  const vision = await client.messages.create(
    {
      model: 'claude-opus-4-6',
      max_tokens: 512,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'The grass is green.' },
              title: 'Facts',
              citations: { enabled: true },
              cache_control: { type: 'ephemeral' },
            },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            {
              type: 'search_result',
              source: 'https://example.com/doc',
              title: 'Doc',
              content: [{ type: 'text', text: 'Some content' }],
              citations: { enabled: true },
            },
            { type: 'text', text: 'Describe these.' },
          ],
        },
      ],
    },
    { signal: controller.signal },
  );
  for (const block of vision.content) {
    if (block.type === 'text') {
      for (const citation of block.citations ?? []) {
        if (citation.type === 'char_location') console.log(citation.start_char_index, citation.document_title);
        if (citation.type === 'search_result_location') console.log(citation.source, citation.search_result_index);
      }
    }
  }

  // Structured output and adaptive thinking.
  const structured = await client.messages.create({
    model: 'claude-opus-4-6',
    max_tokens: 2048,
    thinking: { type: 'adaptive' },
    output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object', properties: {} } } },
    messages: [{ role: 'user', content: 'What is 2 + 2?' }],
  });
  assertType<Message>(structured);

  // A reply goes back into the history unchanged.
  const next: MessageParam[] = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: structured.content }];
  console.log(next.length);

  // Count tokens.
  const count = await client.messages.countTokens({
    model: 'claude-sonnet-4-5',
    system: 'You are terse.',
    messages: [{ role: 'user', content: 'Hello' }],
  });
  assertType<number>(count.input_tokens);
  const countType: Equals<typeof count.input_tokens, number> = true;
  console.log(countType);

  // The namespace types, as in `Anthropic.Messages.*`.
  const tool: Anthropic.Messages.Tool = { name: 'noop', input_schema: { type: 'object' } };
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: 'claude-haiku-4-5',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'x' }],
    tools: [tool],
  };
  const usage: Anthropic.Usage = (await client.messages.create(params)).usage;
  console.log(usage.output_tokens);
}

// SDK 1.15's client options: an apiKey function, Headers and pairs, defaultQuery and query.
export const fromVault = new Anthropic({
  apiKey: async () => 'sk-ant-from-vault',
  defaultHeaders: new Headers({ 'x-team': 'a' }),
  defaultQuery: { tenant: 't1' },
  apiVersion: '2023-06-01',
});
export const withPairs = new Anthropic({ apiKey: () => 'sk-ant-sync', defaultHeaders: [['x-team', 'b']] });
export async function perRequestQuery(): Promise<void> {
  await fromVault.models.list({}, { query: { tenant: 't2' }, headers: [['x-trace', '1']] });
}

// client.beta, as SDK 1.15 has it.
export async function beta(): Promise<void> {
  const message = await fromVault.beta.messages.create({
    model: 'claude-opus-4-7',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Hi' }],
    betas: ['context-1m-2025-08-07'],
  });
  console.log(message.content);
  const tokens = await fromVault.beta.messages.countTokens({ model: 'claude-opus-4-7', messages: [], betas: ['token-counting-2024-11-01'] });
  console.log(tokens.input_tokens);
  for await (const model of fromVault.beta.models.list({ betas: ['files-api-2025-04-14'] })) console.log(model.id);
  await fromVault.beta.messages.batches.retrieve('msgbatch_1', { betas: ['message-batches-2024-09-24'] });
}

// The Files API, as SDK 1.15's docs show it.
export async function files(): Promise<void> {
  const { toFile } = await import('anthropic-wasm');
  const uploaded = await fromVault.files.upload({ file: await toFile(new Uint8Array([1, 2]), 'a.pdf', { type: 'application/pdf' }) });
  const size: number = uploaded.size_bytes;
  for await (const file of fromVault.files.list({ limit: 10 })) console.log(file.filename, size);
  const response: Response = await fromVault.files.download(uploaded.id);
  console.log(await response.arrayBuffer());
  await fromVault.beta.files.delete(uploaded.id, { betas: ['files-api-2025-04-14'] });
  await fromVault.messages.create({
    model: 'claude-opus-4-7',
    max_tokens: 64,
    messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: uploaded.id } }] }],
  });
}

// SDK 1.15's raw calls.
export async function raw(): Promise<void> {
  const models = await fromVault.get<{ data: Array<{ id: string }> }>('/v1/models', { query: { limit: 1 } });
  console.log(models.data[0]?.id);
  await fromVault.post('/v1/messages/count_tokens', { body: { model: 'claude-opus-4-7', messages: [] } });
}

// SDK 1.15's subpath imports.
import { APIError as SubpathAPIError, OverloadedError } from 'anthropic-wasm/error';
import { jsonSchemaOutputFormat as subpathFormat } from 'anthropic-wasm/helpers/json-schema';
import { betaTool as subpathBetaTool } from 'anthropic-wasm/helpers/beta/json-schema';
export function subpaths(error: unknown): boolean {
  const format = subpathFormat({ type: 'object', properties: {}, additionalProperties: false });
  console.log(format.type, typeof subpathBetaTool);
  return error instanceof SubpathAPIError || error instanceof OverloadedError;
}
