// The official README's typed examples, and the surface added for the rest of them
// (tests/node/official-readme.test.mjs runs them): APIPromise's asResponse() and withResponse(),
// Stream's tee() and fromReadableStream(), withOptions, fetchOptions.
import Anthropic, { APIPromise, Stream } from 'anthropic-wasm';
import type { Message, MessageBatch, RawMessageStreamEvent } from 'anthropic-wasm';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(value: T): T {
  return value;
}

// Request & Response types, as the README writes them.
export async function requestAndResponseTypes(): Promise<void> {
  const client = new Anthropic({
    apiKey: process.env['ANTHROPIC_API_KEY'], // This is the default and can be omitted
  });

  const params: Anthropic.MessageCreateParams = {
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  };
  const message: Anthropic.Message = await client.messages.create(params);
  assertType<Message>(message);
}

declare const process: { env: Record<string, string | undefined> };

export async function rawResponses(client: Anthropic): Promise<void> {
  const params = {
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5',
  };

  const pending = client.messages.create(params);
  assertType<APIPromise<Message & { _request_id?: string | null }>>(pending);
  const response = await client.messages.create(params).asResponse();
  assertType<Response>(response);
  assertType<string>(response.statusText);

  const { data: message, response: raw, request_id } = await client.messages.create(params).withResponse();
  assertType<Message>(message);
  assertType<Response>(raw);
  assertType<string | null>(request_id);

  const { data: stream } = await client.messages.create({ ...params, stream: true }).withResponse();
  assertType<Stream<RawMessageStreamEvent>>(stream);

  const { data: page } = await client.messages.batches.list({ limit: 20 }).withResponse();
  const batches: MessageBatch[] = page.data;
  assertType<MessageBatch[]>(batches);
  const next = await page.getNextPage().asResponse();
  assertType<Response>(next);

  const helper = await client.messages.stream(params).withResponse();
  assertType<Response>(helper.response);
}

export async function streams(client: Anthropic): Promise<void> {
  const stream = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5',
    stream: true,
  });
  const [left, right] = stream.tee();
  for await (const event of left) assertType<RawMessageStreamEvent>(event);
  const again = Stream.fromReadableStream<RawMessageStreamEvent>(right.toReadableStream(), new AbortController());
  for await (const event of again) {
    const sameType: Equals<typeof event, RawMessageStreamEvent> = true;
    assertType<true>(sameType);
  }
  // @ts-expect-error tee() gives exactly two streams
  stream.tee()[2];
}

export async function options(client: Anthropic): Promise<void> {
  const patient: Anthropic = client.withOptions({ maxRetries: 5, timeout: 20 * 1000 });
  const tuned = new Anthropic({ fetchOptions: { cache: 'no-store' } });
  await tuned.messages.create(
    { max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], model: 'claude-haiku-4-5' },
    {
      maxRetries: 5,
      timeout: 5 * 1000,
      fetchOptions: { keepalive: true },
      headers: { 'anthropic-version': 'My-Custom-Value' },
    },
  );
  // @ts-expect-error withOptions takes client options
  patient.withOptions({ stream: true });
  await client.messages.create({
    max_tokens: 8,
    messages: [{ role: 'user', content: 'hi' }],
    model: 'claude-haiku-4-5',
    // @ts-expect-error baz is not yet public
    baz: 'undocumented option',
  });
}
