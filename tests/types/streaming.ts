// Streaming, written as for the official SDK: messages.stream() with listeners and promises,
// create({ stream: true }) with `for await` and narrowing on event.type and event.delta.type.
import Anthropic, { MessageStream, Stream, APIUserAbortError } from 'anthropic-wasm';
import type { Message, RawMessageStreamEvent, TextCitation, ContentBlock, AnthropicError } from 'anthropic-wasm';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(value: T): T {
  return value;
}

const client = new Anthropic({ apiKey: 'sk-ant-test' });

export async function helperStream(): Promise<void> {
  const stream = client.messages
    .stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Write a haiku' }],
    })
    .on('connect', () => console.log('connected'))
    .on('text', (delta, snapshot) => {
      assertType<string>(delta);
      assertType<string>(snapshot);
    })
    .on('thinking', (delta, snapshot) => console.log(delta.length + snapshot.length))
    .on('signature', (signature) => console.log(signature.length))
    .on('inputJson', (partial, json) => {
      assertType<string>(partial);
      assertType<unknown>(json);
    })
    .on('citation', (citation, all) => {
      assertType<TextCitation>(citation);
      assertType<TextCitation[]>(all);
    })
    .on('contentBlock', (block) => assertType<ContentBlock>(block))
    .on('streamEvent', (event, snapshot) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') console.log(event.delta.text);
      console.log(snapshot.content.length);
    })
    .on('message', (message) => assertType<Message>(message))
    .on('finalMessage', (message) => console.log(message.stop_reason))
    .on('error', (error) => {
      assertType<AnthropicError>(error);
      console.log(error.message, error.partialMessage?.content.length);
    })
    .on('abort', (error) => assertType<APIUserAbortError>(error))
    .on('end', () => console.log('done'));

  assertType<MessageStream>(stream);
  const anyStream: unknown = stream;
  if (anyStream instanceof MessageStream) console.log(anyStream.ended);
  const resource: Anthropic.Messages = client.messages;
  console.log(resource === client.messages);
  const listener = (delta: string) => console.log(delta);
  stream.once('text', listener).off('text', listener);

  const firstText = await stream.emitted('text');
  const firstTextType: Equals<typeof firstText, string> = true;
  const connected = await stream.emitted('connect');
  const connectedType: Equals<typeof connected, void> = true;
  const failure = await stream.emitted('error');
  console.log(firstTextType, connectedType, failure.message);

  const { data, request_id, headers } = await stream.withResponse();
  console.log(data === stream, request_id, headers['content-type']);

  const current = stream.currentMessage;
  console.log(current?.content.length, stream.request_id, stream.ended, stream.errored, stream.aborted);
  console.log(stream.messages.length, stream.receivedMessages.at(-1)?.id);

  const final = await stream.finalMessage();
  assertType<Message>(final);
  const parsed: unknown = final.parsed_output;
  console.log(parsed);
  const text = await stream.finalText();
  assertType<string>(text);
  await stream.done();

  // Relay to a browser as NDJSON.
  const body: ReadableStream<Uint8Array> = stream.toReadableStream();
  const response = new Response(body);
  console.log(response.ok);

  // Iterating the helper's raw events.
  const second = client.messages.stream(
    { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] },
    { signal: AbortSignal.timeout(10_000) },
  );
  for await (const event of second) {
    if (event.type === 'message_start') console.log(event.message.id);
    if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
      console.log(event.delta.partial_json);
      second.abort();
    }
  }
  second.controller.abort();
}

export async function rawStream(): Promise<void> {
  const stream = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello' }],
    stream: true,
  });
  const streamType: Equals<typeof stream, Stream<RawMessageStreamEvent>> = true;
  console.log(streamType, stream.request_id);

  let text = '';
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        console.log(event.message.model, event.message.usage.input_tokens);
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') console.log(event.index, event.content_block.name);
        break;
      case 'content_block_delta':
        switch (event.delta.type) {
          case 'text_delta':
            text += event.delta.text;
            break;
          case 'input_json_delta':
            console.log(event.delta.partial_json);
            break;
          case 'thinking_delta':
            console.log(event.delta.thinking);
            break;
          case 'signature_delta':
            console.log(event.delta.signature);
            break;
          case 'citations_delta':
            console.log(event.delta.citation.cited_text);
            break;
        }
        break;
      case 'content_block_stop':
        console.log(event.index);
        break;
      case 'message_delta':
        console.log(event.delta.stop_reason, event.delta.stop_sequence, event.usage.output_tokens);
        break;
      case 'message_stop':
        break;
    }
  }
  console.log(text);
  stream.controller.abort();

  // `stream: boolean` known only at run time: either result.
  const streaming: boolean = Math.random() > 0.5;
  const either = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'x' }],
    stream: streaming,
  });
  if (either instanceof Stream) {
    const body = either.toReadableStream();
    console.log(body.locked);
  } else {
    console.log(either.content.length);
  }
}

// SDK 1.15's MessageStream.fromReadableStream and response getter.
export async function replayed(stream: import('anthropic-wasm').MessageStream): Promise<string> {
  const { MessageStream } = await import('anthropic-wasm');
  console.log(stream.response?.status);
  return (await MessageStream.fromReadableStream(stream.toReadableStream()).finalMessage()).id;
}
