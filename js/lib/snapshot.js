// What the stream's events and the request's params make of a message, beside the
// accumulation in MessageStream: `message_delta`'s fields and the final `parsed_output`.
import { StructuredOutputParseError } from '../core/errors.js';
import { streamTables } from '../core/wasm.js';

/**
 * The message with `parsed_output`, as the official SDK gives it: when `output_config.format` is
 * a JSON schema with a `parse` function (the SDK's output-format helpers; `JSON.parse` when
 * `always`, as `messages.parse` does), each text block parsed with it (kept on the block, not
 * enumerable) and the first result on the message; otherwise `null`.
 */
export function withParsedOutput(message, params, always = false) {
  const format = params?.output_config?.format;
  const parse = format?.type === 'json_schema' ? format.parse ?? (always ? JSON.parse : null) : null;
  let first = null;
  const content = message.content.map((block) => {
    if (block.type !== 'text') return block;
    let parsed = null;
    if (parse) {
      try {
        parsed = parse(block.text);
      } catch (error) {
        throw new StructuredOutputParseError(block.text, message.stop_reason, error);
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
