// The wasm's error descriptors (`{kind, class, message, …}`, npm/src/failure.rs and check.rs)
// as the error classes of js/core/errors.js.
import * as classes from './errors.js';
import { wasmCall } from './wasm.js';

/**
 * The error a wasm descriptor (JSON text) stands for; `headers` are the response's. With the
 * request's `secrets` (one a line), every string is redacted again once decoded: the wasm
 * redacted the text, where a key sent with JSON escapes (`\u0073k-…`) is not yet the key.
 */
export function toError(text, headers, secrets) {
  const d = JSON.parse(text, secrets ? (_, value) => (typeof value === 'string' ? wasmCall('redact', value, secrets) : value) : undefined);
  switch (d.kind) {
    case 'api': {
      const Class = classes[d.class] ?? classes.APIError;
      return new Class(d.status, d.error, d.message, headers ?? {}, d.requestId);
    }
    case 'mid_stream':
      return new classes.APIError(undefined, d.error, d.message, headers ?? {}, undefined);
    case 'invalid_request':
      return new classes.InvalidRequestError(d.message, d.path, d.rule);
    case 'limit': {
      const option = d.passed.limit === 'tool_input' ? 'maxToolInputBytes' : 'maxEventBytes';
      const what = option === 'maxEventBytes' ? 'an event' : 'a tool input';
      return new classes.LimitExceededError(
        `${what} passed the client's limit of ${d.passed.max} bytes (${option}): the stream was ended there, the message so far is kept; raise the limit if such replies are expected`,
        option,
        d.passed.max,
      );
    }
    default:
      return new classes.AnthropicError(d.message);
  }
}
