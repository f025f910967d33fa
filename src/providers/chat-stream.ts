/**
 * A streamed chat answer (`stream: true`, usage asked for in the last chunk) put back together as one
 * ChatResponse, each piece of text told to `onDelta` as it arrives. Only opening the stream may be
 * retried: once text has been told, a retry would tell it twice.
 */
import type OpenAI from 'openai';
import type { ChatResponse } from './types.js';

type ChunkStream = AsyncIterable<OpenAI.Chat.ChatCompletionChunk>;

export async function collectChatStream(stream: ChunkStream, onDelta: (text: string) => void): Promise<ChatResponse> {
  let content = '';
  let finishReason = 'unknown';
  let usage: ChatResponse['usage'];
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const piece = choice?.delta?.content;
    if (piece) {
      content += piece;
      onDelta(piece);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
  }
  return { content, finishReason, usage };
}
