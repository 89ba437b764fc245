// One scenario per path, each answering JSON about what the package did inside workerd; the
// test (package.test.mjs) asserts on it. Imported exactly as users do: no set-up beyond this.
import Anthropic, * as exported from 'anthropic-wasm';
import { APIError as SubpathAPIError } from 'anthropic-wasm/error';
import { betaTool } from 'anthropic-wasm/helpers/beta/json-schema';
import { zodOutputFormat } from 'anthropic-wasm/helpers/zod';
import * as z from 'zod/v4';

const params = (text, extra = {}) => ({
  model: 'claude-haiku-4-5',
  max_tokens: 300,
  messages: [{ role: 'user', content: text }],
  ...extra,
});

/** What a test needs to know about an error: its class and the official fields. */
function describe(error) {
  return {
    name: error?.constructor?.name,
    isAPIError: error instanceof exported.APIError,
    isAnthropicError: error instanceof exported.AnthropicError,
    status: error?.status,
    type: error?.error?.error?.type,
    requestID: error?.requestID,
    message: String(error?.message),
  };
}

const SCENARIOS = {
  async create(client) {
    const message = await client.messages.create(params('Hello from workerd'));
    return { type: message.type, text: message.content[0].text, requestId: message._request_id, usage: message.usage };
  },

  async stream(client) {
    const stream = client.messages.stream(params('Tell me a story about rivers'));
    const deltas = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    return { deltas, text: message.content[0].text, stopReason: message.stop_reason, requestId: stream.request_id };
  },

  async rawEvents(client) {
    const events = await client.messages.create(params('Count to five', { stream: true }));
    const types = [];
    for await (const event of events) types.push(event.type);
    return { types };
  },

  async abort(client) {
    const stream = client.messages.stream(params('count to 1000', { max_tokens: 2500 }));
    let deltas = 0;
    stream.on('text', () => {
      deltas += 1;
      if (deltas === 3) stream.abort();
    });
    const error = await stream.finalMessage().then(() => null, (failure) => failure);
    return { deltas, aborted: stream.aborted, error: describe(error), partialText: error?.partialMessage?.content?.[0]?.text };
  },

  async retried(client) {
    const message = await client.messages.create(params('Retry me'), { headers: { 'x-devserver-fault': 'fail-first=1' } });
    return { type: message.type, requestId: message._request_id };
  },

  async errors(client) {
    const once = (fault) => ({ maxRetries: 0, headers: { 'x-devserver-fault': fault } });
    const outcomes = {};
    for (const fault of ['400', '401', '404', '429', '529', '500']) {
      outcomes[fault] = await client.messages.create(params('hi'), once(fault)).then(() => null, describe);
    }
    outcomes.invalid = await client.messages.create({ model: 'claude-haiku-4-5', messages: [] }).then(() => null, describe);
    outcomes.midStream = await client.messages
      .stream(params('Tell me a story'), once('error-after=2'))
      .finalMessage()
      .then(() => null, describe);
    return outcomes;
  },

  // SDK 1.15's surface as its docs show it (issue 14), each part answering what it saw.
  async dropIn(client, env) {
    const lines = [];
    const logger = { error() {}, warn: (line) => lines.push(line), info: (line) => lines.push(line), debug() {} };
    const logged = new Anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.DEVSERVER_URL, logLevel: 'info', logger });
    await logged.messages.create(params('Log me'));

    const beta = await client.beta.messages.create({ ...params('A beta hello'), betas: ['files-api-2025-04-14'] });

    const uploaded = await client.beta.files.upload({ file: await exported.toFile(new TextEncoder().encode('The river is 42 km long.'), 'river.txt', { type: 'text/plain' }), betas: ['files-api-2025-04-14'] });
    const withFile = await client.messages.create(
      params('', { messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: uploaded.id } }, { type: 'text', text: 'How long is the river?' }] }] }),
    );
    const download = await client.files.download(uploaded.id).then(() => null, (error) => ({ name: error.constructor.name, code: error.errorCode, sub: error instanceof SubpathAPIError }));
    const deleted = await client.files.delete(uploaded.id);

    const aborted = new AbortController();
    aborted.abort();
    const signalled = await client.models.retrieve('claude-haiku-4-5', {}, { signal: aborted.signal }).then(() => 'sent', (error) => error.constructor.name);

    const parsed = await client.messages.parse(
      params('Which city is the Louvre in? In Paris.', { output_config: { format: zodOutputFormat(z.object({ city: z.string(), population: z.number() })) } }),
    );

    const runs = [];
    const runner = client.beta.messages.toolRunner({
      ...params('Please use get_weather for Oslo'),
      tools: [betaTool({ name: 'get_weather', description: 'w', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, run: ({ city }) => runs.push(city) && `rain in ${city}` })],
    });
    for await (const message of runner) await runner.generateToolResponse();
    const final = await runner.done();

    const raw = await client.get('/v1/models', { query: { limit: 1 } });
    return {
      logged: lines.map((line) => line.replace(/log_[0-9a-f]{6}/, 'log_ID').replace(/ in \d+ms/, '').replace(/"req_\w+"/, 'REQ').replace(env.DEVSERVER_URL, 'URL')),
      beta: beta.type,
      file: { id: /^file_/.test(uploaded.id), answered: withFile.stop_reason, download, deleted: deleted.type },
      signalled,
      parsed: parsed.parsed_output,
      tools: { runs, final: final.stop_reason },
      raw: raw.data.length,
    };
  },
};

export default {
  async fetch(request, env) {
    const scenario = SCENARIOS[new URL(request.url).pathname.slice(1)];
    if (!scenario) return new Response('no such scenario', { status: 404 });
    const client = new Anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.DEVSERVER_URL, maxRetries: 2 });
    try {
      return Response.json(await scenario(client, env));
    } catch (error) {
      return Response.json({ unexpected: describe(error) }, { status: 500 });
    }
  },
};
