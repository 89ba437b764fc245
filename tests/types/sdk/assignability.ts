// The core types of this package and SDK 1.15's, assignable both ways: a value typed for one
// passes where the other is expected (they are its declarations: scripts/sdk-types.mjs).
import type * as Ours from 'anthropic-wasm';
import type Sdk from '@anthropic-ai/sdk';

/** true when A and B are assignable to each other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const mutual: Array<true> = [
  true as Mutual<Ours.Message, Sdk.Message>,
  true as Mutual<Ours.MessageParam, Sdk.MessageParam>,
  true as Mutual<Ours.ContentBlock, Sdk.ContentBlock>,
  true as Mutual<Ours.ContentBlockParam, Sdk.ContentBlockParam>,
  true as Mutual<Ours.TextBlock, Sdk.TextBlock>,
  true as Mutual<Ours.ToolUseBlock, Sdk.ToolUseBlock>,
  true as Mutual<Ours.ToolResultBlockParam, Sdk.ToolResultBlockParam>,
  true as Mutual<Ours.ImageBlockParam, Sdk.ImageBlockParam>,
  true as Mutual<Ours.DocumentBlockParam, Sdk.DocumentBlockParam>,
  true as Mutual<Ours.Tool, Sdk.Tool>,
  true as Mutual<Ours.ToolUnion, Sdk.ToolUnion>,
  true as Mutual<Ours.ToolChoice, Sdk.ToolChoice>,
  true as Mutual<Ours.MessageCreateParams, Sdk.MessageCreateParams>,
  true as Mutual<Ours.MessageCreateParamsNonStreaming, Sdk.MessageCreateParamsNonStreaming>,
  true as Mutual<Ours.MessageCreateParamsStreaming, Sdk.MessageCreateParamsStreaming>,
  true as Mutual<Ours.MessageCountTokensParams, Sdk.MessageCountTokensParams>,
  true as Mutual<Ours.RawMessageStreamEvent, Sdk.RawMessageStreamEvent>,
  true as Mutual<Ours.RawContentBlockDelta, Sdk.RawContentBlockDelta>,
  true as Mutual<Ours.Usage, Sdk.Usage>,
  true as Mutual<Ours.StopReason, Sdk.StopReason>,
  true as Mutual<Ours.Model, Sdk.Model>,
  true as Mutual<Ours.ThinkingConfigParam, Sdk.ThinkingConfigParam>,
  true as Mutual<Ours.OutputConfig, Sdk.OutputConfig>,
  true as Mutual<Ours.MessageBatch, Sdk.Messages.MessageBatch>,
  true as Mutual<Ours.MessageBatchIndividualResponse, Sdk.Messages.MessageBatchIndividualResponse>,
  true as Mutual<Ours.BatchCreateParams, Sdk.Messages.BatchCreateParams>,
  true as Mutual<Ours.ModelInfo, Sdk.ModelInfo>,
  true as Mutual<Ours.FileMetadata, Sdk.FileMetadata>,
  true as Mutual<Ours.ErrorResponse, Sdk.ErrorResponse>,
  true as Mutual<Ours.BetaAPI.BetaMessage, Sdk.Beta.BetaMessage>,
  true as Mutual<Ours.BetaAPI.MessageCreateParams, Sdk.Beta.MessageCreateParams>,
  true as Mutual<Ours.BetaAPI.BetaRawMessageStreamEvent, Sdk.Beta.BetaRawMessageStreamEvent>,
  true as Mutual<Ours.BetaAPI.BetaMessageBatch, Sdk.Beta.Messages.BetaMessageBatch>,
  true as Mutual<Ours.BetaAPI.BetaFileMetadata, Sdk.Beta.BetaFileMetadata>,
  true as Mutual<Ours.BetaAPI.BetaModelInfo, Sdk.Beta.BetaModelInfo>,
];
