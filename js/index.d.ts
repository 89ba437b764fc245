// Types of the anthropic-wasm package. The wire types (messages, content blocks, events, params,
// batches, models, files) are SDK 1.15's own: scripts/sdk-types.mjs takes them from the pinned
// @anthropic-ai/sdk into sdk-types.d.ts at build time, and they are re-exported here. Hand-written
// here: the JS API of `client.js` with the official names (the client, resources, streams, pages,
// errors) and the package's own extensions. Checked by tests/types (strict tsc).
//
// Values of a type this version does not know still arrive at run time, unchanged; their shapes
// are exported as `Unknown…` types so a `default:` branch can name them.

export type * from './sdk-types.js';
/** SDK 1.15's beta wire types (`BetaAPI.BetaMessage`, the beta `BetaAPI.MessageCreateParams`, …),
 * as its `resources/beta` modules declare them. */
export type * as BetaAPI from './sdk-beta-types.js';
import type * as BetaAPI from './sdk-beta-types.js';
// Not `import type`: `Anthropic.Beta` aliases it (declarations only, nothing is loaded).
import * as BetaModule from './sdk-beta-types.js';
import type {
  AutoParseableOutputFormat,
  ExtractParsedContentFromParams,
  ParsedMessage as WireParsedMessage,
  BatchCreateParams,
  BatchListParams,
  CacheControlEphemeral,
  ContentBlock,
  ContentBlockParam,
  DeletedFile,
  DeletedMessageBatch,
  ErrorResponse,
  FileListParams,
  FileMetadata,
  FileUploadParams,
  ImageBlockParam,
  JSONOutputFormat,
  Message,
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageCountTokensParams,
  MessageCreateParamsBase,
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
  MessageParam,
  MessageStreamEvent,
  MessageStreamParams,
  MessageTokensCount,
  ModelInfo,
  ModelListParams,
  ParseableMessageCreateParams,
  RawMessageStreamEvent,
  StopReason,
  TextBlock,
  TextBlockParam,
  TextCitation,
  Tool,
  ToolResultBlockParam,
  ToolUnion,
  ToolUseBlock,
  Usage,
  UserMessageParam,
} from './sdk-types.js';
import type * as API from './index.js';

// =============================================================================================
// Shared

/** Values of the `anthropic-beta` header (`RequestOptions.betas`). Any string is accepted. */
export type AnthropicBeta =
  | 'message-batches-2024-09-24'
  | 'token-counting-2024-11-01'
  | 'files-api-2025-04-14'
  | 'interleaved-thinking-2025-05-14'
  | 'extended-cache-ttl-2025-04-11'
  | 'context-1m-2025-08-07'
  | 'context-management-2025-06-27'
  | 'mcp-client-2025-11-20'
  | 'output-128k-2025-02-19'
  | 'output-300k-2026-03-24'
  | 'fast-mode-2026-02-01'
  | 'cache-diagnosis-2026-04-07'
  | 'model-context-window-exceeded-2025-08-26'
  | (string & {});

/** The `error.type` of an API error body. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error'
  | (string & {});

/** A JSON Schema object. */
export interface JSONSchema {
  [keyword: string]: unknown;
}

// =============================================================================================
// Sources

// =============================================================================================
// Citations

/** A citation of a type this version does not know (kept as received). */
export interface UnknownCitation {
  type: string;
  cited_text?: string;
  [key: string]: unknown;
}

// =============================================================================================
// Request content blocks

/** Names of the server tools. */
export type ServerToolName =
  | 'web_search'
  | 'web_fetch'
  | 'code_execution'
  | 'bash_code_execution'
  | 'text_editor_code_execution'
  | 'tool_search_tool_regex'
  | 'tool_search_tool_bm25'
  | (string & {});

// =============================================================================================
// Response content blocks

/** A content block of a type this version does not know (kept as received, e.g. beta blocks). */
export interface UnknownContentBlock {
  type: string;
  [key: string]: unknown;
}

// =============================================================================================
// Tools

interface BuiltinToolOptions {
  cache_control?: CacheControlEphemeral | null;
  defer_loading?: boolean;
  strict?: boolean;
  allowed_callers?: Array<'direct' | 'code_execution_20250825' | 'code_execution_20260120' | (string & {})>;
}

/**
 * A versioned built-in tool this version does not declare (its dated `type`, its `name`, its
 * options). Sent as given.
 */
export interface UnknownToolParam {
  type: string & {};
  name: string;
  [option: string]: unknown;
}

// =============================================================================================
// Thinking, output config, other parameters

/** The body of `messages.create` (shared by the streaming and non-streaming forms). */
/** SDK 1.15's header params: sent as the `anthropic-workspace-id` / `anthropic-user-profile-id`
 * headers, never in the body or query. */
export interface HeaderParams {
  workspace_id?: string;
  user_profile_id?: string;
}

/** The params of `retrieve`, `cancel`, `delete` and `results` (SDK 1.15's second argument). */
export interface WorkspaceParams {
  workspace_id?: string;
}

// =============================================================================================
// Message

/** A value as returned by the API, with the response's `request-id` (not enumerable). */
export type WithRequestID<T> = T & { _request_id?: string | null };

// =============================================================================================
// Stream events

/** An event name this version does not know: its data, passed on unchanged. */
export interface UnknownRawMessageStreamEvent {
  type: string;
  [key: string]: unknown;
}

/** A delta type this version does not know (e.g. beta `compaction_delta`), passed on unchanged. */
export interface UnknownRawContentBlockDelta {
  type: string;
  [key: string]: unknown;
}

// =============================================================================================
// Models, pages, batches

/**
 * One page of a list. `for await (const item of page)` walks this page and every page after it
 * (or before it, when the list was asked for with `before_id`).
 */
export interface Page<Item> extends AsyncIterable<Item> {
  data: Array<Item>;
  /** Whether another page follows in the direction paged. */
  has_more: boolean;
  /** Id of the first item: the cursor for the previous page. */
  first_id: string | null;
  /** Id of the last item: the cursor for the next page. */
  last_id: string | null;
  /** The Files API's cursor for the next page (its lists only). */
  next_page?: string | null;
  hasNextPage(): boolean;
  getNextPage(): PagePromise<Page<Item>, Item>;
  /** `data`. */
  getPaginatedItems(): Array<Item>;
  /** This page and each one after it. */
  iterPages(): AsyncGenerator<Page<Item>, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined>;
}

/**
 * What `list()` returns: await it for the first page, or `for await` over it for every item of
 * every page.
 */
export interface PagePromise<PageClass extends Page<Item>, Item> extends APIPromise<PageClass>, AsyncIterable<Item> {
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined>;
}

export type ModelInfosPage = Page<ModelInfo>;

export type MessageBatchesPage = Page<MessageBatch>;

// =============================================================================================
// Options

/** Options of one call. */
export interface RequestOptions {
  /** Aborts the call (and a stream it started). */
  signal?: AbortSignal | null;
  /** Milliseconds before giving up on an attempt; default the client's. */
  timeout?: number;
  /** The stall watchdog of this stream (see `ClientOptions.stallTimeout`); `0`: off. */
  stallTimeout?: number;
  /** Retries after a retryable failure; default the client's. */
  maxRetries?: number;
  /** Extra headers; `null` removes a header the client would send. */
  headers?: HeadersLike;
  /** Query parameters added to the URL, over the client's `defaultQuery`. */
  query?: Record<string, unknown>;
  /** Values for the `anthropic-beta` header. */
  betas?: Array<AnthropicBeta>;
  /** `RequestInit` options for this call's `fetch`, over the client's `fetchOptions`. */
  fetchOptions?: RequestInit;
}

/** Headers as a plain object (`null` removes one), a `Headers`, or `[name, value]` pairs. */
export type HeadersLike = { [name: string]: string | null | undefined } | Headers | Array<readonly [string, string | null | undefined]>;

/** The options of `client.get/post/…`: a request's options and its JSON `body`. */
export interface RawRequestOptions extends RequestOptions {
  body?: unknown;
}

/** What the client calls instead of the global `fetch`. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /**
   * Sent as `Authorization: Bearer`, as SDK 1.15 sends it; defaults to
   * `process.env.ANTHROPIC_API_KEY` where there is a `process`. A function (sync or async) is
   * asked for the key before each request.
   */
  apiKey?: string | null | (() => string | Promise<string>);
  /** Sent as `Authorization: Bearer`; defaults to `process.env.ANTHROPIC_AUTH_TOKEN`. */
  authToken?: string | null;
  /** Defaults to `process.env.ANTHROPIC_BASE_URL`, else `https://api.anthropic.com`. */
  baseURL?: string | null;
  /** Retries after a retryable failure (default 2). */
  maxRetries?: number;
  /** Milliseconds before giving up on an attempt (default 600000). */
  timeout?: number;
  /**
   * Milliseconds a stream's body may send no byte (pings count) before the stream ends with
   * an `APIConnectionTimeoutError`, its `partialMessage` the message so far (default 60000:
   * the API pings a quiet stream, so a minute of silence is a hung stream). `0` turns the
   * watchdog off: a stream then waits up to `timeout` for each chunk. An extension: the
   * official SDK has none.
   */
  stallTimeout?: number;
  /** Headers sent with every request (after `ANTHROPIC_CUSTOM_HEADERS`' `Name: value` lines);
   * `null` removes one the client would send. */
  defaultHeaders?: HeadersLike;
  /** Query parameters added to every request's URL. */
  defaultQuery?: Record<string, unknown>;
  /**
   * The `anthropic-version` header (default SDK 1.15's, `2026-10-21`): pins another version.
   * An extension.
   */
  apiVersion?: string;
  /**
   * Allow credentials in a browser. Without it, the constructor throws in a browser unless
   * there are no credentials and `baseURL` names a proxy that adds them.
   */
  dangerouslyAllowBrowser?: boolean;
  fetch?: Fetch;
  /**
   * `RequestInit` options for every `fetch` (e.g. a Node `dispatcher`); what the request itself
   * sets (method, headers, body, signal) wins.
   */
  fetchOptions?: RequestInit;
  /**
   * Checks made before a request is sent (they throw `InvalidRequestError`). `false` turns them
   * off; `{ rejectPrefill: false }` keeps them but allows a prefill on every model.
   */
  validation?: false | { rejectPrefill?: boolean };
  /**
   * The largest event a stream may send, in bytes (default 16 MiB): past it the stream ends
   * with a `LimitExceededError`, so a hostile upstream cannot exhaust memory.
   */
  maxEventBytes?: number;
  /** The largest input of one tool block a stream may send, in bytes as received (default 16 MiB). */
  maxToolInputBytes?: number;
  /**
   * What is logged, as SDK 1.15 logs it (default `process.env.ANTHROPIC_LOG`, else `'warn'`):
   * `info` a line per attempt, `debug` the request details (credentials redacted), `warn` the
   * deprecated-model warnings.
   */
  logLevel?: LogLevel;
  /** Where the lines go (default `console`). */
  logger?: Logger;
}

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';
type LogFn = (message: string, ...rest: unknown[]) => void;
export type Logger = { error: LogFn; warn: LogFn; info: LogFn; debug: LogFn };

// =============================================================================================
// Resources (reached through the client; not exported as values)

export interface Messages {
  batches: Batches;

  /**
   * Sends a request to the Messages API. Resolves to the `Message`, or with `stream: true` to a
   * `Stream` of raw events once the response headers have arrived.
   *
   * @example
   * const message = await client.messages.create({
   *   model: 'claude-sonnet-4-5',
   *   max_tokens: 1024,
   *   messages: [{ role: 'user', content: 'Hello, Claude' }],
   * });
   */
  create(params: MessageCreateParamsNonStreaming, options?: RequestOptions): APIPromise<WithRequestID<Message>>;
  create(params: MessageCreateParamsStreaming, options?: RequestOptions): APIPromise<Stream<RawMessageStreamEvent>>;
  create(
    params: MessageCreateParamsBase,
    options?: RequestOptions,
  ): APIPromise<Stream<RawMessageStreamEvent> | WithRequestID<Message>>;

  /**
   * Starts a streamed request at once and returns a `MessageStream`: listen with `.on('text', …)`,
   * iterate the raw events, or await `finalMessage()`.
   */
  stream(params: MessageStreamParams, options?: RequestOptions): MessageStream;

  /** Counts the tokens a request's input would use, without creating a message. */
  countTokens(params: MessageCountTokensParams, options?: RequestOptions): APIPromise<WithRequestID<MessageTokensCount>>;
}

export interface Batches {
  /** Creates a batch of up to 100,000 requests, processed asynchronously. */
  create(params: BatchCreateParams, options?: RequestOptions): APIPromise<WithRequestID<MessageBatch>>;
  retrieve(messageBatchID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<MessageBatch>>;
  /** Batches, most recent first. */
  list(params?: BatchListParams, options?: RequestOptions): PagePromise<MessageBatchesPage, MessageBatch>;
  cancel(messageBatchID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<MessageBatch>>;
  delete(messageBatchID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<DeletedMessageBatch>>;
  /** The results of an ended batch, one per request, in any order. */
  results(messageBatchID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<JSONLDecoder<MessageBatchIndividualResponse>>;
}

/** Batch results as SDK 1.15 gives them: lines parsed as they download; `controller` aborts. */
export interface JSONLDecoder<T> extends AsyncIterable<T> {
  controller: AbortController;
}

export interface Models {
  /** Available models, most recent first. */
  list(params?: ModelListParams, options?: RequestOptions): PagePromise<ModelInfosPage, ModelInfo>;
  /** One model by id or alias. */
  retrieve(modelID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<ModelInfo>>;
}

/** A beta call's own params (SDK 1.15): `betas` is sent as the `anthropic-beta` header; the
 * deprecated `output_format` as `output_config.format`. */
export interface BetaParams {
  betas?: Array<AnthropicBeta>;
  output_format?: JSONOutputFormat | null;
}

/** `client.beta.messages`: the Messages API with `betas` (SDK 1.15's `client.beta.messages`). */
export interface BetaMessages {
  batches: BetaBatches;
  create(params: BetaAPI.MessageCreateParamsNonStreaming, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaMessage>>;
  create(params: BetaAPI.MessageCreateParamsStreaming, options?: RequestOptions): APIPromise<Stream<BetaAPI.BetaRawMessageStreamEvent>>;
  create(
    params: BetaAPI.MessageCreateParamsBase,
    options?: RequestOptions,
  ): APIPromise<Stream<BetaAPI.BetaRawMessageStreamEvent> | WithRequestID<BetaAPI.BetaMessage>>;
  stream(params: BetaAPI.BetaMessageStreamParams, options?: RequestOptions): MessageStream;
  countTokens(params: BetaAPI.MessageCountTokensParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaMessageTokensCount>>;
  parse<Params extends ParseableMessageCreateParams>(params: Params & BetaParams, options?: RequestOptions): APIPromise<ParsedReply<Params>>;
  toolRunner(params: ToolRunnerParams & BetaParams & { stream: true }, options?: RequestOptions): ToolRunner<true>;
  toolRunner(params: ToolRunnerParams & BetaParams, options?: RequestOptions): ToolRunner<false>;
}

export interface BetaBatches {
  create(params: BetaAPI.BatchCreateParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaMessageBatch>>;
  retrieve(messageBatchID: string, params?: BetaAPI.BatchRetrieveParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaMessageBatch>>;
  list(params?: BetaAPI.BatchListParams, options?: RequestOptions): PagePromise<Page<BetaAPI.BetaMessageBatch>, BetaAPI.BetaMessageBatch>;
  cancel(messageBatchID: string, params?: BetaAPI.BatchCancelParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaMessageBatch>>;
  delete(messageBatchID: string, params?: BetaAPI.BatchDeleteParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaDeletedMessageBatch>>;
  results(messageBatchID: string, params?: BetaAPI.BatchResultsParams, options?: RequestOptions): APIPromise<JSONLDecoder<BetaAPI.BetaMessageBatchIndividualResponse>>;
}

export interface BetaModels {
  list(params?: BetaAPI.ModelListParams, options?: RequestOptions): PagePromise<Page<BetaAPI.BetaModelInfo>, BetaAPI.BetaModelInfo>;
  retrieve(modelID: string, params?: BetaAPI.ModelRetrieveParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaModelInfo>>;
}

/** What `upload` and `toFile` take: a File or Blob, bytes, text, a Response, a ReadableStream
 * or async iterable of chunks (a Node file stream), or a promise of one. */
export type Uploadable =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | string
  | Response
  | ReadableStream
  | AsyncIterable<ArrayBufferView | ArrayBuffer | string>
  | PromiseLike<Blob | ArrayBuffer | ArrayBufferView | string | Response | ReadableStream>;

/** `client.files`: SDK 1.15's Files API. */
export interface Files {
  upload(params: FileUploadParams, options?: RequestOptions): APIPromise<WithRequestID<FileMetadata>>;
  list(params?: FileListParams, options?: RequestOptions): PagePromise<Page<FileMetadata>, FileMetadata>;
  retrieveMetadata(fileID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<FileMetadata>>;
  /** The file's bytes as the `Response`. */
  download(fileID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<Response>;
  delete(fileID: string, params?: WorkspaceParams, options?: RequestOptions): APIPromise<WithRequestID<DeletedFile>>;
}

export interface BetaFiles {
  upload(params: BetaAPI.FileUploadParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaFileMetadata>>;
  list(params?: BetaAPI.FileListParams, options?: RequestOptions): PagePromise<Page<BetaAPI.BetaFileMetadata>, BetaAPI.BetaFileMetadata>;
  retrieveMetadata(fileID: string, params?: BetaAPI.FileRetrieveMetadataParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaFileMetadata>>;
  download(fileID: string, params?: BetaAPI.FileDownloadParams, options?: RequestOptions): APIPromise<Response>;
  delete(fileID: string, params?: BetaAPI.FileDeleteParams, options?: RequestOptions): APIPromise<WithRequestID<BetaAPI.BetaDeletedFile>>;
}

/** A `File` of `value`, named `name` (else its own name, path or URL's last segment). */
export declare function toFile(value: Uploadable, name?: string | null, options?: { type?: string }): Promise<File>;

/** `client.beta`, as SDK 1.15's. */
export interface Beta {
  messages: BetaMessages;
  models: BetaModels;
  files: BetaFiles;
}

// =============================================================================================
// Client

/** The Anthropic API client. */
export declare class Anthropic {
  /**
   * @example
   * const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
   */
  constructor(options?: ClientOptions);

  baseURL: string;
  maxRetries: number;
  /** Milliseconds. */
  timeout: number;
  /** Milliseconds; see `ClientOptions`. */
  stallTimeout: number;
  /** Bytes; see `ClientOptions`. */
  maxEventBytes: number;
  maxToolInputBytes: number;
  /** The key as given (trimmed), or null when it is a function or unset. */
  apiKey: string | null;
  authToken: string | null;
  apiVersion: string;
  logLevel: LogLevel;
  logger: Logger;

  messages: Messages;
  models: Models;
  files: Files;
  beta: Beta;

  /** A new client with these options over this one's. */
  withOptions(options: ClientOptions): Anthropic;

  /** SDK 1.15's raw calls: the JSON reply of `path` (relative to `baseURL`), with `query`,
   * `body` (sent as JSON) and the request options. */
  get<Reply = unknown>(path: string, options?: RawRequestOptions): APIPromise<Reply>;
  post<Reply = unknown>(path: string, options?: RawRequestOptions): APIPromise<Reply>;
  put<Reply = unknown>(path: string, options?: RawRequestOptions): APIPromise<Reply>;
  patch<Reply = unknown>(path: string, options?: RawRequestOptions): APIPromise<Reply>;
  delete<Reply = unknown>(path: string, options?: RawRequestOptions): APIPromise<Reply>;

  static Anthropic: typeof Anthropic;
  static AnthropicError: typeof AnthropicError;
  static APIError: typeof APIError;
  static APIConnectionError: typeof APIConnectionError;
  static APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
  static APIUserAbortError: typeof APIUserAbortError;
  static BadRequestError: typeof BadRequestError;
  static AuthenticationError: typeof AuthenticationError;
  static PaymentRequiredError: typeof PaymentRequiredError;
  static PermissionDeniedError: typeof PermissionDeniedError;
  static NotFoundError: typeof NotFoundError;
  static RequestTimeoutError: typeof RequestTimeoutError;
  static ConflictError: typeof ConflictError;
  static PreconditionFailedError: typeof PreconditionFailedError;
  static ContentTooLargeError: typeof ContentTooLargeError;
  static UnprocessableEntityError: typeof UnprocessableEntityError;
  static RateLimitError: typeof RateLimitError;
  static RequestHeaderFieldsTooLargeError: typeof RequestHeaderFieldsTooLargeError;
  static ClientClosedRequestError: typeof ClientClosedRequestError;
  static InternalServerError: typeof InternalServerError;
  static NotImplementedError: typeof NotImplementedError;
  static ServiceUnavailableError: typeof ServiceUnavailableError;
  static GatewayTimeoutError: typeof GatewayTimeoutError;
  static OverloadedError: typeof OverloadedError;
  // The classes of `error_code`s (core/src/error_classes.rs), each under its status class.
  static AvailableToolsLimitExceededError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'available_tools_limit_exceeded'>; prototype: BadRequestError & ErrorCodeClass<'available_tools_limit_exceeded'> };
  static ClaudeCodeKeyCreatorNotMemberError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'claude_code_key_creator_not_member'>; prototype: BadRequestError & ErrorCodeClass<'claude_code_key_creator_not_member'> };
  static ClaudeCodeVersionTooOldError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'claude_code_version_too_old'>; prototype: BadRequestError & ErrorCodeClass<'claude_code_version_too_old'> };
  static CMEKKeyDisabledError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'cmek_key_disabled'>; prototype: BadRequestError & ErrorCodeClass<'cmek_key_disabled'> };
  static CMEKKeyNetworkBlockedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'cmek_key_network_blocked'>; prototype: BadRequestError & ErrorCodeClass<'cmek_key_network_blocked'> };
  static BetaCMEKNotApprovedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'cmek_not_approved'>; prototype: BadRequestError & ErrorCodeClass<'cmek_not_approved'> };
  static CompactionBlockAmbiguousError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_block_ambiguous'>; prototype: BadRequestError & ErrorCodeClass<'compaction_block_ambiguous'> };
  static CompactionBlockMisplacedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_block_misplaced'>; prototype: BadRequestError & ErrorCodeClass<'compaction_block_misplaced'> };
  static CompactionContentMismatchError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_content_mismatch'>; prototype: BadRequestError & ErrorCodeClass<'compaction_content_mismatch'> };
  static CompactionIncompleteTurnError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_incomplete_turn'>; prototype: BadRequestError & ErrorCodeClass<'compaction_incomplete_turn'> };
  static CompactionNothingToSummarizeError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_nothing_to_summarize'>; prototype: BadRequestError & ErrorCodeClass<'compaction_nothing_to_summarize'> };
  static CompactionSignatureInvalidError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_signature_invalid'>; prototype: BadRequestError & ErrorCodeClass<'compaction_signature_invalid'> };
  static CompactionTooManyToolReferencesError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_too_many_tool_references'>; prototype: BadRequestError & ErrorCodeClass<'compaction_too_many_tool_references'> };
  static CompactionToolChangesMismatchError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'compaction_tool_changes_mismatch'>; prototype: BadRequestError & ErrorCodeClass<'compaction_tool_changes_mismatch'> };
  static BetaExternalKeyNotFoundError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'external_key_not_found'>; prototype: BadRequestError & ErrorCodeClass<'external_key_not_found'> };
  static BetaExternalKeyProviderMismatchError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'external_key_provider_mismatch'>; prototype: BadRequestError & ErrorCodeClass<'external_key_provider_mismatch'> };
  static FileNotDownloadableError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'file_not_downloadable'>; prototype: BadRequestError & ErrorCodeClass<'file_not_downloadable'> };
  static BetaGCPProjectNotVerifiedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'gcp_project_not_verified'>; prototype: BadRequestError & ErrorCodeClass<'gcp_project_not_verified'> };
  static ImageDimensionsTooLargeError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'image_dimensions_too_large'>; prototype: BadRequestError & ErrorCodeClass<'image_dimensions_too_large'> };
  static BetaOrganizationNotEnrolledInBetaError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'organization_not_enrolled_in_beta'>; prototype: BadRequestError & ErrorCodeClass<'organization_not_enrolled_in_beta'> };
  static OrganizationOnHoldError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'organization_on_hold'>; prototype: BadRequestError & ErrorCodeClass<'organization_on_hold'> };
  static OrganizationTypeNotSupportedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'organization_type_not_supported'>; prototype: BadRequestError & ErrorCodeClass<'organization_type_not_supported'> };
  static ParentOrganizationRequiredError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'parent_organization_required'>; prototype: BadRequestError & ErrorCodeClass<'parent_organization_required'> };
  static BetaRegionNotSupportedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'region_not_supported'>; prototype: BadRequestError & ErrorCodeClass<'region_not_supported'> };
  static RequestBodyEncodingInvalidError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'request_body_encoding_invalid'>; prototype: BadRequestError & ErrorCodeClass<'request_body_encoding_invalid'> };
  static RequestBodyEncodingUnsupportedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'request_body_encoding_unsupported'>; prototype: BadRequestError & ErrorCodeClass<'request_body_encoding_unsupported'> };
  static BetaRequestBodyTimeoutError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'request_body_timeout'>; prototype: BadRequestError & ErrorCodeClass<'request_body_timeout'> };
  static BetaStorageNotApprovedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'storage_not_approved'>; prototype: BadRequestError & ErrorCodeClass<'storage_not_approved'> };
  static StorageQuotaExceededError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'storage_quota_exceeded'>; prototype: BadRequestError & ErrorCodeClass<'storage_quota_exceeded'> };
  static ThreadAlreadyContinuedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'thread_already_continued'>; prototype: BadRequestError & ErrorCodeClass<'thread_already_continued'> };
  static ThreadContinueInFlightError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'thread_continue_in_flight'>; prototype: BadRequestError & ErrorCodeClass<'thread_continue_in_flight'> };
  static ThreadFingerprintMismatchError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'thread_fingerprint_mismatch'>; prototype: BadRequestError & ErrorCodeClass<'thread_fingerprint_mismatch'> };
  static ThreadUnsupportedRequestError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'thread_unsupported_request'>; prototype: BadRequestError & ErrorCodeClass<'thread_unsupported_request'> };
  static ToolNameConflictError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'tool_name_conflict'>; prototype: BadRequestError & ErrorCodeClass<'tool_name_conflict'> };
  static ToolReferenceUnresolvedError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'tool_reference_unresolved'>; prototype: BadRequestError & ErrorCodeClass<'tool_reference_unresolved'> };
  static BetaUnsupportedCharsetError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'unsupported_charset'>; prototype: BadRequestError & ErrorCodeClass<'unsupported_charset'> };
  static UserProfileNotFoundError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'user_profile_not_found'>; prototype: BadRequestError & ErrorCodeClass<'user_profile_not_found'> };
  static UserProfileRequiredError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'user_profile_required'>; prototype: BadRequestError & ErrorCodeClass<'user_profile_required'> };
  static WorkspaceHumanReviewDisabledError: { new (...args: ConstructorParameters<typeof APIError>): BadRequestError & ErrorCodeClass<'workspace_human_review_disabled'>; prototype: BadRequestError & ErrorCodeClass<'workspace_human_review_disabled'> };
  static LinkedOrganizationBillingUnavailableError: { new (...args: ConstructorParameters<typeof APIError>): PaymentRequiredError & ErrorCodeClass<'linked_organization_billing_unavailable'>; prototype: PaymentRequiredError & ErrorCodeClass<'linked_organization_billing_unavailable'> };
  static LinkedOrganizationSpendLimitReachedError: { new (...args: ConstructorParameters<typeof APIError>): PaymentRequiredError & ErrorCodeClass<'linked_organization_spend_limit_reached'>; prototype: PaymentRequiredError & ErrorCodeClass<'linked_organization_spend_limit_reached'> };
  static SandboxEgressRestrictedError: { new (...args: ConstructorParameters<typeof APIError>): PermissionDeniedError & ErrorCodeClass<'sandbox_egress_restricted'>; prototype: PermissionDeniedError & ErrorCodeClass<'sandbox_egress_restricted'> };
  static UserProfileBillingNotAuthorizedError: { new (...args: ConstructorParameters<typeof APIError>): PermissionDeniedError & ErrorCodeClass<'user_profile_billing_not_authorized'>; prototype: PermissionDeniedError & ErrorCodeClass<'user_profile_billing_not_authorized'> };
  static UserProfileNotBillableError: { new (...args: ConstructorParameters<typeof APIError>): PermissionDeniedError & ErrorCodeClass<'user_profile_not_billable'>; prototype: PermissionDeniedError & ErrorCodeClass<'user_profile_not_billable'> };
  static FileExpiredError: { new (...args: ConstructorParameters<typeof APIError>): NotFoundError & ErrorCodeClass<'file_expired'>; prototype: NotFoundError & ErrorCodeClass<'file_expired'> };
  static ThreadNotFoundError: { new (...args: ConstructorParameters<typeof APIError>): NotFoundError & ErrorCodeClass<'thread_not_found'>; prototype: NotFoundError & ErrorCodeClass<'thread_not_found'> };
  static BetaGCPProjectControlledByAnotherOrganizationError: { new (...args: ConstructorParameters<typeof APIError>): ConflictError & ErrorCodeClass<'gcp_project_controlled_by_another_organization'>; prototype: ConflictError & ErrorCodeClass<'gcp_project_controlled_by_another_organization'> };
  static BetaStorageInUseError: { new (...args: ConstructorParameters<typeof APIError>): ConflictError & ErrorCodeClass<'storage_in_use'>; prototype: ConflictError & ErrorCodeClass<'storage_in_use'> };
  static RequestBodyTooLargeAfterDecodingError: { new (...args: ConstructorParameters<typeof APIError>): ContentTooLargeError & ErrorCodeClass<'request_body_too_large_after_decoding'>; prototype: ContentTooLargeError & ErrorCodeClass<'request_body_too_large_after_decoding'> };
  static ContractSpendLimitReachedError: { new (...args: ConstructorParameters<typeof APIError>): RateLimitError & ErrorCodeClass<'contract_spend_limit_reached'>; prototype: RateLimitError & ErrorCodeClass<'contract_spend_limit_reached'> };
  static EnforcedSpendLimitReachedError: { new (...args: ConstructorParameters<typeof APIError>): RateLimitError & ErrorCodeClass<'enforced_spend_limit_reached'>; prototype: RateLimitError & ErrorCodeClass<'enforced_spend_limit_reached'> };
  static RampLimitExceededError: { new (...args: ConstructorParameters<typeof APIError>): RateLimitError & ErrorCodeClass<'ramp_limit_exceeded'>; prototype: RateLimitError & ErrorCodeClass<'ramp_limit_exceeded'> };
  static CMEKContextUnavailableError: { new (...args: ConstructorParameters<typeof APIError>): ServiceUnavailableError & ErrorCodeClass<'cmek_context_unavailable'>; prototype: ServiceUnavailableError & ErrorCodeClass<'cmek_context_unavailable'> };
  static CMEKKeyUnreachableError: { new (...args: ConstructorParameters<typeof APIError>): ServiceUnavailableError & ErrorCodeClass<'cmek_key_unreachable'>; prototype: ServiceUnavailableError & ErrorCodeClass<'cmek_key_unreachable'> };
  static CompactionUnavailableError: { new (...args: ConstructorParameters<typeof APIError>): OverloadedError & ErrorCodeClass<'compaction_unavailable'>; prototype: OverloadedError & ErrorCodeClass<'compaction_unavailable'> };
  static InvalidRequestError: typeof InvalidRequestError;
}

export default Anthropic;

// =============================================================================================
// Errors

/** The base of every error this package throws. */
export declare class AnthropicError extends Error {
  /** On an error from a `MessageStream`: the message as far as it got (if it started). */
  partialMessage?: Message | undefined;
}

/** Response headers, names in lower case (a plain object, not a `Headers`). */
export type ResponseHeaders = { [name: string]: string };

/**
 * An error response, or an `error` event in a stream (then `status` is `undefined`). Not generic,
 * so that `err instanceof APIError` narrows to exact types rather than `any`; the subclasses
 * narrow `status`.
 */
export declare class APIError extends AnthropicError {
  constructor(
    status: number | undefined,
    error: ErrorResponse | undefined,
    message: string | undefined,
    headers: ResponseHeaders | undefined,
    type?: ErrorType | null,
  );
  /** The HTTP status; `undefined` for an error met in a stream or before a response. */
  readonly status: number | undefined;
  /** The error body: `{ type: 'error', error: { type, message }, request_id }`. */
  readonly error: ErrorResponse | undefined;
  /** The response headers (`undefined` when there was no response). */
  readonly headers: Headers | undefined;
  /** The `request-id` header. */
  readonly requestID: string | null | undefined;
  /** The `anthropic-workspace-id` header. */
  readonly workspaceID: string | null | undefined;
  /** `error.error.message`. */
  readonly apiMessage: string | null;
  /** `error.error.type`, e.g. `overloaded_error`. */
  readonly type: ErrorType | null;
  /** `error.error.details.error_code`, when the API gives one. */
  readonly errorCode: string | null;
  /** `error.error.details`. */
  readonly details: Record<string, unknown> | null;

  /** `${status} ${the body's message, or the body as JSON, or the text}`, as SDK 1.15 forms it. */
  static makeMessage(status: number | undefined, error: unknown, message: string | undefined): string;
  /** The class for the status, as SDK 1.15's; no status or headers: an `APIConnectionError`. */
  static generate(
    status: number | undefined,
    error: ErrorResponse | undefined,
    message: string | undefined,
    headers: ResponseHeaders | undefined,
  ): APIError;
}

/** The caller aborted (`signal`, `stream.abort()`, or `break` out of a stream). */
export declare class APIUserAbortError extends APIError {
  constructor(options?: { message?: string });
  readonly status: undefined;
  readonly error: undefined;
  readonly headers: undefined;
}

/** The request could not be sent or the response could not be read. */
export declare class APIConnectionError extends APIError {
  constructor(options?: { message?: string; cause?: unknown });
  readonly status: undefined;
  readonly error: undefined;
  readonly headers: undefined;
}

export declare class APIConnectionTimeoutError extends APIConnectionError {
  constructor(options?: { message?: string });
}

/** 400. */
export declare class BadRequestError extends APIError {
  readonly status: 400;
  readonly headers: Headers;
}
/** 401. */
export declare class AuthenticationError extends APIError {
  readonly status: 401;
  readonly headers: Headers;
}
/** 402. */
export declare class PaymentRequiredError extends APIError {
  readonly status: 402;
  readonly headers: Headers;
}
/** 403. */
export declare class PermissionDeniedError extends APIError {
  readonly status: 403;
  readonly headers: Headers;
}
/** 404. */
export declare class NotFoundError extends APIError {
  readonly status: 404;
  readonly headers: Headers;
}
/** 408. */
export declare class RequestTimeoutError extends APIError {
  readonly status: 408;
  readonly headers: Headers;
}
/** 409. */
export declare class ConflictError extends APIError {
  readonly status: 409;
  readonly headers: Headers;
}
/** 412. */
export declare class PreconditionFailedError extends APIError {
  readonly status: 412;
  readonly headers: Headers;
}
/** 413. */
export declare class ContentTooLargeError extends APIError {
  readonly status: 413;
  readonly headers: Headers;
}
/** 422. */
export declare class UnprocessableEntityError extends APIError {
  readonly status: 422;
  readonly headers: Headers;
}
/** 429. */
export declare class RateLimitError extends APIError {
  readonly status: 429;
  readonly headers: Headers;
}
/** 431. */
export declare class RequestHeaderFieldsTooLargeError extends APIError {
  readonly status: 431;
  readonly headers: Headers;
}
/** 499. */
export declare class ClientClosedRequestError extends APIError {
  readonly status: 499;
  readonly headers: Headers;
}
/** 500 and any other 5xx. */
export declare class InternalServerError extends APIError {
  readonly status: number;
  readonly headers: Headers;
}
/** 501. */
export declare class NotImplementedError extends InternalServerError {
  readonly status: 501;
}
/** 503. */
export declare class ServiceUnavailableError extends InternalServerError {
  readonly status: 503;
}
/** 504. */
export declare class GatewayTimeoutError extends InternalServerError {
  readonly status: 504;
}
/** 529. */
export declare class OverloadedError extends InternalServerError {
  readonly status: 529;
}

/** The class of an `error.details.error_code` (SDK 1.15's, for the APIs this package serves): a
 * static of `Anthropic`, a subclass of its status's class. */
export interface ErrorCodeClass<Code extends string> {
  readonly errorCode: Code;
}

/** The check an `InvalidRequestError` failed. */
export type ValidationRule =
  | 'Required'
  | 'OutOfRange'
  | 'Shape'
  | 'ImageMediaType'
  | 'Base64'
  | 'ImageTooLarge'
  | 'ImageBytesMismatch'
  | 'ToolName'
  | 'DuplicateToolName'
  | 'UnknownTool'
  | 'PrefillUnsupported'
  | 'TrailingWhitespace'
  | 'DocumentMediaType'
  | 'DocumentBytesMismatch'
  | 'StreamingRequired'
  | (string & {});

/** A request refused before it was sent: `path` names the field, `rule` the check. A
 * `BadRequestError` (status 400, `error` as the API would send it), so the `catch` for the
 * API's 400 catches it too; its message is the sentence alone. */
export declare class InvalidRequestError extends BadRequestError {
  constructor(message: string, path: string, rule: string);
  readonly headers: never;
  /** The field, e.g. `messages[1].content[0].source.media_type`. */
  path: string;
  rule: ValidationRule;
}

/** A stream ended at the client's limit `limit` of `max` bytes, before more was buffered;
 * a MessageStream's `partialMessage` keeps what arrived (not the event that passed). */
export declare class LimitExceededError extends AnthropicError {
  constructor(message: string, limit: 'maxEventBytes' | 'maxToolInputBytes', max: number);
  limit: 'maxEventBytes' | 'maxToolInputBytes';
  max: number;
}

// =============================================================================================
// Streams

/**
 * What the request methods return: a Promise of the data, with the raw `Response` on demand.
 */
export declare class APIPromise<T> extends Promise<T> {
  private constructor();
  /**
   * The raw `Response` of the attempt that counted. Its body is left unread when this is called
   * in the same tick as the request method (the client then reads a clone).
   */
  asResponse(): Promise<Response>;
  /** The data, the raw `Response` (its body read), and its `request-id`. */
  withResponse(): Promise<{
    data: T;
    response: Response;
    request_id: string | null;
    workspace_id: string | null;
  }>;
}

/**
 * The raw events of `messages.create({ stream: true })`. Iterate it once; `tee()` to read it
 * twice.
 */
export declare class Stream<Item> implements AsyncIterable<Item> {
  /** A stream of what `iterator()` yields; `controller` aborts what feeds it. */
  constructor(iterator: () => AsyncIterator<Item>, controller: AbortController);
  /** The JSON values, one a line, of `readableStream` (what `toReadableStream()` makes). */
  static fromReadableStream<Item>(readableStream: ReadableStream, controller?: AbortController): Stream<Item>;
  /** Aborting it ends the stream (iteration then ends quietly). */
  controller: AbortController;
  /** The response's `request-id` (streams from a response only). */
  request_id?: string | null;
  [Symbol.asyncIterator](): AsyncIterator<Item>;
  /** Two streams of the same items, each read at its own pace. */
  tee(): [Stream<Item>, Stream<Item>];
  /** The events as newline-delimited JSON. */
  toReadableStream(): ReadableStream<Uint8Array>;
}

/**
 * A streamed message as `MessageStream` completes it, as in the official SDK: `parsed_output`
 * is what `output_config.format.parse` (the SDK's output-format helpers) made of the first text
 * block, or `null` when the format has no `parse`.
 */
export type ParsedMessage<ParsedT = unknown> = WireParsedMessage<ParsedT> & {
  /** For a reply resumed with `MessageStream.resume()` (an extension): each request's usage. */
  resumed?: { partial_usage: Usage; continuation_usage: Usage };
};

/** The events of a `MessageStream` and their listeners' arguments. */
export interface MessageStreamEvents {
  /** The response headers arrived. */
  connect: () => void;
  /** Every raw event, with the message accumulated so far. */
  streamEvent: (event: RawMessageStreamEvent, snapshot: Message) => void;
  text: (textDelta: string, textSnapshot: string) => void;
  citation: (citation: TextCitation, citationsSnapshot: Array<TextCitation>) => void;
  /** A tool input fragment, and the input parsed so far (partial JSON). */
  inputJson: (partialJson: string, jsonSnapshot: unknown) => void;
  thinking: (thinkingDelta: string, thinkingSnapshot: string) => void;
  signature: (signature: string) => void;
  /** A content block is complete. */
  contentBlock: (content: ContentBlock) => void;
  /** A message is complete (`message_stop`). */
  message: (message: ParsedMessage) => void;
  /** The stream ended; the last message. */
  finalMessage: (message: ParsedMessage) => void;
  error: (error: AnthropicError) => void;
  abort: (error: APIUserAbortError) => void;
  /** Always last, exactly once. */
  end: () => void;
}

/** What `emitted(event)` resolves with: the listener's first argument. */
type FirstArgument<F> = F extends (...args: infer A) => void ? (A extends [infer First, ...unknown[]] ? First : void) : never;

/** `messages.stream(...)`: events, the accumulated message, and promises. */
export declare class MessageStream implements AsyncIterable<MessageStreamEvent> {
  private constructor();

  /** The request's messages, then each message received. */
  messages: Array<MessageParam>;
  receivedMessages: Array<ParsedMessage>;
  /** Aborting it aborts the stream. */
  controller: AbortController;
  /** The response's `request-id`, once connected. */
  readonly request_id: string | null;
  /** The raw `Response`, once connected. */
  readonly response: Response | null;
  /** A MessageStream of the events of `toReadableStream()`'s newline-delimited JSON, as SDK 1.15's. */
  static fromReadableStream(readableStream: ReadableStream): MessageStream;
  readonly ended: boolean;
  readonly errored: boolean;
  readonly aborted: boolean;

  /**
   * The message so far; after a failure, everything that arrived; `undefined` before
   * `message_start` and once the stream has completed (the final message has it).
   */
  get currentMessage(): Message | undefined;

  on<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this;
  once<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this;
  off<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this;
  /**
   * Resolves with the next `event`'s first argument (nothing for `connect` and `end`); rejects
   * if the stream fails first, except for `error` itself.
   */
  emitted<E extends keyof MessageStreamEvents>(event: E): Promise<FirstArgument<MessageStreamEvents[E]>>;

  /** Resolves when the stream ends; rejects with its error. */
  done(): Promise<void>;
  /** The last message of the stream. */
  finalMessage(): Promise<ParsedMessage>;
  /** The final message's text blocks joined with a space; rejects if there is none. */
  finalText(): Promise<string>;
  abort(): void;
  /**
   * After a failure or an abort, continues the reply (an extension, opt-in): the request again
   * with what arrived as a prefill, as a new stream whose events are the continuation's and
   * whose `finalMessage()` is one message stitched from both (usage added up, each request's in
   * `resumed`). A reply a prefill cannot continue (no text yet, a tool call or thinking in it,
   * thinking on) throws an `InvalidRequestError` (rule `NotResumable`); a model that refuses
   * prefill fails the new stream with one (rule `PrefillUnsupported`).
   */
  resume(options?: RequestOptions): MessageStream;
  /** Once connected: the stream itself, its request id and the response headers. */
  withResponse(): Promise<{ data: MessageStream; response: Response; request_id: string | null; headers: ResponseHeaders }>;

  /** The raw events; `break` aborts the stream. */
  [Symbol.asyncIterator](): AsyncIterator<MessageStreamEvent>;
  /** The events as newline-delimited JSON. */
  toReadableStream(): ReadableStream<Uint8Array>;
}

// =============================================================================================
// Helpers (helpers.js): tool runner, structured outputs, prefill, conversation

/** What a tool's `run` may return: text, `tool_result` content blocks, or another value (sent as JSON). */
export type ToolRunResult = Exclude<ToolResultBlockParam['content'], undefined> | number | boolean | { [key: string]: unknown } | null;

/** What a tool's `run` gets besides its input. */
export interface ToolRunContext {
  /** The call being answered. */
  toolUse: ToolUseBlock;
  /** @deprecated SDK 1.15's old name of `toolUse`. */
  toolUseBlock: ToolUseBlock;
  /** The runner's `signal`: aborted when the caller aborts. */
  signal?: AbortSignal | undefined;
}

/** A tool the runner runs: the API definition plus `run`. */
export interface RunnableTool<Input = any> extends Tool {
  type: 'custom';
  /** Runs the tool; a throw is answered with `is_error: true` (`Error: <message>`, or a ToolError's content). */
  run: (input: Input, context: ToolRunContext) => ToolRunResult | Promise<ToolRunResult>;
  /** Reads the call's input before `run` (a Zod tool validates it); a throw is answered as an error. */
  parse?: (input: unknown) => Input;
}

/**
 * A tool for the tool runner.
 *
 * @example
 * const weather = tool({
 *   name: 'get_weather',
 *   description: 'The current weather in a city',
 *   inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *   run: async ({ city }: { city: string }) => `18°C in ${city}`,
 * });
 */
export declare function tool<Input = any>(
  options: {
    name: string;
    description?: string;
    inputSchema: Tool.InputSchema;
    run: (input: Input, context: ToolRunContext) => ToolRunResult | Promise<ToolRunResult>;
  } & Omit<Tool, 'name' | 'description' | 'input_schema' | 'type'>,
): RunnableTool<Input>;

/** The official SDK's name for `tool`. */
export declare const betaTool: typeof tool;

/** Parameters of the tool runner: a request whose tools may be runnable. */
export interface ToolRunnerParams extends Omit<MessageCreateParamsBase, 'tools' | 'stream'> {
  tools: Array<RunnableTool | ToolUnion>;
  /** The most requests (no bound unless set); the runner then ends with the last reply, as SDK 1.15's. */
  max_iterations?: number;
  /** Stream each round: iteration then yields a MessageStream per round. */
  stream?: boolean;
  /** SDK 1.15's opt-out of message threads; this runner always sends the whole history. */
  thread?: false;
}

/**
 * The loop `create → tool_use → run the tools → tool_result → …` until the model answers. Iterate
 * it for each round's reply, or await it (or `runUntilDone()`) for the final message. Calls of one
 * reply run concurrently and are answered in one turn, in order; unknown and failing tools are
 * answered with `is_error` results. `options.signal` aborts the request in flight and the tools.
 *
 * @example
 * const final = await client.messages.toolRunner({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 1024,
 *   messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
 *   tools: [weather],
 *   max_iterations: 5,
 * });
 */
export declare class ToolRunner<Streaming extends boolean = false>
  implements AsyncIterable<Streaming extends true ? MessageStream : Message>, PromiseLike<Message>
{
  constructor(messages: Messages | Anthropic, params: ToolRunnerParams, options?: RequestOptions);
  /** The parameters of the next request; `messages` is the history so far. */
  readonly params: ToolRunnerParams & { messages: Array<MessageParam> };
  /** Requests made so far. */
  readonly iterations: number;
  /** Adds turns, e.g. a follow-up question after the final answer; the loop can run again. */
  pushMessages(...messages: Array<MessageParam>): void;
  /** Replaces the parameters (or maps them); e.g. a higher `max_iterations` to go on. */
  setMessagesParams(update: ToolRunnerParams | ((params: ToolRunnerParams) => ToolRunnerParams)): void;
  /** The user turn answering the last reply's tool calls, or null; the tools get `signal`
   * (default: the request options'). Kept until the next reply: the loop reuses it. */
  generateToolResponse(signal?: AbortSignal | null): Promise<UserMessageParam | null>;
  /** Replaces the request options of the next requests (or maps them with a function). */
  setRequestOptions(update: RequestOptions | ((options: RequestOptions) => RequestOptions)): void;
  /** Resolves with the final message when iteration (started elsewhere) ends. */
  done(): Promise<Message>;
  /** Runs every round and resolves with the final message. */
  runUntilDone(): Promise<Message>;
  then<R1 = Message, R2 = never>(
    onfulfilled?: ((value: Message) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
  [Symbol.asyncIterator](): AsyncGenerator<Streaming extends true ? MessageStream : Message, void, undefined>;
}

/** Thrown by a tool's `run` to answer with these contents and `is_error: true`. */
export declare class ToolError extends AnthropicError {
  constructor(content: Exclude<ToolResultBlockParam['content'], undefined>);
  readonly content: Exclude<ToolResultBlockParam['content'], undefined>;
}

/**
 * A JSON schema output format; `client.messages.parse` gives the reply's JSON as `parsed_output`.
 *
 * @example
 * const reply = await client.messages.parse({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 1024,
 *   messages: [{ role: 'user', content: 'The capital of France?' }],
 *   output_config: { format: jsonSchemaOutputFormat<{ city: string }>({
 *     type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false,
 *   }) },
 * });
 * reply.parsed_output.city;
 */
export declare function jsonSchemaOutputFormat<Parsed = unknown>(
  schema: JSONSchema,
  options?: { transform?: boolean },
): AutoParseableOutputFormat<Parsed>;

/**
 * SDK 1.15's `transformJSONSchema`: a copy of `schema` in the subset structured outputs accept
 * (objects closed with `additionalProperties: false`, `oneOf` as `anyOf`, and the keywords the
 * subset lacks listed in the description). `jsonSchemaOutputFormat` applies it.
 */
export declare function transformJSONSchema(schema: JSONSchema): JSONSchema;

/** A reply of `messages.parse`: SDK 1.15's `ParsedMessage` of what the format parses to. */
export type ParsedReply<Params extends ParseableMessageCreateParams> = WithRequestID<WireParsedMessage<ExtractParsedContentFromParams<Params>>>;

/** Sends a structured-output request and parses the reply (`client.messages.parse`). */
export declare function parse<Params extends ParseableMessageCreateParams>(
  messages: Messages | Anthropic,
  params: Params,
  options?: RequestOptions,
): APIPromise<ParsedReply<Params>>;

/** The reply's text is not the JSON expected. */
export declare class StructuredOutputParseError extends AnthropicError {
  /** The text as received (prefill included for the prefill helpers). */
  readonly raw: string;
  /** Why the reply ended: `max_tokens` explains a cut-off JSON. */
  readonly stopReason: StopReason | null;
}

/** A prefilled reply: the whole answer is `text` (prefill + continuation). */
export interface PrefilledReply {
  message: WithRequestID<Message>;
  text: string;
}

/**
 * Sends `params` with `prefill` as the final assistant turn (trailing white space removed).
 *
 * @example
 * const { text } = await sendWithPrefill(client, params, 'The answer is');
 */
export declare function sendWithPrefill(
  messages: Messages | Anthropic,
  params: MessageCreateParamsBase,
  prefill: string,
  options?: RequestOptions,
): Promise<PrefilledReply>;

/**
 * Sends `params` with a JSON prefill and parses prefill + continuation.
 *
 * @example
 * const { parsed } = await prefillJSON<{ name: string }>(client, params, '{"name": "');
 */
export declare function prefillJSON<Parsed = unknown>(
  messages: Messages | Anthropic,
  params: MessageCreateParamsBase,
  prefill: string,
  options?: RequestOptions,
): Promise<PrefilledReply & { parsed: Parsed }>;

/** The model answers prefill with a 400 (Claude 4.6 and later); the message suggests structured outputs. */
export declare class PrefillUnsupportedError extends InvalidRequestError {}

/** How a conversation counts input tokens for its budget. */
export interface TokenBudget {
  /** The most input tokens (system prompt, tools, history and the new turn). */
  maxInputTokens: number;
  /**
   * `countTokens` (default): exact, about 1 + log2(turns) small requests. `estimate`: offline,
   * 4 characters per token, 1600 per image, 3 per turn (leave a margin).
   */
  counter?: 'countTokens' | 'estimate';
}

/** Even the last user turn alone is over the budget. */
export declare class TokenBudgetError extends AnthropicError {
  readonly budget: number;
  readonly tokens: number;
}

/** Options of a conversation: the parameters sent with every turn, and the helpers' own. */
export interface ConversationOptions extends Omit<MessageCreateParamsBase, 'messages' | 'stream'> {
  /** The history to start from. */
  messages?: Array<MessageParam>;
  /** Drop the oldest turns before each call so the input fits. */
  tokenBudget?: TokenBudget;
  /** Keep a failed stream's text (and its user turn) in the history. */
  keepPartialReplies?: boolean;
}

/** Options of one turn: request options and images to attach. */
export interface TurnOptions extends RequestOptions {
  images?: Array<ImageBlockParam>;
}

/**
 * A conversation that keeps its history; a failed call leaves it unchanged.
 *
 * @example
 * const chat = new Conversation(client, { model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'Be brief.',
 *   tokenBudget: { maxInputTokens: 50_000 } });
 * await chat.send('Hello!');
 * const stream = await chat.stream('What is in this picture?', { images: [imageBlock(bytes, 'image/png')] });
 * stream.on('text', (t) => process.stdout.write(t));
 * await stream.finalMessage();
 * localStorage.chat = chat.exportJSON();
 */
export declare class Conversation {
  constructor(client: Anthropic | Messages, options: ConversationOptions);
  /** The parameters sent with every turn (model, max_tokens, tools, …). */
  params: Omit<ConversationOptions, 'messages' | 'tokenBudget' | 'keepPartialReplies'>;
  /** The history. */
  messages: Array<MessageParam>;
  system: string | Array<TextBlockParam> | undefined;
  /** Sends a user turn; the reply joins the history with it. */
  send(content: string | Array<ContentBlockParam>, options?: TurnOptions): Promise<WithRequestID<Message>>;
  /** Sends a user turn and streams the reply; both join the history when the stream ends. */
  stream(content: string | Array<ContentBlockParam>, options?: TurnOptions): Promise<MessageStream>;
  /** Drops the oldest turns so the history fits `budget` (default: the conversation's). */
  trim(budget?: TokenBudget, options?: RequestOptions): Promise<{ dropped: number; tokens: number }>;
  /** Merges consecutive same-role turns and drops empty text blocks and turns. */
  normalize(): void;
  toJSON(): { system?: string | Array<TextBlockParam>; messages: Array<MessageParam> };
  /** `{ system, messages }` as JSON text. */
  exportJSON(): string;
  /** Replaces the system prompt and history with those of `exportJSON()`'s text. */
  importJSON(json: string): void;
}

/** An image block from bytes or base64 text. */
export declare function imageBlock(
  data: Uint8Array | ArrayBuffer | string,
  mediaType: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp',
): ImageBlockParam;

/** `client.messages.parse` and `client.messages.toolRunner`, as in the official SDK. */
export interface Messages {
  /** Sends a request with `output_config.format` and resolves with `parsed_output`. */
  parse<Params extends ParseableMessageCreateParams>(params: Params, options?: RequestOptions): APIPromise<ParsedReply<Params>>;
  /** The tool runner (see `ToolRunner`). */
  toolRunner(params: ToolRunnerParams & { stream: true }, options?: RequestOptions): ToolRunner<true>;
  toolRunner(params: ToolRunnerParams, options?: RequestOptions): ToolRunner<false>;
}

// =============================================================================================
// The `Anthropic` namespace: `Anthropic.MessageParam`, `Anthropic.Messages.Tool`, … as in the
// official SDK (types only).

export declare namespace Anthropic {
  /** SDK 1.15's beta wire types, as `Anthropic.Beta.BetaMessage`. */
  export import Beta = BetaModule;
  export type Model = API.Model;
  export type AnthropicBeta = API.AnthropicBeta;
  export type CacheControlEphemeral = API.CacheControlEphemeral;
  export type Metadata = API.Metadata;
  export type ErrorType = API.ErrorType;
  export type ErrorObject = API.ErrorObject;
  export type ErrorResponse = API.ErrorResponse;
  export type Base64ImageSource = API.Base64ImageSource;
  export type URLImageSource = API.URLImageSource;
  export type FileImageSource = API.FileImageSource;
  export type Base64PDFSource = API.Base64PDFSource;
  export type PlainTextSource = API.PlainTextSource;
  export type ContentBlockSource = API.ContentBlockSource;
  export type URLPDFSource = API.URLPDFSource;
  export type FileDocumentSource = API.FileDocumentSource;
  export type TextCitation = API.TextCitation;
  export type TextCitationParam = API.TextCitationParam;
  export type CitationsConfigParam = API.CitationsConfigParam;
  export type TextBlockParam = API.TextBlockParam;
  export type ImageBlockParam = API.ImageBlockParam;
  export type DocumentBlockParam = API.DocumentBlockParam;
  export type SearchResultBlockParam = API.SearchResultBlockParam;
  export type ToolUseBlockParam = API.ToolUseBlockParam;
  export type ToolResultBlockParam = API.ToolResultBlockParam;
  export type ThinkingBlockParam = API.ThinkingBlockParam;
  export type RedactedThinkingBlockParam = API.RedactedThinkingBlockParam;
  export type ServerToolUseBlockParam = API.ServerToolUseBlockParam;
  export type WebSearchToolResultBlockParam = API.WebSearchToolResultBlockParam;
  export type ContentBlockParam = API.ContentBlockParam;
  export type MessageParam = API.MessageParam;
  export type TextBlock = API.TextBlock;
  export type ThinkingBlock = API.ThinkingBlock;
  export type RedactedThinkingBlock = API.RedactedThinkingBlock;
  export type ToolUseBlock = API.ToolUseBlock;
  export type ServerToolUseBlock = API.ServerToolUseBlock;
  export type WebSearchToolResultBlock = API.WebSearchToolResultBlock;
  export type ContentBlock = API.ContentBlock;
  export type Tool = API.Tool;
  export type ToolUnion = API.ToolUnion;
  export type ToolChoice = API.ToolChoice;
  export type ThinkingConfigParam = API.ThinkingConfigParam;
  export type OutputConfig = API.OutputConfig;
  export type MessageCreateParams = API.MessageCreateParams;
  export type MessageCreateParamsBase = API.MessageCreateParamsBase;
  export type MessageCreateParamsNonStreaming = API.MessageCreateParamsNonStreaming;
  export type MessageCreateParamsStreaming = API.MessageCreateParamsStreaming;
  export type MessageStreamParams = API.MessageStreamParams;
  export type MessageCountTokensParams = API.MessageCountTokensParams;
  export type MessageTokensCount = API.MessageTokensCount;
  export type Message = API.Message;
  export type Usage = API.Usage;
  export type StopReason = API.StopReason;
  export type RawMessageStreamEvent = API.RawMessageStreamEvent;
  export type RawContentBlockDelta = API.RawContentBlockDelta;
  export type MessageStreamEvent = API.MessageStreamEvent;
  export type ModelInfo = API.ModelInfo;
  export type MessageBatch = API.MessageBatch;
  export type MessageBatchIndividualResponse = API.MessageBatchIndividualResponse;
  export type MessageBatchResult = API.MessageBatchResult;
  export type DeletedMessageBatch = API.DeletedMessageBatch;
  export type RequestOptions = API.RequestOptions;
  export type ClientOptions = API.ClientOptions;
  export type AnthropicError = API.AnthropicError;
  export type APIError = API.APIError;
  export type APIConnectionError = API.APIConnectionError;
  export type APIConnectionTimeoutError = API.APIConnectionTimeoutError;
  export type APIUserAbortError = API.APIUserAbortError;
  export type BadRequestError = API.BadRequestError;
  export type AuthenticationError = API.AuthenticationError;
  export type PermissionDeniedError = API.PermissionDeniedError;
  export type NotFoundError = API.NotFoundError;
  export type ConflictError = API.ConflictError;
  export type UnprocessableEntityError = API.UnprocessableEntityError;
  export type RateLimitError = API.RateLimitError;
  export type InternalServerError = API.InternalServerError;
  export type InvalidRequestError = API.InvalidRequestError;

  /** `Anthropic.Messages.*`: the message types, as in the official SDK. */
  export interface Messages extends API.Messages {}
  export namespace Messages {
    export type MessageParam = API.MessageParam;
    export type ContentBlockParam = API.ContentBlockParam;
    export type TextBlockParam = API.TextBlockParam;
    export type ImageBlockParam = API.ImageBlockParam;
    export type DocumentBlockParam = API.DocumentBlockParam;
    export type SearchResultBlockParam = API.SearchResultBlockParam;
    export type ToolUseBlockParam = API.ToolUseBlockParam;
    export type ToolResultBlockParam = API.ToolResultBlockParam;
    export type ContentBlock = API.ContentBlock;
    export type TextBlock = API.TextBlock;
    export type ToolUseBlock = API.ToolUseBlock;
    export type ThinkingBlock = API.ThinkingBlock;
    export type TextCitation = API.TextCitation;
    export type Tool = API.Tool;
    export type ToolUnion = API.ToolUnion;
    export type ToolChoice = API.ToolChoice;
    export type ThinkingConfigParam = API.ThinkingConfigParam;
    export type Message = API.Message;
    export type Usage = API.Usage;
    export type StopReason = API.StopReason;
    export type MessageCreateParams = API.MessageCreateParams;
    export type MessageCreateParamsNonStreaming = API.MessageCreateParamsNonStreaming;
    export type MessageCreateParamsStreaming = API.MessageCreateParamsStreaming;
    export type MessageCountTokensParams = API.MessageCountTokensParams;
    export type MessageTokensCount = API.MessageTokensCount;
    export type RawMessageStreamEvent = API.RawMessageStreamEvent;
    export type RawContentBlockDelta = API.RawContentBlockDelta;

    export interface Batches extends API.Batches {}
    export namespace Batches {
      export type MessageBatch = API.MessageBatch;
      export type MessageBatchIndividualResponse = API.MessageBatchIndividualResponse;
      export type MessageBatchResult = API.MessageBatchResult;
      export type DeletedMessageBatch = API.DeletedMessageBatch;
      export type BatchCreateParams = API.BatchCreateParams;
      export type BatchListParams = API.BatchListParams;
    }
  }

  /** `Anthropic.Models.*`. */
  export interface Models extends API.Models {}
  export namespace Models {
    export type ModelInfo = API.ModelInfo;
    export type ModelListParams = API.ModelListParams;
  }
}

// Only what is marked `export` above is exported.
export {};
