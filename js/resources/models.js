// `client.models`: list (paged) and retrieve.
import { pagePromise } from '../core/pagination.js';
import { resourcePath } from '../core/request.js';

export class Models {
  #client;

  constructor(client) {
    this.#client = client;
  }

  list(params = {}, options = {}) {
    return pagePromise(this.#client, '/v1/models', params, options);
  }

  retrieve(modelID, options = {}) {
    return this.#client._request({ method: 'GET', path: resourcePath('/v1/models/', modelID), options });
  }
}
