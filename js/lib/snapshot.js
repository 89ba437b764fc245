// What the stream's events and the request's params make of a message, beside the
// accumulation in MessageStream: `message_delta`'s fields and the final `parsed_output`.
import { AnthropicError } from '../core/errors.js';
import { streamTables } from '../core/wasm.js';

/**
 * The final message of a stream with `parsed_output`, as the official SDK gives it: when
 * `output_config.format` has a `parse` function (the SDK's output-format helpers), each text
 * block parsed with it (kept on the block, not enumerable) and the first result on the
 * message; otherwise `null`.
 */
export function withParsedOutput(message, params) {
  const format = params?.output_config?.format;
  const parse = format && 'parse' in format && format.type === 'json_schema' ? format.parse : null;
  let first = null;
  const content = message.content.map((block) => {
    if (block.type !== 'text') return block;
    let parsed = null;
    if (parse) {
      try {
        parsed = parse(block.text);
      } catch (error) {
        throw new AnthropicError(`Failed to parse structured output: ${error}`);
      }
      first ??= parsed;
    }
    return Object.defineProperty({ ...block }, 'parsed_output', { value: parsed, enumerable: false });
  });
  return { ...message, content, parsed_output: first };
}

/** `message_delta` onto the message, by the codec's rule (as the official SDK applies it). */
export function applyMessageDelta(message, event) {
  const rule = streamTables().messageDelta;
  const { delta = {}, usage } = event;
  for (const key of rule.assign) message[key] = delta[key];
  for (const key of rule.assignIfSet) if (delta[key] != null) message[key] = delta[key];
  if (usage) {
    const counts = (message.usage ??= {});
    for (const key of rule.usageAssign) counts[key] = usage[key];
    for (const key of rule.usageAssignIfSet) if (usage[key] != null) counts[key] = usage[key];
  }
}
