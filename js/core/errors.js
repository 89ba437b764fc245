// The error classes, with the official SDK's names, fields and hierarchy: everything this
// module exports is one (the package re-exports them all, and `Anthropic` carries them as
// statics). Which class a status gets is the wasm's table (core/src/api_error.rs), shared with
// the Rust client.
import { wasmCall } from './wasm.js';
import * as classes from './errors.js';

// Each class states its name (`static name`): minifiers rename classes, and esbuild's
// --keep-names costs 2.5 KB gzip. A static string keeps a class removable when unused, where a
// naming call at the top of a module would keep every class it names in every bundle.
export class AnthropicError extends Error {
  static name = 'AnthropicError';

  /** `err.name` is the class's name, as in the official SDK; assigning it sets the error's own. */
  get name() {
    return this.constructor.name;
  }

  set name(value) {
    Object.defineProperty(this, 'name', { value, writable: true, configurable: true });
  }
}

export class APIError extends AnthropicError {
  static name = 'APIError';

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
  static name = 'APIUserAbortError';

  constructor({ message } = {}) {
    super(undefined, undefined, message || 'Request was aborted.', undefined);
  }
}

export class APIConnectionError extends APIError {
  static name = 'APIConnectionError';

  constructor({ message, cause } = {}) {
    super(undefined, undefined, message || 'Connection error.', undefined);
    if (cause) this.cause = cause;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  static name = 'APIConnectionTimeoutError';

  constructor({ message } = {}) {
    super({ message: message ?? 'Request timed out.' });
  }
}

export class BadRequestError extends APIError {
  static name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  static name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  static name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  static name = 'NotFoundError';
}
export class ConflictError extends APIError {
  static name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError {
  static name = 'UnprocessableEntityError';
}
export class RateLimitError extends APIError {
  static name = 'RateLimitError';
}
export class InternalServerError extends APIError {
  static name = 'InternalServerError';
}

/** A request refused before sending: `path` names the field, `rule` the check. */
export class InvalidRequestError extends AnthropicError {
  static name = 'InvalidRequestError';

  constructor(message, path, rule) {
    super(message);
    this.path = path;
    this.rule = rule;
  }
}

/** A stream ended at the client's limit `limit` (`maxEventBytes`, `maxToolInputBytes`) of
 * `max` bytes, before more was buffered; a MessageStream's `partialMessage` keeps what arrived. */
export class LimitExceededError extends AnthropicError {
  static name = 'LimitExceededError';

  constructor(message, limit, max) {
    super(message);
    this.limit = limit;
    this.max = max;
  }
}

