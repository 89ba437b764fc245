// `client.files`: SDK 1.15's Files API (upload, list, retrieveMetadata, download, delete), and
// `toFile`, which makes the `File` an upload sends from bytes, a stream or a `Response`.
import { pagePromise } from '../core/pagination.js';
import { entriesOf, headerParams, resourcePath } from '../core/request.js';

const FILES = '/v1/files';

/** A `File` of `value` (a Blob or File, bytes, text, a `Response`, a ReadableStream or async
 * iterable of chunks, or a promise of one), named `name` (else its own name or path). */
export async function toFile(value, name, options = {}) {
  value = await value;
  name ??= value?.name ?? (value?.path && String(value.path).split(/[\\/]/).pop()) ?? (value?.url && new URL(value.url).pathname.split('/').pop());
  let parts = [value];
  if (value instanceof Response) parts = [await value.blob()];
  else if (value?.getReader || (value?.[Symbol.asyncIterator] && !(value instanceof Blob))) {
    parts = [];
    for await (const chunk of value.getReader ? readAll(value) : value) parts.push(chunk);
  }
  return new File(parts, name || 'unknown_file', { type: options.type ?? value?.type ?? '' });
}

async function* readAll(stream) {
  const reader = stream.getReader();
  for (let chunk; !(chunk = await reader.read()).done; ) yield chunk.value;
}

export class Files {
  #client;

  constructor(client) {
    this.#client = client;
  }

  /** Uploads `params.file` (anything `toFile` takes) as multipart form data. */
  async upload(params, options) {
    const [{ file, ...rest }, withHeaders] = headerParams(params, options);
    const form = new FormData();
    for (const [key, value] of Object.entries(rest)) form.append(key, String(value));
    form.append('file', file instanceof File ? file : await toFile(file));
    return this.#client._request({ method: 'POST', path: FILES, body: form, options: withHeaders });
  }

  list(params, options) {
    return pagePromise(this.#client, FILES, ...headerParams(params, options));
  }

  retrieveMetadata(fileID, params, options) {
    return this.#on('GET', fileID, '', params, options);
  }

  delete(fileID, params, options) {
    return this.#on('DELETE', fileID, '', params, options);
  }

  /** The file's bytes, as the `Response` (SDK 1.15's `download`). */
  download(fileID, params, options) {
    const [, withHeaders] = headerParams(params, options);
    withHeaders.headers = [['accept', 'application/binary'], ...entriesOf(withHeaders.headers ?? [])];
    return this.#client._request({ method: 'GET', path: resourcePath(`${FILES}/`, fileID, '/content'), options: withHeaders, stream: true }, ({ response, settle }) => {
      settle();
      return response;
    });
  }

  #on(method, fileID, suffix, params, options) {
    return this.#client._request({ method, path: resourcePath(`${FILES}/`, fileID, suffix), options: headerParams(params, options)[1] });
  }
}
