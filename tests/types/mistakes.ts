// Mistakes the declarations must catch. Each `@ts-expect-error` fails the check if the line
// under it compiles.
import Anthropic, { MessageStream } from 'anthropic-wasm';
import type { Message, MessageParam, ContentBlockParam, Tool } from 'anthropic-wasm';

const client = new Anthropic({ apiKey: 'sk-ant-test' });

export async function mistakes(): Promise<void> {
  // @ts-expect-error max_tokens is required
  await client.messages.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] });

  // @ts-expect-error role must be user, assistant or system
  const wrongRole: MessageParam = { role: 'bot', content: 'Hi' };

  // @ts-expect-error a text block needs `text`
  const noText: ContentBlockParam = { type: 'text' };

  await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 16,
    // @ts-expect-error a text block needs `text`, also inside a turn
    messages: [{ role: 'user', content: [{ type: 'text' }] }],
  });

  // @ts-expect-error with stream: true the result is a Stream, not a Message
  const notAMessage: Message = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
  });

  const raw = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [], stream: true });
  // @ts-expect-error a Stream has no content
  console.log(raw.content);

  const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [] });
  // @ts-expect-error unknown event name
  stream.on('txt', () => {});
  // @ts-expect-error the text listener's arguments are strings
  stream.on('text', (delta: number) => console.log(delta));
  // @ts-expect-error unknown event name in emitted
  await stream.emitted('finished');

  // @ts-expect-error a stream is not constructed by callers
  new MessageStream();

  // @ts-expect-error image media type outside the accepted set
  const gif: ContentBlockParam = { type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: '' } };

  // @ts-expect-error a custom tool needs input_schema
  const noSchema: Tool = { name: 'get_weather', description: 'weather' };

  // @ts-expect-error tool_choice `tool` needs the tool's name
  await client.messages.create({ model: 'x', max_tokens: 1, messages: [], tool_choice: { type: 'tool' } });

  // @ts-expect-error thinking `enabled` needs budget_tokens
  await client.messages.create({ model: 'x', max_tokens: 1, messages: [], thinking: { type: 'enabled' } });

  // @ts-expect-error a tool_result needs the tool_use_id
  const noId: ContentBlockParam = { type: 'tool_result', content: 'ok' };

  // @ts-expect-error unknown request parameter (typo)
  await client.messages.create({ model: 'x', max_tokens: 1, messages: [], max_token: 5 });

  // @ts-expect-error header values are strings (or null to remove)
  await client.models.list({}, { headers: { 'x-count': [1, 2] } });

  // @ts-expect-error validation is `false` or an object
  new Anthropic({ validation: true });

  const message = await client.messages.create({ model: 'x', max_tokens: 1, messages: [] });
  const block = message.content[0]!;
  // @ts-expect-error `text` exists only after narrowing to a text block
  console.log(block.text);

  for await (const event of raw) {
    if (event.type === 'content_block_delta') {
      // @ts-expect-error `text` exists only after narrowing the delta to text_delta
      console.log(event.delta.text);
    }
  }

  console.log(wrongRole, noText, notAMessage, gif, noSchema, noId);
}
