// Models with pagination and Message Batches, written as for the official SDK.
import Anthropic from 'anthropic-wasm';
import type { ModelInfo, MessageBatch, MessageBatchIndividualResponse, Page, PagePromise } from 'anthropic-wasm';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(value: T): T {
  return value;
}

const client = new Anthropic({ apiKey: 'sk-ant-test' });

export async function models(): Promise<void> {
  // Every model of every page.
  for await (const model of client.models.list({ limit: 20 })) {
    const modelType: Equals<typeof model, ModelInfo> = true;
    console.log(model.id, model.display_name, model.created_at, model.max_input_tokens, modelType);
  }

  // Page by page.
  const listing = client.models.list();
  assertType<PagePromise<Page<ModelInfo>, ModelInfo>>(listing);
  let page = await listing;
  assertType<ModelInfo[]>(page.data);
  console.log(page.has_more, page.first_id, page.last_id);
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    for (const model of page.data) console.log(model.id);
  }
  // A page is async-iterable too, from itself onwards.
  for await (const model of await client.models.list({ before_id: 'claude-opus-4-6' })) console.log(model.type);

  const model = await client.models.retrieve('claude-sonnet-4-5', {}, { timeout: 5_000 });
  console.log(model.display_name, model._request_id);
}

export async function batches(): Promise<void> {
  const batch = await client.messages.batches.create({
    requests: [
      {
        custom_id: 'first',
        params: { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello, world' }] },
      },
      {
        custom_id: 'second',
        params: {
          model: 'claude-sonnet-4-5',
          max_tokens: 1024,
          system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: 'Hi again' }],
        },
      },
    ],
  });
  console.log(batch.id, batch.processing_status, batch.request_counts.processing, batch.expires_at);

  const current = await client.messages.batches.retrieve(batch.id);
  if (current.processing_status === 'ended') {
    const results = await client.messages.batches.results(batch.id);
    for await (const entry of results) {
      assertType<MessageBatchIndividualResponse>(entry);
      switch (entry.result.type) {
        case 'succeeded':
          console.log(entry.custom_id, entry.result.message.content);
          break;
        case 'errored':
          console.log(entry.custom_id, entry.result.error.error.type, entry.result.error.error.message);
          break;
        case 'canceled':
        case 'expired':
          console.log(entry.custom_id, entry.result.type);
          break;
      }
    }
  }
  // The official SDK's one-liner form.
  for await (const entry of await client.messages.batches.results(batch.id)) {
    if (entry.result.type === 'succeeded') console.log(entry.result.message.usage.output_tokens);
  }

  for await (const each of client.messages.batches.list({ limit: 10 })) {
    assertType<MessageBatch>(each);
    console.log(each.results_url, each.ended_at);
  }
  const canceled = await client.messages.batches.cancel(batch.id);
  console.log(canceled.cancel_initiated_at);
  const deleted = await client.messages.batches.delete(batch.id);
  const deletedType: Equals<typeof deleted.type, 'message_batch_deleted'> = true;
  console.log(deleted.id, deletedType);

  const batchType: Anthropic.Messages.Batches.MessageBatch = current;
  console.log(batchType.archived_at);
}

// SDK 1.15's signatures: (id, params, options), header params in any request's params.
export async function oneXSignatures(client: import('anthropic-wasm').Anthropic, signal: AbortSignal): Promise<void> {
  await client.messages.batches.retrieve('msgbatch_1', { workspace_id: 'wrk_1' }, { signal });
  await client.messages.batches.cancel('msgbatch_1', {}, { timeout: 1000 });
  await client.messages.batches.delete('msgbatch_1', undefined, { headers: { 'x-a': '1' } });
  await client.messages.batches.results('msgbatch_1', { workspace_id: 'wrk_1' }, { signal });
  await client.models.retrieve('claude-opus-4-7', { workspace_id: 'wrk_1' });
  await client.models.list({ workspace_id: 'wrk_1', limit: 5 });
  await client.messages.create({ model: 'claude-opus-4-7', max_tokens: 16, messages: [], workspace_id: 'wrk_1', user_profile_id: 'up_1' });
  // @ts-expect-error the second argument is params: a number is neither
  await client.models.retrieve('claude-opus-4-7', 5);
}
