// POST /chat: the Worker itself is the API's client, through anthropic-wasm.
// Takes `{messages: [{role, content: string}], system?: string}` and answers with Server-Sent
// Events: `event: text` `data: {"text": "..."}` per text delta as it arrives, then one
// `event: done` `data: {"id", "model", "stop_reason", "usage"}`, or `event: error` with the
// API's error body when the stream fails after it started. A failure before the first byte
// is an ordinary JSON error reply with the upstream status.

import Anthropic, { APIConnectionError, APIError, InvalidRequestError } from 'anthropic-wasm';
import { apiError, readJsonObject, redact } from './http.js';

const MAX_MESSAGES = 100;
const MAX_TEXT_LENGTH = 100_000;

/** Why a /chat body is refused, or null. */
function chatRefusal(body) {
  const { messages, system } = body;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: a non-empty array is required.';
  if (messages.length > MAX_MESSAGES) return `messages: at most ${MAX_MESSAGES} messages.`;
  for (const [index, message] of messages.entries()) {
    if (message === null || typeof message !== 'object') return `messages.${index}: an object is required.`;
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${index}.role: "user" or "assistant" is required.`;
    }
    if (typeof message.content !== 'string' || message.content.length === 0) {
      return `messages.${index}.content: a non-empty string is required.`;
    }
    if (message.content.length > MAX_TEXT_LENGTH) return `messages.${index}.content: at most ${MAX_TEXT_LENGTH} characters.`;
  }
  if (system !== undefined && (typeof system !== 'string' || system.length > MAX_TEXT_LENGTH)) {
    return `system: a string of at most ${MAX_TEXT_LENGTH} characters.`;
  }
  return null;
}

/** The status and API error body that stand for a client error. */
function describe(error, apiKey) {
  if (error instanceof APIError && error.error?.type === 'error') {
    return { status: error.status ?? 502, body: error.error };
  }
  const message = redact(String(error?.message ?? error), apiKey);
  if (error instanceof InvalidRequestError) return { status: 400, body: errorBody('invalid_request_error', message) };
  if (error instanceof APIConnectionError) return { status: 502, body: errorBody('api_error', message) };
  return { status: error?.status ?? 500, body: errorBody('api_error', message) };
}

function errorBody(type, message) {
  return { type: 'error', error: { type, message } };
}

export async function chat(request, config, note) {
  const { body, error } = await readJsonObject(request, config.maxBodyBytes);
  if (error) return error;
  const refused = chatRefusal(body);
  if (refused) return apiError(400, 'invalid_request_error', refused);
  note.model = config.chatModel;
  note.stream = true;

  const client = new Anthropic({ apiKey: config.apiKey, baseURL: config.upstream });
  const params = { model: config.chatModel, max_tokens: config.chatMaxTokens, messages: body.messages };
  if (body.system !== undefined) params.system = body.system;
  // The caller's signal: a caller that goes away aborts the stream and its upstream request.
  const stream = client.messages.stream(params, { signal: request.signal });
  try {
    await stream.emitted('connect');
  } catch (failure) {
    const { status, body: errorReply } = describe(failure, config.apiKey);
    note.upstream = errorReply.error?.type;
    return Response.json(errorReply, { status });
  }

  const encoder = new TextEncoder();
  let open = true;
  const events = new ReadableStream({
    start(controller) {
      const send = (event, data) => {
        if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const close = () => {
        if (open) controller.close();
        open = false;
      };
      stream.on('text', (text) => send('text', { text }));
      stream.finalMessage().then(
        ({ id, model, stop_reason, usage }) => {
          send('done', { id, model, stop_reason, usage });
          close();
        },
        (failure) => {
          send('error', describe(failure, config.apiKey).body);
          close();
        },
      );
    },
    cancel() {
      open = false;
      stream.abort();
    },
  });
  const headers = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
  if (stream.request_id) headers['request-id'] = stream.request_id;
  return new Response(events, { headers });
}
