// What the request methods return, as in the official SDK: a Promise of the data, plus the
// raw `Response` of the attempt that counted.

/**
 * Where one call's raw responses go: the last one (the attempt that counted) is kept for
 * `asResponse()` / `withResponse()`. Once `keepBody` is set, the client reads a clone and the
 * body of the response kept is left for the caller.
 */
export function newExchange() {
  return {
    response: undefined,
    keepBody: false,
    receive(response) {
      this.response = response;
      return this.keepBody ? response.clone() : response;
    },
  };
}

/**
 * A Promise of the data with `asResponse()` (the raw `Response`, its body unread when asked
 * for before the request was sent, that is in the same tick as the call) and `withResponse()`
 * (data, response, request id).
 */
export class APIPromise extends Promise {
  #result;
  #exchange;

  constructor(result, exchange) {
    super((resolve) => resolve());
    this.#result = result;
    this.#exchange = exchange;
  }

  // `then` on an APIPromise gives a plain Promise.
  static get [Symbol.species]() {
    return Promise;
  }

  asResponse() {
    this.#exchange.keepBody = true;
    return this.#result.then(() => this.#exchange.response);
  }

  async withResponse() {
    const data = await this.#result;
    const { response } = this.#exchange;
    return {
      data,
      response,
      request_id: response?.headers.get('request-id') ?? null,
      workspace_id: response?.headers.get('anthropic-workspace-id') ?? null,
    };
  }

  then(onFulfilled, onRejected) {
    return this.#result.then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#result.catch(onRejected);
  }

  finally(onFinally) {
    return this.#result.finally(onFinally);
  }
}
