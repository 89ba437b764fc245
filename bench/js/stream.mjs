// The synthetic stream both clients read: text deltas (ASCII, JSON escapes, multi-byte text),
// a ping every 1000 events, then a tool call whose input arrives in fragments.
export function syntheticStream({ textDeltas = 100_000, toolFragments = 2_000 } = {}) {
  const parts = [];
  const event = (name, data) => parts.push(`event: ${name}\ndata: ${data}\n\n`);
  event('message_start', JSON.stringify({ type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', content: [], model: 'claude-bench', stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }));
  event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}');
  const texts = [' caf\u00e9 \u2014 ', '\n"quoted"', ' and'];
  for (let i = 0; i < textDeltas; i++) {
    if (i % 1000 === 0) event('ping', '{"type": "ping"}');
    const text = i % 4 === 0 ? ` word${i}` : texts[(i % 4) - 1];
    event('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }));
  }
  event('content_block_stop', '{"type":"content_block_stop","index":0}');
  event('content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_bench","name":"write","input":{}}}');
  const input = JSON.stringify({ lines: Array.from({ length: toolFragments }, (_, i) => `line ${i} of the file`) });
  const size = Math.ceil(input.length / toolFragments);
  for (let at = 0; at < input.length; at += size) {
    event('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: input.slice(at, at + size) } }));
  }
  event('content_block_stop', '{"type":"content_block_stop","index":1}');
  event('message_delta', '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":123456}}');
  event('message_stop', '{"type":"message_stop"}');
  return { bytes: new TextEncoder().encode(parts.join('')), events: parts.length, textDeltas, toolFragments };
}

/** A fetch that answers every request with `bytes` as an SSE body, in chunks of `sizes` (cycled). */
export function replayFetch(bytes, sizes) {
  return async () => {
    let at = 0;
    let turn = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const size = sizes[turn++ % sizes.length];
        controller.enqueue(bytes.subarray(at, at + size));
        at += size;
      },
    }, { highWaterMark: 0 });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_bench' } });
  };
}
