// `anthropic-wasm/helpers/zod`, as SDK 1.15's: structured outputs from a Zod schema. Zod is a
// peer dependency (optional, as in the SDK): this file is the only one that imports it.
import * as z from 'zod/v4';
import { AnthropicError, transformJSONSchema } from 'anthropic-wasm';

/**
 * `output_config.format` from a Zod schema: its JSON schema made strict, and a `parse` that
 * validates the reply with the schema (the first five issues in the message, as SDK 1.15's).
 */
export function zodOutputFormat(schema) {
  return {
    type: 'json_schema',
    schema: transformJSONSchema(z.toJSONSchema(schema, { reused: 'ref' })),
    parse(text) {
      let value;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new AnthropicError(`Failed to parse structured output as JSON: ${error instanceof Error ? error.message : error}`);
      }
      const output = schema.safeParse(value);
      if (output.success) return output.data;
      const { issues } = output.error;
      const listed = issues.slice(0, 5).map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`).join('\n');
      const more = issues.length > 5 ? `\n  ... and ${issues.length - 5} more issue(s)` : '';
      throw new AnthropicError(`Failed to parse structured output: ${output.error.message}\nValidation issues:\n${listed}${more}`);
    },
  };
}
