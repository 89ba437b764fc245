// `anthropic-wasm/helpers/beta/zod`, as SDK 1.15's: a runnable tool and an output format from
// Zod schemas. Zod is an optional peer dependency, imported here only.
import * as z from 'zod/v4';
import { AnthropicError, transformJSONSchema } from 'anthropic-wasm';

/** SDK 1.15's beta output format: a reply that fails the schema throws with its issues. */
export function betaZodOutputFormat(schema) {
  return {
    type: 'json_schema',
    schema: transformJSONSchema(z.toJSONSchema(schema, { reused: 'ref' })),
    parse(text) {
      const output = schema.safeParse(JSON.parse(text));
      if (output.success) return output.data;
      throw new AnthropicError(`Failed to parse structured output: ${output.error.message} cause: ${output.error.issues}`);
    },
  };
}

/** A tool for the tool runner whose input the schema validates (and converts) before `run`. */
export function betaZodTool({ name, inputSchema, description, run, ...rest }) {
  const schema = z.toJSONSchema(inputSchema, { reused: 'ref' });
  if (schema.type !== 'object') throw new Error(`Zod schema for tool "${name}" must be an object, but got ${schema.type}`);
  return { ...rest, type: 'custom', name, input_schema: schema, description, run, parse: (input) => inputSchema.parse(input) };
}
