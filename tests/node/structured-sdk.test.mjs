// Structured outputs as SDK 1.15 makes them, compared with it: `transformJSONSchema` on schemas
// that use what the strict subset lacks, `jsonSchemaOutputFormat` (transformed unless told not
// to), the Zod helpers of `/helpers/zod` and `/helpers/beta/zod`, and `messages.parse` against
// the local server: `parsed_output` on the message and on each text block, the same errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod/v4';
import OfficialAnthropic from '@anthropic-ai/sdk';
import { transformJSONSchema as officialTransform } from '@anthropic-ai/sdk/lib/transform-json-schema';
import { jsonSchemaOutputFormat as officialJSONFormat } from '@anthropic-ai/sdk/helpers/json-schema';
import { zodOutputFormat as officialZodFormat } from '@anthropic-ai/sdk/helpers/zod';
import { betaZodTool as officialZodTool, betaZodOutputFormat as officialBetaZodFormat } from '@anthropic-ai/sdk/helpers/beta/zod';
import Anthropic, { AnthropicError, StructuredOutputParseError, jsonSchemaOutputFormat, transformJSONSchema } from 'anthropic-wasm';
import { jsonSchemaOutputFormat as subpathJSONFormat } from 'anthropic-wasm/helpers/json-schema';
import { zodOutputFormat } from 'anthropic-wasm/helpers/zod';
import { betaZodTool, betaZodOutputFormat } from 'anthropic-wasm/helpers/beta/zod';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const SCHEMAS = [
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    title: 'City',
    description: 'A city',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 80 },
      founded: { type: 'string', format: 'date' },
      site: { type: 'string', format: 'url' },
      tags: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
      aka: { type: 'array', items: { type: 'string' }, minItems: 1 },
      kind: { oneOf: [{ type: 'string', enum: ['town', 'city'] }, { type: 'null' }] },
      size: { type: 'integer', minimum: 1, description: 'people' },
      ok: { const: true },
      mixed: { type: 'string', enum: ['a', { no: 1 }] },
      both: { allOf: [{ $ref: '#/$defs/place' }] },
    },
    required: ['name'],
    additionalProperties: true,
    $defs: { place: { type: 'object', properties: { lat: { type: 'number', exclusiveMaximum: 90 } } } },
  },
  { type: 'object', $ref: '#/$defs/a', $defs: { a: { type: 'object', properties: {} } } },
  { type: 'object' },
];

test('transformJSONSchema gives what SDK 1.15 gives, and leaves its argument alone', () => {
  for (const schema of SCHEMAS) {
    const copy = structuredClone(schema);
    assert.deepEqual(transformJSONSchema(schema), officialTransform(schema));
    assert.deepEqual(schema, copy);
  }
  // What it does, not only that both agree.
  const strict = transformJSONSchema(SCHEMAS[0]);
  assert.equal(strict.additionalProperties, false);
  assert.equal(strict.properties.name.description, '{minLength: 1, maxLength: 80}');
  assert.deepEqual(strict.properties.kind.anyOf.map((v) => v.type ?? v.enum), [['town', 'city'], 'null']);
  assert.equal(strict.properties.site.description, '{format: "url"}');
  assert.equal(strict.properties.aka.minItems, 1);
  assert.throws(() => transformJSONSchema({ properties: {} }), /must have a type/);
  assert.deepEqual(
    [() => transformJSONSchema({ properties: {} }), () => officialTransform({ properties: {} })].map((f) => {
      try {
        f();
      } catch (error) {
        return error.message;
      }
    }),
    Array(2).fill('JSON schema must have a type defined if anyOf/oneOf/allOf/enum/const are not used'),
  );
});

test('jsonSchemaOutputFormat: the schema transformed unless { transform: false }, as 1.15', () => {
  assert.equal(subpathJSONFormat, jsonSchemaOutputFormat);
  for (const options of [undefined, { transform: false }]) {
    const ours = jsonSchemaOutputFormat(SCHEMAS[0], options);
    const theirs = officialJSONFormat(SCHEMAS[0], options);
    assert.deepEqual(ours.schema, theirs.schema);
    assert.equal(ours.type, 'json_schema');
    assert.deepEqual(ours.parse('{"name":"Oslo"}'), { name: 'Oslo' });
    assert.equal(capture(() => ours.parse('{no')), capture(() => theirs.parse('{no')));
  }
  assert.equal(capture(() => jsonSchemaOutputFormat({ type: 'string' })), capture(() => officialJSONFormat({ type: 'string' })));
});

const CITY = z.object({ city: z.string(), population: z.number().int().min(1) });

test('the Zod helpers make the schemas and errors SDK 1.15 makes', () => {
  const ours = zodOutputFormat(CITY);
  const theirs = officialZodFormat(CITY);
  assert.deepEqual(ours.schema, theirs.schema);
  assert.equal(ours.schema.additionalProperties, false);
  assert.deepEqual(ours.parse('{"city":"Paris","population":2}'), { city: 'Paris', population: 2 });
  for (const text of ['{"city":"Paris","population":0}', '{"city":3}', 'not json']) {
    assert.equal(capture(() => ours.parse(text)), capture(() => theirs.parse(text)));
  }
  assert.ok(catchOf(() => ours.parse('{"city":3}')) instanceof AnthropicError);
  const beta = betaZodOutputFormat(CITY);
  assert.deepEqual(beta.schema, officialBetaZodFormat(CITY).schema);
  assert.equal(capture(() => beta.parse('{"city":3}')), capture(() => officialBetaZodFormat(CITY).parse('{"city":3}')));
  const run = () => 'ok';
  const { run: _a, parse: ourParse, ...ourTool } = betaZodTool({ name: 'city', description: 'd', inputSchema: CITY, run, cache_control: { type: 'ephemeral' } });
  const { run: _b, parse: theirParse, ...theirTool } = officialZodTool({ name: 'city', description: 'd', inputSchema: CITY, run, cache_control: { type: 'ephemeral' } });
  assert.deepEqual(ourTool, theirTool);
  assert.deepEqual(ourParse({ city: 'Oslo', population: 5 }), theirParse({ city: 'Oslo', population: 5 }));
  assert.equal(capture(() => ourParse({ city: 1 })), capture(() => theirParse({ city: 1 })));
  assert.equal(capture(() => betaZodTool({ name: 'n', description: 'd', inputSchema: z.string(), run })), capture(() => officialZodTool({ name: 'n', description: 'd', inputSchema: z.string(), run })));
});

/** What `messages.parse` gives on a client of `Client`: the parsed values and what they are on. */
async function parsed(Client, format, text = 'Which city is the Louvre in? In Paris.') {
  const client = new Client({ apiKey: 'sk-any', baseURL: server.url, maxRetries: 0 });
  const reply = await client.messages.parse({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    messages: [{ role: 'user', content: text }],
    output_config: { format },
  });
  return {
    parsed: reply.parsed_output,
    blocks: reply.content.map((block) => [block.type, block.parsed_output, Object.keys(block).includes('parsed_output')]),
  };
}

test('messages.parse as SDK 1.15: parsed_output on the message and on each text block, an APIPromise', async () => {
  const ours = await parsed(Anthropic, zodOutputFormat(CITY));
  assert.deepEqual(ours, await parsed(OfficialAnthropic, officialZodFormat(CITY)));
  assert.equal(ours.parsed.city, 'Paris');
  assert.deepEqual(ours.blocks, [['text', ours.parsed, false]]);
  // Ours is an APIPromise, as 1.15's declarations say (its own is a plain Promise at run time).
  const call = new Anthropic({ apiKey: 'sk-any', baseURL: server.url }).messages.parse({
    model: 'claude-sonnet-4-5', max_tokens: 300, messages: [{ role: 'user', content: 'In Paris.' }], output_config: { format: zodOutputFormat(CITY) },
  });
  const { data, request_id } = await call.withResponse();
  assert.equal(data.parsed_output.city, 'Paris');
  assert.match(request_id, /^req_/);
  // A plain JSON schema format (no parse function) is read with JSON.parse, as 1.15 does.
  const plain = { type: 'json_schema', schema: transformJSONSchema(z.toJSONSchema(CITY)) };
  assert.deepEqual(await parsed(Anthropic, plain), await parsed(OfficialAnthropic, plain));
  assert.equal((await parsed(Anthropic, plain)).parsed.city, 'Paris');
});

test('a reply that fails its format throws an AnthropicError that keeps the text', async () => {
  const strict = z.object({ city: z.string(), population: z.number().int().min(1e12) });
  const ours = await parsed(Anthropic, zodOutputFormat(strict)).catch((error) => error);
  const theirs = await parsed(OfficialAnthropic, officialZodFormat(strict)).catch((error) => error);
  assert.ok(ours instanceof StructuredOutputParseError && ours instanceof AnthropicError, String(ours));
  assert.ok(theirs instanceof OfficialAnthropic.AnthropicError);
  assert.match(ours.message, /^Failed to parse structured output: .*Too small/s);
  assert.match(JSON.parse(ours.raw).city, /Paris/);
});

function catchOf(f) {
  try {
    f();
  } catch (error) {
    return error;
  }
  return null;
}

/** The message of what `f` throws. */
const capture = (f) => catchOf(f)?.message ?? 'no error';
