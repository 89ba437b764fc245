// `client.messages`: create (whole or as a Stream of raw events), stream (a MessageStream),
// countTokens, and `batches`.
import { Stream } from '../core/streaming.js';
import { headerParams, linkedController } from '../core/request.js';
import { MessageStream } from '../lib/message-stream.js';
import { withParsedOutput } from '../lib/snapshot.js';
import { Batches } from './batches.js';

export class Messages {
  #client;

  constructor(client) {
    this.#client = client;
    this.batches = new Batches(client);
  }

  /** A Message, or with `stream: true` a Stream of raw events. `workspace_id` and
   * `user_profile_id` go as headers, as in SDK 1.15 (in `stream` and `countTokens` too). */
  create(params, options) {
    [params, options] = headerParams(params, options);
    const client = this.#client;
    if (params.stream) {
      const { controller, release } = linkedController(options.signal);
      const wait = client._idle(options);
      return client._request(
        { method: 'POST', path: '/v1/messages', body: params, options, check: 'message', signal: controller.signal, stream: true },
        (connection) => Stream._fromResponse({ ...connection, settle: chain(connection.settle, release) }, controller, wait),
        release,
      );
    }
    return this.#whole(params, options);
  }

  /** SDK 1.15's structured outputs: the Message with `parsed_output` (see withParsedOutput),
   * and its `_request_id` still (1.15's is lost in the copy). */
  parse(params, options) {
    return this.#whole(...headerParams(params, options), (message) =>
      Object.defineProperty(withParsedOutput(message, params, true), '_request_id', { value: message._request_id }),
    );
  }

  #whole(params, options, parse) {
    return this.#client._request({ method: 'POST', path: '/v1/messages', body: params, options, check: 'message', mustFit: true }, parse);
  }

  /** A MessageStream: events, accumulated message, promises; starts at once. */
  stream(params, options) {
    const [body, withHeaders] = headerParams(params, options);
    return MessageStream._start(this.#client, { ...body, stream: true }, withHeaders);
  }

  countTokens(params, options) {
    const [body, withHeaders] = headerParams(params, options);
    return this.#client._request({ method: 'POST', path: '/v1/messages/count_tokens', body, options: withHeaders, check: 'count_tokens' });
  }
}

function chain(first, second) {
  return () => {
    first();
    second();
  };
}
