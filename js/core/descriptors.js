// The wasm's error descriptors (`{kind, class, message, …}`, npm/src/failure.rs and check.rs)
// as the error classes of js/core/errors.js.
import * as classes from './errors.js';

/** The error a wasm descriptor (JSON text) stands for; `headers` are the response's. */
export function toError(text, headers) {
  const d = JSON.parse(text);
  switch (d.kind) {
    case 'api': {
      const Class = classes[d.class] ?? classes.APIError;
      return new Class(d.status, d.error, d.message, headers ?? {}, d.requestId);
    }
    case 'mid_stream':
      return new classes.APIError(undefined, d.error, d.message, headers ?? {}, undefined);
    case 'invalid_request':
      return new classes.InvalidRequestError(d.message, d.path, d.rule);
    default:
      return new classes.AnthropicError(d.message);
  }
}
