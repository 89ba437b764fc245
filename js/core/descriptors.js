// The wasm's error descriptors (`{kind, class, message, …}`, npm/src/failure.rs and check.rs)
// as the error classes of js/core/errors.js.
import * as classes from './errors.js';
import { errorCodeClasses, wasmCall, whenStarted } from './wasm.js';
import { nameClasses } from './names.js';

/** The classes of SDK 1.15's `error_code`s (`CompactionBlockAmbiguousError`, …), by name and by
 * code, made once the wasm has started (the client adds them to its statics). */
export const codeClasses = {};
const byCode = {};
whenStarted(() => {
  for (const [parent, codes] of errorCodeClasses()) {
    for (const code of codes.split(' ')) {
      const words = code.replace('~', code[0] === '~' ? 'beta_' : '');
      const name = words.replace(/(?:^|_)(cmek(?=_)|gcp(?=_)|[a-z])/g, (_, word) => word.toUpperCase()) + 'Error';
      codeClasses[name] = byCode[code] = class extends classes[parent] {};
    }
  }
  nameClasses(codeClasses);
});

/**
 * The error a wasm descriptor (JSON text) stands for; `headers` are the response's. With the
 * request's `secrets` (one a line), every string is redacted again once decoded: the wasm
 * redacted the text, where a key sent with JSON escapes (`\u0073k-…`) is not yet the key.
 */
export function toError(text, headers, secrets) {
  const d = JSON.parse(text, secrets ? (_, value) => (typeof value === 'string' ? wasmCall('redact', value, secrets) : value) : undefined);
  switch (d.kind) {
    case 'api': {
      const Class = classes[d.class] ?? byCode[d.class] ?? classes.APIError;
      // A body that is JSON but not the API's error is the error as well, as in SDK 1.15.
      let body = d.error;
      if (body === undefined) {
        try {
          body = JSON.parse(d.message);
        } catch {}
      }
      return new Class(d.status, body, body === undefined ? d.message : undefined, headers ?? {});
    }
    case 'mid_stream':
      return new classes.APIError(undefined, d.error, undefined, headers ?? {}, d.type);
    case 'invalid_request':
      return new classes.InvalidRequestError(d.message, d.path, d.rule);
    case 'limit': {
      const option = d.passed.limit === 'tool_input' ? 'maxToolInputBytes' : 'maxEventBytes';
      const what = option === 'maxEventBytes' ? 'an event' : 'a tool input';
      return new classes.LimitExceededError(
        `${what} passed the client's limit of ${d.passed.max} bytes (${option}): the stream ended there, the message so far kept`,
        option,
        d.passed.max,
      );
    }
    default:
      return new classes.AnthropicError(d.message);
  }
}
