// `client.messages.batches`: create, retrieve, list (paged), cancel, delete, results.
import { pagePromise } from '../core/pagination.js';
import { resourcePath } from '../core/request.js';
import { AnthropicError } from '../core/errors.js';
import { jsonLines } from '../core/streaming.js';

const BATCHES = '/v1/messages/batches';

export class Batches {
  #client;

  constructor(client) {
    this.#client = client;
  }

  create(params, options = {}) {
    return this.#client._request({ method: 'POST', path: BATCHES, body: params, options, check: 'batch' });
  }

  retrieve(batchID, options = {}) {
    return this.#client._request({ method: 'GET', path: resourcePath(`${BATCHES}/`, batchID), options });
  }

  list(params = {}, options = {}) {
    return pagePromise(this.#client, BATCHES, params, options);
  }

  cancel(batchID, options = {}) {
    return this.#client._request({ method: 'POST', path: resourcePath(`${BATCHES}/`, batchID, '/cancel'), options });
  }

  delete(batchID, options = {}) {
    return this.#client._request({ method: 'DELETE', path: resourcePath(`${BATCHES}/`, batchID), options });
  }

  /** The results as an async iterable of `{custom_id, result}` lines, read as they download
   * (async, as the SDK's: a bad id rejects). A `results_url` on another origin than the base
   * URL's is refused: unlike SDK 1.15, which sends the key to whatever URL the reply names. */
  async results(batchID, options = {}) {
    const client = this.#client;
    return client._request({ method: 'GET', path: resourcePath(`${BATCHES}/`, batchID), options }, async (batch) => {
      if (!batch.results_url) {
        throw new AnthropicError(
          `the stream ended early: batch ${batchID} has no results yet (processing_status ${batch.processing_status})`,
        );
      }
      const { response, settle } = await client._fetchStream(batch.results_url, options);
      return {
        async *[Symbol.asyncIterator]() {
          try {
            yield* jsonLines(response.body ?? []);
          } finally {
            settle();
          }
        },
      };
    });
  }
}
