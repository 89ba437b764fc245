// Error handling, written as for the official SDK: instanceof on the classes (named imports and
// the statics of the default export), err.status, err.error, err.requestID, partialMessage.
import Anthropic, {
  AnthropicError,
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'anthropic-wasm';
import type { ErrorType, Message, ValidationRule } from 'anthropic-wasm';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(value: T): T {
  return value;
}

const client = new Anthropic({ apiKey: 'sk-ant-test' });

export async function handle(): Promise<void> {
  try {
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  } catch (err) {
    if (err instanceof Anthropic.RateLimitError) {
      const status: 429 = err.status;
      console.log(status, err.headers.get('retry-after'), err.requestID);
    } else if (err instanceof Anthropic.APIError) {
      console.log(err.status, err.name, err.message, err.headers);
      // The body as the API sent it.
      const type: ErrorType | undefined = err.error?.error.type;
      if (err.type === 'overloaded_error' || type === 'a_new_error_type') console.log('retry later');
      console.log(err.errorCode, err.details, err.error?.request_id);
    } else if (err instanceof InvalidRequestError) {
      const rule: ValidationRule = err.rule;
      console.log(err.path, rule === 'PrefillUnsupported', err.message);
    } else {
      throw err;
    }
  }

  try {
    await client.models.retrieve('nope');
  } catch (err) {
    if (err instanceof NotFoundError) assertType<404>(err.status);
    if (err instanceof BadRequestError) assertType<400>(err.status);
    if (err instanceof AuthenticationError) assertType<401>(err.status);
    if (err instanceof PermissionDeniedError) assertType<403>(err.status);
    if (err instanceof ConflictError) assertType<409>(err.status);
    if (err instanceof UnprocessableEntityError) assertType<422>(err.status);
    if (err instanceof InternalServerError) assertType<number>(err.status);
    if (err instanceof APIConnectionTimeoutError) {
      const status: undefined = err.status;
      console.log(status, err.cause);
    }
    if (err instanceof APIConnectionError) console.log('offline', err.message);
    if (err instanceof APIUserAbortError) console.log('aborted');
    if (err instanceof APIError) {
      const statusType: Equals<typeof err.status, number | undefined> = true;
      console.log(statusType);
    }
    if (err instanceof AnthropicError) console.log(err.partialMessage?.id);
  }

  // A stream that fails keeps what arrived.
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Tell me a long story' }],
  });
  stream.on('error', (error) => {
    const partial: Message | undefined = error.partialMessage;
    console.log(partial?.content.length);
  });
  try {
    await stream.finalMessage();
  } catch (err) {
    if (err instanceof APIError && err.status === undefined) console.log('failed mid-stream', err.type);
    if (err instanceof AnthropicError && err.partialMessage) console.log(err.partialMessage.usage.output_tokens);
  }

  // The error classes are constructible (tests, fakes).
  const fake = new RateLimitError(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' }, request_id: null }, undefined, {});
  const generated = APIError.generate(529, undefined, 'Overloaded', {});
  const timeout = new APIConnectionTimeoutError();
  const offline = new APIConnectionError({ message: 'offline', cause: new TypeError('fetch failed') });
  const abort = new APIUserAbortError();
  const invalid = new InvalidRequestError('max_tokens is required', 'max_tokens', 'Required');
  // The error types through the default export's namespace, as in official-SDK code.
  const describe = (error: Anthropic.APIError): string => `${error.status ?? 'stream'} ${error.type ?? ''}`;
  const isRetryable = (error: Anthropic.AnthropicError): boolean =>
    error instanceof Anthropic.InternalServerError || error instanceof Anthropic.APIConnectionError;
  console.log(describe(fake), isRetryable(timeout));
  console.log(fake.type, generated.status, timeout.message, offline.cause, abort.name, invalid.path);
}

// SDK 1.15's status classes and `error_code` classes, as its docs narrow them.
export async function handleOneX(): Promise<void> {
  try {
    await client.messages.create({ model: 'claude-opus-4-7', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });
  } catch (err) {
    if (err instanceof Anthropic.CompactionBlockAmbiguousError) {
      const status: 400 = err.status;
      const code: 'compaction_block_ambiguous' = err.errorCode;
      console.log(status, code);
    } else if (err instanceof Anthropic.OverloadedError) {
      const status: 529 = err.status;
      const base: InternalServerError = err;
      console.log(status, base);
    } else if (err instanceof Anthropic.PaymentRequiredError || err instanceof Anthropic.ContentTooLargeError) {
      console.log(err.status);
    } else if (err instanceof Anthropic.BadRequestError) {
      // A refusal before sending lands here too.
      if (err instanceof InvalidRequestError) assertType<ValidationRule>(err.rule);
    }
  }
}
