// `client.messages`: create (whole or as a Stream of raw events), stream (a MessageStream),
// countTokens, and `batches`.
import { Stream } from '../core/streaming.js';
import { linkedController } from '../core/request.js';
import { MessageStream } from '../lib/message-stream.js';
import { Batches } from './batches.js';

export class Messages {
  #client;

  constructor(client) {
    this.#client = client;
    this.batches = new Batches(client);
  }

  /** A Message, or with `stream: true` a Stream of raw events. */
  create(params, options = {}) {
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
    return client._request({ method: 'POST', path: '/v1/messages', body: params, options, check: 'message', mustFit: true });
  }

  /** A MessageStream: events, accumulated message, promises; starts at once. */
  stream(params, options = {}) {
    return MessageStream._start(this.#client, { ...params, stream: true }, options);
  }

  countTokens(params, options = {}) {
    return this.#client._request({ method: 'POST', path: '/v1/messages/count_tokens', body: params, options, check: 'count_tokens' });
  }
}

function chain(first, second) {
  return () => {
    first();
    second();
  };
}
