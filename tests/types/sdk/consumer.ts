// A program written for SDK 1.15 as its docs and declarations show it. `sdk` is a path alias:
// tsconfig.official.json points it at @anthropic-ai/sdk, tsconfig.json at this package, so the
// same file is checked against both ("the import changed"). Both must give 0 errors.
import Anthropic, { toFile } from 'sdk';
import { jsonSchemaOutputFormat } from 'sdk/helpers/json-schema';
import { betaTool } from 'sdk/helpers/beta/json-schema';
import { zodOutputFormat } from 'sdk/helpers/zod';
import { betaZodTool } from 'sdk/helpers/beta/zod';
import * as z from 'zod/v4';

declare const process: { env: Record<string, string | undefined> };

export async function main(): Promise<string[]> {
  const client = new Anthropic({
    apiKey: process.env['ANTHROPIC_API_KEY'],
    maxRetries: 3,
    timeout: 20_000,
    logLevel: 'info',
    defaultHeaders: { 'x-app': 'demo' },
  });
  const seen: string[] = [];

  const params: Anthropic.MessageCreateParams = {
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5',
  };
  const message: Anthropic.Message = await client.messages.create(params);
  for (const block of message.content) if (block.type === 'text') seen.push(block.text);
  seen.push(message.usage.output_tokens.toString(), message.stop_reason ?? 'none');

  const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
  stream.on('text', (text) => seen.push(text));
  const final = await stream.finalMessage();
  seen.push(final.id);

  const events = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [], stream: true });
  for await (const event of events) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') seen.push(event.delta.text);
  }

  const tools: Anthropic.Tool[] = [
    { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
  ];
  const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const withTools = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, tools, messages: history });
  const call = withTools.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
  if (call) {
    history.push({ role: 'assistant', content: withTools.content });
    history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18 degrees' }] });
  }

  try {
    await client.messages.create(params, { maxRetries: 0, timeout: 5_000, headers: { 'x-trace': '1' } });
  } catch (err) {
    if (err instanceof Anthropic.APIError) seen.push(String(err.status), err.name, err.requestID ?? '');
    if (err instanceof Anthropic.RateLimitError || err instanceof Anthropic.OverloadedError) seen.push('later');
    else throw err;
  }

  const { data, response, request_id } = await client.messages.create(params).withResponse();
  seen.push(data.id, response.statusText, request_id ?? '');

  const tokens = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: history });
  seen.push(String(tokens.input_tokens));

  const batch = await client.messages.batches.create({ requests: [{ custom_id: 'a', params }] });
  const fetched = await client.messages.batches.retrieve(batch.id, {}, { signal: AbortSignal.timeout(1000) });
  if (fetched.processing_status === 'ended') {
    for await (const line of await client.messages.batches.results(batch.id)) {
      if (line.result.type === 'succeeded') seen.push(line.custom_id, line.result.message.id);
    }
  }
  for await (const model of client.models.list({ limit: 10 })) seen.push(model.id, model.display_name);

  const file = await client.beta.files.upload({ file: await toFile(new Uint8Array([1]), 'a.txt', { type: 'text/plain' }), betas: ['files-api-2025-04-14'] });
  seen.push(file.id, file.filename);

  const beta: Anthropic.Beta.BetaMessage = await client.beta.messages.create({ ...params, betas: ['files-api-2025-04-14'] });
  seen.push(beta.id, beta.container?.id ?? '');

  const parsed = await client.messages.parse({
    ...params,
    output_config: { format: zodOutputFormat(z.object({ city: z.string() })) },
  });
  seen.push(parsed.parsed_output?.city ?? '');
  const plain = jsonSchemaOutputFormat({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } as const);
  seen.push(plain.type);

  const runner = client.beta.messages.toolRunner({
    ...params,
    tools: [
      betaZodTool({ name: 'time', description: 'The time', inputSchema: z.object({ zone: z.string() }), run: async ({ zone }) => `noon in ${zone}` }),
      betaTool({ name: 'w', description: 'w', inputSchema: { type: 'object', properties: { c: { type: 'string' } }, required: ['c'] }, run: ({ c }) => c }),
    ],
    max_iterations: 5,
  });
  for await (const reply of runner) {
    const toolResponse = await runner.generateToolResponse();
    seen.push(reply.id, String(toolResponse?.content.length));
  }
  const done = await runner.done();
  seen.push(done.id);
  return seen;
}
