// The error classes, with the official SDK's names, fields and hierarchy: everything this
// module exports is one (the package re-exports them all, and `Anthropic` carries them as
// statics). Which class a status gets is the wasm's table (core/src/api_error.rs), shared with
// the Rust client.
import { wasmCall } from './wasm.js';
import * as classes from './errors.js';
import { nameClasses } from './names.js';

export class AnthropicError extends Error {}

export class APIError extends AnthropicError {
  constructor(status, error, message, headers, requestID) {
    super(message ?? (status ? `${status} status code` : 'API error'));
    this.status = status;
    // The official fields: a `Headers` object, and what the body's `error` says.
    this.headers = headers === undefined ? undefined : new Headers(headers);
    this.requestID = this.headers?.get('request-id') ?? requestID;
    this.workspaceID = this.headers?.get('anthropic-workspace-id');
    this.error = error;
    const details = error?.error?.details;
    this.apiMessage = error?.error?.message ?? null;
    this.type = error?.error?.type ?? null;
    this.errorCode = typeof details?.error_code === 'string' ? details.error_code : null;
    this.details = details ?? null;
  }

  static generate(status, error, message, headers, requestID) {
    const Class = classes[wasmCall('errorClass', status ?? 0)] ?? APIError;
    return new Class(status, error, message, headers, requestID);
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
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

/** A request refused before sending: `path` names the field, `rule` the check. */
export class InvalidRequestError extends AnthropicError {
  constructor(message, path, rule) {
    super(message);
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

nameClasses(classes);
