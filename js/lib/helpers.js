// Helpers over the client, as in the official SDK where it has them: a tool runner
// (`client.messages.toolRunner`, `tool()`), structured outputs (`client.messages.parse`,
// `jsonSchemaOutputFormat()`), and beyond it a Conversation that keeps its history within a token
// budget, and prefill helpers. What a valid history is, the offline token estimate and the JSON
// scanning are the Rust core's (src/helpers), reached through wasm.
import {
  Anthropic,
  AnthropicError,
  APIUserAbortError,
  InvalidRequestError,
  StructuredOutputParseError,
} from '../client.js';
import { named } from '../core/names.js';
import { wasmCall } from '../core/wasm.js';
import { textOf } from './resume.js';

// ---------------------------------------------------------------------------------------------
// Errors

/** Thrown by a tool's `run` to answer with these contents (and `is_error: true`). */
export const ToolError = /* @__PURE__ */ named(
  'ToolError',
  class extends AnthropicError {
    constructor(content) {
      super(typeof content === 'string' ? content : content.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join(' '));
      this.content = content;
    }
  },
);

/** Even the shortest history that may be sent (from the last plain user turn) is over budget. */
export const TokenBudgetError = /* @__PURE__ */ named(
  'TokenBudgetError',
  class extends AnthropicError {
    constructor(budget, tokens) {
      super(`the last user turn alone needs ${tokens} input tokens, over the budget of ${budget}`);
      this.budget = budget;
      this.tokens = tokens;
    }
  },
);

/** The model answers a prefill with a 400 (Claude 4.6 and later): use structured outputs. */
export const PrefillUnsupportedError = /* @__PURE__ */ named(
  'PrefillUnsupportedError',
  class extends InvalidRequestError {
    constructor(message) {
      super(
        `${message} Use structured outputs instead: \`output_config: { format: jsonSchemaOutputFormat(schema) }\` ` +
          'with client.messages.parse().',
        'messages',
        'PrefillUnsupported',
      );
    }
  },
);

/** `client.messages`, given the client or the resource itself. */
function resource(target) {
  return target.messages ?? target;
}

/** The text blocks of a reply, joined. */
const replyText = (message) => textOf(message.content);

/** Runs a wasm rule on JSON; a value it cannot read is the caller's mistake. */
function wasmRule(rule, value, path) {
  try {
    return wasmCall(rule, JSON.stringify(value));
  } catch (error) {
    throw new InvalidRequestError(error.message, path, 'Shape');
  }
}

// ---------------------------------------------------------------------------------------------
// Structured outputs

/**
 * `output_config.format` asking for JSON that follows `schema`, as SDK 1.15's: the schema made
 * strict by `transformJSONSchema` (unless `{ transform: false }`), `parse` reading the reply.
 */
export function jsonSchemaOutputFormat(schema, { transform = true } = {}) {
  if (schema.type !== 'object') throw new Error(`JSON schema must be an object, but got ${schema.type}`);
  return {
    type: 'json_schema',
    schema: transform ? transformJSONSchema(schema) : { ...schema },
    parse(text) {
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new AnthropicError(`Failed to parse structured output: ${error instanceof Error ? error.message : error}`);
      }
    },
  };
}

/** The string formats structured outputs accept; others go into the description. */
const STRING_FORMATS = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid'];

const isPrimitive = (value) => value === null || typeof value !== 'object';

/**
 * SDK 1.15's `transformJSONSchema`: a copy of `schema` in the subset structured outputs accept.
 * Objects get `additionalProperties: false`, `oneOf` becomes `anyOf`, and what the subset lacks
 * (`minLength`, an unknown `format`, `minItems` over 1, …) moves into the description as
 * `{key: value, …}`, so that the model still reads it.
 */
export function transformJSONSchema(schema) {
  return strict(JSON.parse(JSON.stringify(schema)));
}

function strict(schema) {
  const out = {};
  const take = (key) => {
    const value = schema[key];
    delete schema[key];
    return value;
  };
  // A value the subset takes stays; another goes last into what the description lists.
  const keepIf = (key, ok) => {
    const value = take(key);
    if (ok(value)) out[key] = value;
    else if (value !== undefined) schema[key] = value;
  };
  const defs = take('$defs');
  if (defs !== undefined) out.$defs = Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, strict(def)]));
  const ref = take('$ref');
  if (ref !== undefined) return { ...out, $ref: ref };
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isPrimitive)) out.enum = take('enum');
  if (schema.const !== undefined && isPrimitive(schema.const)) out.const = take('const');
  const literal = 'enum' in out || 'const' in out;
  const declared = take('type');
  const type = literal ? undefined : declared;
  const [anyOf, oneOf, allOf] = [take('anyOf'), take('oneOf'), take('allOf')];
  take('$schema');
  if (Array.isArray(anyOf ?? oneOf)) out.anyOf = (anyOf ?? oneOf).map(strict);
  else if (Array.isArray(allOf)) out.allOf = allOf.map(strict);
  else if (!literal) {
    if (type === undefined) throw new Error('JSON schema must have a type defined if anyOf/oneOf/allOf/enum/const are not used');
    out.type = type;
  }
  for (const key of ['description', 'title']) if (schema[key] !== undefined) out[key] = take(key);
  if (type === 'object') {
    out.properties = Object.fromEntries(Object.entries(take('properties') || {}).map(([key, value]) => [key, strict(value)]));
    take('additionalProperties');
    out.additionalProperties = false;
    if (schema.required !== undefined) out.required = take('required');
  } else if (type === 'string') {
    keepIf('format', (format) => STRING_FORMATS.includes(format));
  } else if (type === 'array') {
    if (schema.items !== undefined) out.items = strict(take('items'));
    keepIf('minItems', (count) => count === 0 || count === 1);
  }
  const rest = Object.entries(schema);
  if (rest.length > 0) {
    const listed = rest.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ');
    out.description = (out.description ? `${out.description}\n\n` : '') + `{${listed}}`;
  }
  return out;
}

/** `client.messages.parse` of `messages` (the client or the resource). */
export const parse = (messages, params, options) => resource(messages).parse(params, options);

// ---------------------------------------------------------------------------------------------
// Prefill

/**
 * Sends `params` with `prefill` as the final assistant turn (its trailing white space removed, as
 * the API requires) and returns `{ message, text }`, `text` being prefill + continuation. A model
 * that refuses prefill throws `PrefillUnsupportedError` before sending (client validation on).
 */
export async function sendWithPrefill(messages, params, prefill, options) {
  const start = prefill.trimEnd();
  let message;
  try {
    message = await resource(messages).create(
      { ...params, stream: false, messages: [...params.messages, { role: 'assistant', content: start }] },
      options,
    );
  } catch (error) {
    if (error instanceof InvalidRequestError && error.rule === 'PrefillUnsupported') {
      throw new PrefillUnsupportedError(error.message);
    }
    throw error;
  }
  return { message, text: start + replyText(message) };
}

/**
 * Sends `params` with a JSON `prefill` (e.g. `{"name": "`) and returns `{ message, text, parsed }`:
 * the first JSON value of prefill + continuation (text after it is ignored); a reply ended by a
 * stop sequence gets it back when that closes the JSON. Otherwise `StructuredOutputParseError`.
 */
export async function prefillJSON(messages, params, prefill, options) {
  const { message, text } = await sendWithPrefill(messages, params, prefill, options);
  const candidates = [text];
  if (message.stop_reason === 'stop_sequence' && message.stop_sequence) candidates.push(text + message.stop_sequence);
  for (const candidate of candidates) {
    const value = wasmCall('firstJsonValue', candidate);
    if (value !== undefined) return { message, text: candidate, parsed: JSON.parse(value) };
  }
  let cause;
  try {
    JSON.parse(candidates.at(-1));
  } catch (error) {
    cause = error;
  }
  throw new StructuredOutputParseError(candidates.at(-1), message.stop_reason, cause);
}

// ---------------------------------------------------------------------------------------------
// Tool runner

/** A tool the runner runs: the API definition plus `run(input, { toolUse, signal })`. */
export function tool({ name, description, inputSchema, run, ...rest }) {
  return { ...rest, type: 'custom', name, description, input_schema: inputSchema, run };
}

/** The official SDK's name for `tool`. */
export const betaTool = tool;

/** The definition the API gets: everything but the function. */
function definition(t) {
  if (typeof t.run !== 'function') return t;
  const { run, parse: _parse, ...api } = t;
  return api;
}

/** A tool's return value as `tool_result` content: strings and block arrays as they are, else JSON. */
function resultContent(value) {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** Rejects with APIUserAbortError as soon as `signal` aborts. */
function unlessAborted(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new APIUserAbortError());
  return new Promise((resolve, reject) => {
    const abort = () => reject(new APIUserAbortError());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * The loop `create → tool_use → run the tools → tool_result → …` until the model answers, as the
 * official SDK's `toolRunner`: iterate it for each reply (a MessageStream per round with
 * `stream: true`), or await it for the final one. Calls of one reply run concurrently and are
 * answered in one user turn, in order; a throwing tool and an unknown tool are answered with
 * `is_error` results. It ends after `max_iterations` requests, if set, with the last reply.
 * `options.signal` aborts the request in flight and the tools (they get it as `signal`).
 */
export class ToolRunner {
  #messages;
  #params;
  #options;
  #maxIterations;
  #stream;
  #iterations = 0;
  #consumed = false;
  #finished = false;
  #mutated = false;
  #lastMessage;
  #reply;
  #toolResponse;
  #completion;

  // `thread: false` is SDK 1.15's way to run without a message thread, which is how this one runs.
  constructor(messages, { max_iterations, stream = false, tools = [], thread, ...params }, options = {}) {
    this.#messages = resource(messages);
    this.#params = { ...params, tools, messages: [...(params.messages ?? [])] };
    this.#maxIterations = max_iterations;
    this.#stream = stream;
    this.#options = options;
    this.#completion = settlement();
  }

  /** The parameters of the next request, the history in `messages`. */
  get params() {
    return { ...this.#params, messages: [...this.#params.messages], max_iterations: this.#maxIterations, stream: this.#stream };
  }

  /** Requests made so far. */
  get iterations() {
    return this.#iterations;
  }

  /** Adds turns to the history, e.g. a user's follow-up after the final answer. */
  pushMessages(...messages) {
    this.#params.messages.push(...messages);
    this.#goOn();
  }

  /** Replaces the parameters (or maps them with a function), e.g. a higher `max_iterations`. */
  setMessagesParams(update) {
    const next = typeof update === 'function' ? update(this.params) : update;
    const { max_iterations, stream, ...params } = next;
    this.#params = { ...params, tools: params.tools ?? [], messages: [...params.messages] };
    if (max_iterations !== undefined) this.#maxIterations = max_iterations;
    if (stream !== undefined) this.#stream = stream;
    this.#goOn();
  }

  /** After a change to the history, the loop runs again towards a new final message. */
  #goOn() {
    this.#finished = false;
    this.#mutated = true;
    this.#toolResponse = undefined;
    this.#completion = settlement();
  }

  async *[Symbol.asyncIterator]() {
    if (this.#consumed) throw new AnthropicError('Cannot iterate over a consumed stream');
    this.#consumed = true;
    try {
      // As SDK 1.15: past `max_iterations` requests the loop ends with the last reply.
      while (!this.#finished && !(this.#maxIterations && this.#iterations >= this.#maxIterations)) {
        this.#iterations += 1;
        this.#mutated = false;
        this.#toolResponse = undefined;
        const request = { ...this.#params, tools: this.#params.tools.map(definition) };
        if (request.tools.length === 0) delete request.tools;
        let message;
        if (this.#stream) {
          const stream = this.#messages.stream(request, this.#options);
          (this.#reply = stream.finalMessage()).catch(() => {});
          yield stream;
          message = await this.#reply;
        } else {
          message = await (this.#reply = this.#messages.create(request, this.#options));
          yield message;
        }
        this.#lastMessage = message;
        const history = this.#params.messages;
        // A caller who changed the history while handling the reply has taken it over: the reply
        // joins it only if they put it there, and the calls answered are its last turn's.
        if (this.#mutated) this.#reply = history.at(-1);
        else {
          history.push({ role: 'assistant', content: message.content });
          // A paused server-tool turn is sent back as it is to be continued.
          if (message.stop_reason === 'pause_turn') continue;
        }
        const results = this.#mutated || message.stop_reason === 'tool_use' ? await this.generateToolResponse() : null;
        if (results) history.push(results);
        else if (!this.#mutated) this.#finished = true;
      }
      if (!this.#lastMessage) throw new AnthropicError('ToolRunner concluded without a message from the server');
      this.#completion.resolve(this.#lastMessage);
    } catch (error) {
      this.#completion.reject(error);
      throw error;
    } finally {
      this.#consumed = false;
    }
  }

  /**
   * The user turn answering the last reply's tool calls, or null when it calls none (SDK 1.15's
   * signature: the tools get `signal`). Every call runs concurrently; results come in the
   * order of the calls. Kept until the next reply, so that the loop does not run them again.
   */
  generateToolResponse(signal = this.#options.signal) {
    return (this.#toolResponse ??= this.#answer(this.#reply, signal ?? undefined));
  }

  async #answer(reply, signal) {
    const content = (await reply)?.content;
    const calls = Array.isArray(content) ? content.filter((block) => block.type === 'tool_use') : [];
    if (calls.length === 0) return null;
    const results = await unlessAborted(Promise.all(calls.map((call) => this.#runTool(call, signal))), signal);
    return { role: 'user', content: results };
  }

  /** Replaces the request options (or maps them with a function), for the next requests. */
  setRequestOptions(update) {
    this.#options = typeof update === 'function' ? update(this.#options) : { ...this.#options, ...update };
  }

  async #runTool(call, signal) {
    const runnable = this.#params.tools.find((t) => t.name === call.name && typeof t.run === 'function');
    const answer = (content, isError) => ({
      type: 'tool_result',
      tool_use_id: call.id,
      content,
      ...(isError ? { is_error: true } : {}),
    });
    if (!runnable) return answer(`Error: Tool '${call.name}' not found`, true);
    try {
      const input = runnable.parse ? runnable.parse(call.input) : call.input;
      return answer(resultContent(await runnable.run(input, { toolUse: call, toolUseBlock: call, signal })), false);
    } catch (error) {
      if (error instanceof ToolError) return answer(error.content, true);
      return answer(`Error: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }

  /** The final message once iteration (started elsewhere) ends. */
  done() {
    return this.#completion.promise;
  }

  /** Runs every round (unless iteration already started) and resolves with the final message. */
  async runUntilDone() {
    if (!this.#consumed) {
      for await (const _ of this);
    }
    return this.done();
  }

  then(onFulfilled, onRejected) {
    return this.runUntilDone().then(onFulfilled, onRejected);
  }
}

/** A promise with its resolvers (Node 20 has no Promise.withResolvers); never unhandled. */
function settlement() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------
// Conversation

/** An image content block from bytes (Uint8Array or ArrayBuffer) or base64 text. */
export function imageBlock(data, mediaType) {
  const base64 = typeof data === 'string' ? data : toBase64(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: base64 } };
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A conversation: the system prompt, the history, the model and its parameters. `send()` and
 * `stream()` add the user turn and the reply to the history when the reply arrives; on failure
 * the history is unchanged (with `keepPartialReplies`, a failed stream's text is kept). With
 * `tokenBudget`, the oldest turns are dropped before each call so the input fits, never splitting
 * a tool_use from its tool_result and always starting with a plain user turn.
 */
export class Conversation {
  #messagesResource;
  #budget;
  #keepPartial;

  constructor(client, { tokenBudget, keepPartialReplies = false, messages = [], ...params }) {
    this.#messagesResource = resource(client);
    this.params = { ...params };
    this.messages = [...messages];
    this.#budget = tokenBudget;
    this.#keepPartial = keepPartialReplies;
  }

  /** The system prompt (a string or text blocks). */
  get system() {
    return this.params.system;
  }

  set system(system) {
    this.params.system = system;
  }

  /** Sends a user turn; resolves with the reply, which joins the history with the turn. */
  async send(content, { images, ...options } = {}) {
    const request = await this.#request(content, images, options);
    const message = await this.#messagesResource.create({ ...request, stream: false }, options);
    this.#commit(request.messages, message.content);
    return message;
  }

  /**
   * Sends a user turn and resolves with the MessageStream of the reply (after trimming, which may
   * count tokens first). The turn and the reply join the history when the stream ends.
   */
  async stream(content, { images, ...options } = {}) {
    const request = await this.#request(content, images, options);
    const stream = this.#messagesResource.stream(request, options);
    stream.on('end', () => {
      if (!stream.errored && !stream.aborted) {
        this.#commit(request.messages, stream.receivedMessages.at(-1).content);
      } else if (this.#keepPartial) {
        const text = (stream.currentMessage?.content ?? []).filter((b) => b.type === 'text' && b.text);
        if (text.length) this.#commit(request.messages, text);
      }
    });
    return stream;
  }

  /** Drops the oldest turns so that the history fits `budget` (default: the conversation's). */
  async trim(budget = this.#budget, options = {}) {
    if (!budget) throw new AnthropicError('trim() needs a budget: pass one or set tokenBudget');
    const fit = await this.#fit({ ...this.params, messages: this.messages }, budget, options);
    this.messages.splice(0, fit.dropped);
    return fit;
  }

  /** Merges consecutive same-role turns, drops empty text blocks and empty turns. */
  normalize() {
    this.messages = JSON.parse(wasmRule('normalizeMessages', this.messages, 'messages'));
  }

  /** `{ system, messages }` as JSON. */
  toJSON() {
    return { ...(this.params.system !== undefined ? { system: this.params.system } : {}), messages: this.messages };
  }

  exportJSON() {
    return JSON.stringify(this);
  }

  /** Replaces the system prompt and the history with those of `exportJSON()`'s text. */
  importJSON(json) {
    const saved = JSON.parse(json);
    if (!saved || !Array.isArray(saved.messages)) {
      throw new InvalidRequestError('not a saved conversation: expected { system?, messages: [...] }', 'messages', 'Shape');
    }
    wasmRule('historyCutPoints', saved.messages, 'messages');
    this.messages = saved.messages;
    if (saved.system === undefined) delete this.params.system;
    else this.params.system = saved.system;
  }

  async #request(content, images, options) {
    const blocks = images?.length
      ? [...(typeof content === 'string' ? [{ type: 'text', text: content }] : content), ...images]
      : content;
    const request = { ...this.params, messages: [...this.messages, { role: 'user', content: blocks }] };
    if (this.#budget) {
      const fit = await this.#fit(request, this.#budget, options);
      request.messages = request.messages.slice(fit.dropped);
    }
    return request;
  }

  #commit(sent, content) {
    this.messages = [...sent, { role: 'assistant', content }];
  }

  /**
   * Where `request`'s history must start for its input to fit `budget`: binary search over the
   * cut points (token counts fall as turns are dropped), about 1 + log2(cut points) counts.
   */
  async #fit(request, { maxInputTokens, counter = 'countTokens' }, options) {
    const { model, system, tools, tool_choice, thinking, output_config, messages } = request;
    const base = { model, system, tools: tools?.map(definition), tool_choice, thinking, output_config };
    const count = async (start) => {
      const probe = { ...base, messages: messages.slice(start) };
      if (counter === 'estimate') return wasmRule('estimateTokens', probe, 'messages');
      const { signal, timeout, maxRetries, headers } = options;
      return (await this.#messagesResource.countTokens(probe, { signal, timeout, maxRetries, headers })).input_tokens;
    };
    const points = Array.from(wasmRule('historyCutPoints', messages, 'messages'));
    if (points.length === 0) return { dropped: 0, tokens: await count(0) };
    const first = await count(points[0]);
    if (first <= maxInputTokens) return { dropped: points[0], tokens: first };
    let within = points.length - 1;
    let withinTokens = await count(points[within]);
    if (withinTokens > maxInputTokens) throw new TokenBudgetError(maxInputTokens, withinTokens);
    let over = 0;
    while (within - over > 1) {
      const middle = over + Math.floor((within - over) / 2);
      const tokens = await count(points[middle]);
      if (tokens <= maxInputTokens) [within, withinTokens] = [middle, tokens];
      else over = middle;
    }
    return { dropped: points[within], tokens: withinTokens };
  }
}

// ---------------------------------------------------------------------------------------------
// The official SDK's method names on `client.messages`.

/** The tool runner over this client. */
Anthropic.Messages.prototype.toolRunner = function (params, options) {
  return new ToolRunner(this, params, options);
};
