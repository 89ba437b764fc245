// `client.messages.batches`: create, retrieve, list (paged), cancel, delete, results, with SDK
// 1.15's arguments (`id, params, options`; `workspace_id` and `user_profile_id` sent as headers).
import { pagePromise } from '../core/pagination.js';
import { headerParams, linkedController, resourcePath } from '../core/request.js';
import { AnthropicError } from '../core/errors.js';
import { jsonLines } from '../core/streaming.js';

const BATCHES = '/v1/messages/batches';

export class Batches {
  #client;

  constructor(client) {
    this.#client = client;
  }

  create(params, options) {
    const [body, withHeaders] = headerParams(params, options);
    return this.#client._request({ method: 'POST', path: BATCHES, body, options: withHeaders, check: 'batch' });
  }

  retrieve(batchID, params, options) {
    return this.#on('GET', batchID, '', params, options);
  }

  list(params, options) {
    return pagePromise(this.#client, BATCHES, ...headerParams(params, options));
  }

  cancel(batchID, params, options) {
    return this.#on('POST', batchID, '/cancel', params, options);
  }

  delete(batchID, params, options) {
    return this.#on('DELETE', batchID, '', params, options);
  }

  #on(method, batchID, suffix, params, options) {
    const path = resourcePath(`${BATCHES}/`, batchID, suffix);
    return this.#client._request({ method, path, options: headerParams(params, options)[1] });
  }

  /** The results as SDK 1.15's JSONL decoder: an async iterable of `{custom_id, result}` lines,
   * read as they download, and the `controller` that aborts the download. A `results_url` on
   * another origin than the base URL's is refused: unlike SDK 1.15, which sends the key to
   * whatever URL the reply names. */
  async results(batchID, params, options) {
    const client = this.#client;
    options = headerParams(params, options)[1];
    return client._request({ method: 'GET', path: resourcePath(`${BATCHES}/`, batchID), options }, async (batch) => {
      if (!batch.results_url) {
        throw new AnthropicError(`No batch \`results_url\`; Has it finished processing? ${batch.processing_status} - ${batch.id}`);
      }
      const { controller, release } = linkedController(options.signal);
      const { response, settle } = await client._fetchStream(batch.results_url, { ...options, signal: controller.signal });
      return {
        controller,
        async *[Symbol.asyncIterator]() {
          try {
            yield* jsonLines(response.body ?? []);
          } finally {
            settle();
            release();
          }
        },
      };
    });
  }
}
