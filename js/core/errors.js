// The error classes, with the official SDK's names, fields and hierarchy; `toError` turns the
// wasm's error descriptors (`{kind, class, message, …}`) into them. Which class a status gets
// is the wasm's table (core/src/api_error.rs), shared with the Rust client.
import { errorClass } from '../anthropic_wasm.js';

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
    const Class = ERROR_CLASSES[errorClass(status ?? 0)] ?? APIError;
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

// The classes by name, which survive minification, as `err.name` and as statics of Anthropic.
export const ERROR_CLASSES = {
  AnthropicError,
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  InvalidRequestError,
};
for (const [name, ErrorClass] of Object.entries(ERROR_CLASSES)) {
  Object.defineProperty(ErrorClass.prototype, 'name', { value: name, writable: true, configurable: true });
}

/** The error a wasm descriptor (JSON text) stands for; `headers` are the response's. */
export function toError(text, headers) {
  const d = JSON.parse(text);
  switch (d.kind) {
    case 'api': {
      const Class = ERROR_CLASSES[d.class] ?? APIError;
      return new Class(d.status, d.error, d.message, headers ?? {}, d.requestId);
    }
    case 'mid_stream':
      return new APIError(undefined, d.error, d.message, headers ?? {}, undefined);
    case 'invalid_request':
      return new InvalidRequestError(d.message, d.path, d.rule);
    default:
      return new AnthropicError(d.message);
  }
}
