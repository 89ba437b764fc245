// The llama-server build of scripts/peer-server.sh runs on x86-64 CPUs other than this host's:
// under qemu-x86_64 emulating an x86-64-v1, an x86-64-v2 and an AVX2-only x86-64-v3 CPU (the
// AMD EPYC on which the earlier prebuilt binary died with SIGILL), ggml must load the CPU
// variant that CPU can run, and the server must answer a Messages API request. Emulation is
// slow, so the request is short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from 'anthropic-wasm';
import { PEER_KEY, startPeer } from './peer.mjs';

const CPUS = [
  { cpu: 'qemu64', level: 'x86-64-v1', variant: 'libggml-cpu-x64.so' },
  { cpu: 'Nehalem', level: 'x86-64-v2', variant: 'libggml-cpu-sse42.so' },
  { cpu: 'EPYC-Rome', level: 'x86-64-v3 without AVX-512', variant: 'libggml-cpu-haswell.so' },
];

for (const { cpu, level, variant } of CPUS) {
  test(`llama-server on an emulated ${cpu} (${level}) loads ${variant} and answers`, { timeout: 180_000 }, async (t) => {
    const server = await startPeer({ cpu });
    try {
      t.diagnostic(server.report);
      assert.match(server.report, new RegExp(`CPU backend ${variant.replaceAll('.', '\\.')}$`));
      const client = new Anthropic({ apiKey: PEER_KEY, baseURL: server.url, timeout: 120_000, maxRetries: 0 });
      const message = await client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 3,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.ok(['end_turn', 'max_tokens'].includes(message.stop_reason), message.stop_reason);
      assert.ok(message.usage.output_tokens >= 1 && message.usage.output_tokens <= 3);
    } finally {
      server.stop();
    }
  });
}
