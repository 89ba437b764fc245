// Resuming a reply cut short (`MessageStream.resume()`, an extension): the request again with
// what arrived as a prefill, and one message stitched from the partial reply and its
// continuation. The rules of the Rust `helpers::resume`.
import { InvalidRequestError } from '../core/errors.js';

/** A reply a prefill cannot continue: refused as a request the API would refuse. */
export const refuse = (reason) => {
  throw new InvalidRequestError(`the reply cannot be resumed: ${reason}`, 'messages', 'NotResumable');
};

/** The text of message content: the string, or its text blocks joined. */
export const textOf = (content) => (typeof content === 'string' ? content : content.map((block) => block.text ?? '').join(''));

/**
 * The request that continues `partial`, a reply to `params` cut short: the partial text as a
 * prefill (after the request's own prefill; trailing white space removed, as the API requires),
 * and `max_tokens` less what the partial reply used. A reply that a prefill cannot continue (no
 * text yet, a tool call or thinking in it, thinking on) is refused with an
 * `InvalidRequestError` (rule `NotResumable`); a model that refuses prefill is refused when the
 * request is checked (rule `PrefillUnsupported`).
 */
export function continuationParams(params, partial) {
  const content = partial?.content ?? [];
  const text = textOf(content);
  if (/^(enabled|adaptive)$/.test(params.thinking?.type)) refuse('thinking is on');
  if (content.some((block) => block.type !== 'text')) refuse('it holds a tool call or thinking');
  if (!text.trim()) refuse('no text arrived');
  const messages = [...params.messages];
  const earlier = messages.at(-1)?.role === 'assistant' ? textOf(messages.pop().content) : '';
  messages.push({ role: 'assistant', content: (earlier + text).trimEnd() });
  return { ...params, messages, max_tokens: Math.max(1, params.max_tokens - (partial.usage?.output_tokens ?? 0)) };
}

/**
 * One reply from `partial` and `rest` (the reply to `continuationParams`'s request): the
 * partial blocks, the last text joined with the continuation's first (at the trimmed end the
 * prefill had), then its other blocks; the continuation's id and stop reason; the counts of
 * both requests added up, and each request's usage in `resumed`.
 */
export function stitch(partial, rest) {
  const content = partial.content.map((block) => ({ ...block }));
  const blocks = [...rest.content];
  const last = content.at(-1);
  if (last?.type === 'text' && blocks[0]?.type === 'text') last.text = last.text.trimEnd() + blocks.shift().text;
  // Every token count of either request (input, output, cache writes and reads), added up.
  const usage = { ...partial.usage, ...rest.usage };
  for (const key in usage) if (typeof usage[key] === 'number') usage[key] = (partial.usage?.[key] ?? 0) + (rest.usage?.[key] ?? 0);
  return { ...rest, content: content.concat(blocks), usage, resumed: { partial_usage: partial.usage, continuation_usage: rest.usage } };
}
