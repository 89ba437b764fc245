// The error classes, with SDK 1.15's names, fields, messages and hierarchy: everything this
// module exports is one (the package re-exports them all, and `Anthropic` carries them as
// statics). Which class a failed response gets is the wasm's decision, from one table shared
// with the Rust client (core/src/error_classes.rs), which also lists the classes of the
// `error_code`s: those are made once the wasm has started (descriptors.js `codeClasses`).
import { wasmCall } from './wasm.js';
import * as classes from './errors.js';
import { nameClasses } from './names.js';

export class AnthropicError extends Error {}

export class APIError extends AnthropicError {
  constructor(status, error, message, headers, type) {
    super(APIError.makeMessage(status, error, message));
    this.status = status;
    // The official fields: a `Headers` object, and what the body's `error` says.
    this.headers = headers === undefined ? undefined : new Headers(headers);
    this.requestID = this.headers?.get('request-id');
    this.workspaceID = this.headers?.get('anthropic-workspace-id');
    this.error = error;
    const details = error?.error?.details;
    this.apiMessage = error?.error?.message ?? null;
    this.type = type ?? error?.error?.type ?? null;
    this.errorCode = typeof details?.error_code === 'string' ? details.error_code : null;
    this.details = details ?? null;
  }

  /** `${status} ${the body's message, or the body as JSON, or the text}`, as SDK 1.15 forms it. */
  static makeMessage(status, error, message) {
    const text = error?.message
      ? typeof error.message === 'string' ? error.message : JSON.stringify(error.message)
      : error ? JSON.stringify(error) : message;
    if (status && text) return `${status} ${text}`;
    if (status) return `${status} status code (no body)`;
    return text || '(no status code or body)';
  }

  /** The class of `status` (SDK 1.15's `generate`); no status or headers: a connection error. */
  static generate(status, error, message, headers) {
    if (!status || !headers) return new APIConnectionError({ message, cause: error instanceof Error ? error : new Error(JSON.stringify(error)) });
    return new classes[wasmCall('errorClass', status)](status, error, message, headers);
  }
}

export class APIUserAbortError extends APIError {
  constructor({ message } = {}) {
    super(undefined, undefined, message || 'Request was aborted.', undefined);
  }
}

export class APIConnectionError extends APIError {
  constructor({ message, cause } = {}) {
    super(undefined, undefined, message || 'Connection error.', undefined);
    if (cause) this.cause = cause;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  constructor({ message } = {}) {
    super({ message: message ?? 'Request timed out.' });
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PaymentRequiredError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class RequestTimeoutError extends APIError {}
export class ConflictError extends APIError {}
export class PreconditionFailedError extends APIError {}
export class ContentTooLargeError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class RequestHeaderFieldsTooLargeError extends APIError {}
export class ClientClosedRequestError extends APIError {}
export class InternalServerError extends APIError {}
export class NotImplementedError extends InternalServerError {}
export class ServiceUnavailableError extends InternalServerError {}
export class GatewayTimeoutError extends InternalServerError {}
export class OverloadedError extends InternalServerError {}

/**
 * A request refused before sending: `path` names the field, `rule` the check. A
 * `BadRequestError`, so that the `catch` for the API's 400 catches it too: status 400 and an
 * `error` body as the API would send, but the message is the sentence alone (nothing was sent).
 */
export class InvalidRequestError extends BadRequestError {
  constructor(message, path, rule) {
    super(400, { type: 'error', error: { type: 'invalid_request_error', message } });
    this.message = message;
    this.path = path;
    this.rule = rule;
  }
}

/** A stream ended at the client's limit `limit` (`maxEventBytes`, `maxToolInputBytes`) of
 * `max` bytes, before more was buffered; a MessageStream's `partialMessage` keeps what arrived. */
export class LimitExceededError extends AnthropicError {
  constructor(message, limit, max) {
    super(message);
    this.limit = limit;
    this.max = max;
  }
}

/** The reply's text is not the JSON its format asks for: `raw` is the text, `stopReason` why it
 * ended. The message is SDK 1.15's (`Failed to parse structured output: …`). */
export class StructuredOutputParseError extends AnthropicError {
  constructor(raw, stopReason, cause) {
    const cut = stopReason === 'max_tokens' ? ' (the reply was cut by max_tokens: raise it)' : '';
    super(`Failed to parse structured output: ${cause}${cut}`);
    this.raw = raw;
    this.stopReason = stopReason;
    this.cause = cause;
  }
}

nameClasses(classes);
