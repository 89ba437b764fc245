// `client.models`: list (paged) and retrieve, with SDK 1.15's arguments (`workspace_id` as a header).
import { pagePromise } from '../core/pagination.js';
import { headerParams, resourcePath } from '../core/request.js';

export class Models {
  #client;

  constructor(client) {
    this.#client = client;
  }

  list(params, options) {
    return pagePromise(this.#client, '/v1/models', ...headerParams(params, options));
  }

  retrieve(modelID, params, options) {
    const path = resourcePath('/v1/models/', modelID);
    return this.#client._request({ method: 'GET', path, options: headerParams(params, options)[1] });
  }
}
