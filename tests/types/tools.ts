// Tool use, written as for the official SDK: tools with a JSON schema, tool_choice, the
// tool_use → tool_result turn, thinking blocks kept in the history, built-in server tools.
import Anthropic from 'anthropic-wasm';
import type { Tool, ToolUseBlock, ToolResultBlockParam, MessageParam, ToolChoice, ThinkingConfigParam } from 'anthropic-wasm';

const client = new Anthropic({ apiKey: 'sk-ant-test' });

const weatherTool: Tool = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: {
    type: 'object',
    properties: {
      location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['location'],
    additionalProperties: false,
  },
  cache_control: { type: 'ephemeral' },
};

function runTool(block: ToolUseBlock): string {
  const input = block.input as { location: string; unit?: 'celsius' | 'fahrenheit' };
  return `${input.location}: 15 degrees ${input.unit ?? 'celsius'}`;
}

export async function toolLoop(): Promise<void> {
  const messages: MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const choice: ToolChoice = { type: 'auto', disable_parallel_tool_use: true };
  const thinking: ThinkingConfigParam = { type: 'enabled', budget_tokens: 2048 };

  for (let turn = 0; turn < 5; turn++) {
    const response = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      thinking,
      tools: [weatherTool],
      tool_choice: choice,
      messages,
    });
    // The reply, thinking blocks included, goes back unchanged.
    messages.push({ role: 'assistant', content: response.content });
    if (response.stop_reason !== 'tool_use') break;

    const results: ToolResultBlockParam[] = response.content
      .filter((block): block is ToolUseBlock => block.type === 'tool_use')
      .map((block) => ({ type: 'tool_result', tool_use_id: block.id, content: runTool(block) }));
    messages.push({ role: 'user', content: results });
  }

  // A failed tool, with block content; forcing a tool; no tools.
  messages.push({
    role: 'user',
    content: [
      {
        type: 'tool_result',
        tool_use_id: 'toolu_01',
        is_error: true,
        content: [
          { type: 'text', text: 'The weather service is down.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
        ],
      },
    ],
  });
  const forced = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    tools: [weatherTool],
    tool_choice: { type: 'tool', name: 'get_weather' },
    messages,
  });
  const toolUse = forced.content.find((block): block is ToolUseBlock => block.type === 'tool_use');
  console.log(toolUse?.id, toolUse?.name);
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, tool_choice: { type: 'none' }, tools: [weatherTool], messages });
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, tool_choice: { type: 'any' }, tools: [weatherTool], messages });

  // Built-in tools, including a dated version this package does not declare.
  const searched = await client.messages.create({
    model: 'claude-opus-4-6',
    max_tokens: 2048,
    tools: [
      {
        type: 'web_search_20250305',
        name: 'web_search',
        max_uses: 3,
        allowed_domains: ['example.com'],
        user_location: { type: 'approximate', city: 'Paris', country: 'FR' },
      },
      { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 2 },
      { type: 'code_execution_20250825', name: 'code_execution' },
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool', max_characters: 10_000 },
      { type: 'bash_20250124', name: 'bash' },
    ],
    messages: [{ role: 'user', content: 'What happened today?' }],
  });
  for (const block of searched.content) {
    if (block.type === 'server_tool_use') console.log(block.name, block.input);
    if (block.type === 'web_search_tool_result') {
      if (Array.isArray(block.content)) {
        for (const result of block.content) console.log(result.url, result.title, result.page_age);
      } else {
        console.log(block.content.error_code);
      }
    }
    if (block.type === 'text') {
      for (const citation of block.citations ?? []) {
        if (citation.type === 'web_search_result_location') console.log(citation.url, citation.encrypted_index);
      }
    }
  }
  // A pause_turn reply is sent back as is to continue.
  if (searched.stop_reason === 'pause_turn') {
    await client.messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 2048,
      messages: [
        { role: 'user', content: 'What happened today?' },
        { role: 'assistant', content: searched.content },
      ],
    });
  }

  // Streaming a tool call's input.
  const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, tools: [weatherTool], messages });
  stream.on('inputJson', (_partial, snapshot) => {
    if (snapshot && typeof snapshot === 'object' && 'location' in snapshot) console.log(snapshot.location);
  });
  const final = await stream.finalMessage();
  for (const block of final.content) if (block.type === 'tool_use') console.log(runTool(block));
}
