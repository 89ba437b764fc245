// Pagination: `await list()` gives the first Page; `for await (const item of list())` gives
// every item of every page.
import { APIPromise, newExchange } from './api-promise.js';

export class Page {
  #client;
  #path;
  #query;
  #options;

  constructor(body, client, path, query, options) {
    Object.assign(this, body);
    this.#client = client;
    this.#path = path;
    this.#query = query;
    this.#options = options;
  }

  /** A page with `next_page` (the Files API's cursor) pages by it; others by their ids. */
  hasNextPage() {
    if ('next_page' in this) return Boolean(this.next_page);
    return Boolean(this.has_more && (this.#query.before_id ? this.first_id : this.last_id));
  }

  getNextPage() {
    const query = { ...this.#query };
    if ('next_page' in this) query.page = this.next_page;
    else if (query.before_id) query.before_id = this.first_id;
    else query.after_id = this.last_id;
    return pagePromise(this.#client, this.#path, query, this.#options);
  }

  getPaginatedItems() {
    return this.data ?? [];
  }

  /** This page and each one after it. */
  async *iterPages() {
    let page = this;
    yield page;
    while (page.hasNextPage()) yield (page = await page.getNextPage());
  }

  async *[Symbol.asyncIterator]() {
    let page = this;
    for (;;) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }
}

/** The APIPromise of a Page that is also an async iterable of every item of every page. */
export class PagePromise extends APIPromise {
  async *[Symbol.asyncIterator]() {
    yield* await this;
  }
}

/** The first page of the list at `path` (`query`: `limit`, `before_id`, `after_id`, or the
 * Files API's `page` and `ids`). */
export function pagePromise(client, path, query, options) {
  const exchange = newExchange();
  const page = client
    ._send({ method: 'GET', path, query, options, exchange })
    .then((data) => new Page(data, client, path, query ?? {}, options));
  return new PagePromise(page, exchange);
}
