// SDK 1.15's subpath imports with the package's name instead: each gives what the SDK's gives
// (less the names listed as not here), and every value is the root export's own, so that
// `instanceof` holds across entry points.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as root from 'anthropic-wasm';

const SUBPATHS = {
  error: ['RetryableError'],
  'core/error': ['RetryableError'],
  streaming: ['_iterSSEMessages'],
  'core/streaming': ['_iterSSEMessages'],
  'helpers/json-schema': [],
  'helpers/beta/json-schema': [],
  'helpers/zod': [],
  'helpers/beta/zod': [],
};

/** The subpaths whose functions are their own (over Zod, which the root never imports). */
const OWN = ['helpers/zod', 'helpers/beta/zod'];

for (const [subpath, missing] of Object.entries(SUBPATHS)) {
  test(`anthropic-wasm/${subpath} as @anthropic-ai/sdk/${subpath}`, async () => {
    const ours = await import(`anthropic-wasm/${subpath}`);
    const theirs = await import(`@anthropic-ai/sdk/${subpath}`);
    const wanted = Object.keys(theirs).filter((name) => name !== 'default' && !missing.includes(name)).sort();
    assert.deepEqual(Object.keys(ours).sort(), wanted);
    for (const name of OWN.includes(subpath) ? [] : Object.keys(ours)) {
      const same = name === 'betaJSONSchemaOutputFormat' ? root.jsonSchemaOutputFormat : root[name] ?? root.default[name];
      assert.equal(ours[name], same, `${subpath}: ${name} is the root export's`);
    }
  });
}

test('an error thrown through the root is an instance of the subpath class', async () => {
  const { APIError, OverloadedError } = await import('anthropic-wasm/error');
  const client = new root.default({ apiKey: 'sk-ant-sub', maxRetries: 0, fetch: async () => Response.json({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } }, { status: 529 }) });
  const error = await client.models.list().catch((e) => e);
  assert.ok(error instanceof OverloadedError && error instanceof APIError);
});
