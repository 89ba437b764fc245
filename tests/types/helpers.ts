// The helpers as users write them: tools for the runner, structured outputs, prefill, conversation.
import Anthropic, {
  Conversation,
  imageBlock,
  jsonSchemaOutputFormat,
  prefillJSON,
  sendWithPrefill,
  StructuredOutputParseError,
  tool,
  ToolError,
} from 'anthropic-wasm';
import type { Message, MessageStream } from 'anthropic-wasm';

const client = new Anthropic({ apiKey: 'sk-ant-test' });

const weather = tool({
  name: 'get_weather',
  description: 'Weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  run: async ({ city }: { city: string }, { signal }) => {
    if (signal?.aborted) throw new ToolError([{ type: 'text', text: 'aborted' }]);
    return `18 degrees in ${city}`;
  },
});

export async function runner(): Promise<string> {
  const params = {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    tools: [weather],
    max_iterations: 4,
  };
  const final: Message = await client.messages.toolRunner(params);
  for await (const message of client.messages.toolRunner(params)) {
    const reply: Message = message;
    void reply.stop_reason;
  }
  for await (const stream of client.messages.toolRunner({ ...params, stream: true })) {
    const round: MessageStream = stream;
    round.on('text', (text) => void text);
  }
  const bounded: Message = await client.beta.messages.toolRunner({ ...params, betas: ['a-beta'] }).runUntilDone();
  void bounded.stop_reason;
  return final.content[0]?.type ?? '';
}

export async function structured(): Promise<string> {
  const reply = await client.messages.parse({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Capital of France?' }],
    output_config: {
      format: jsonSchemaOutputFormat<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
    },
  });
  try {
    await prefillJSON<{ name: string }>(client, { model: 'claude-sonnet-4-5', max_tokens: 99, messages: [] }, '{"name": "');
  } catch (error) {
    if (error instanceof StructuredOutputParseError) return error.raw;
  }
  const { text } = await sendWithPrefill(client.messages, { model: 'claude-sonnet-4-5', max_tokens: 9, messages: [] }, 'It');
  return (reply.parsed_output?.city ?? '') + text;
}

export async function conversation(bytes: Uint8Array): Promise<string> {
  const chat = new Conversation(client, {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: 'Be brief.',
    tokenBudget: { maxInputTokens: 10_000, counter: 'estimate' },
  });
  const reply = await chat.send('Hello');
  const stream = await chat.stream('And this?', { images: [imageBlock(bytes, 'image/png')] });
  await stream.finalMessage();
  const { dropped } = await chat.trim({ maxInputTokens: 500 });
  chat.normalize();
  chat.importJSON(chat.exportJSON());
  return reply.content.length + dropped + chat.messages.length + String(chat.system);
}
