import { formatProblem, validateMessageBlocks } from './block-kit-validator.js';
import type { RecordedCall } from './types.js';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS, type Workspace } from './workspace.js';

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * A post to a response_url: 5 uses within 30 minutes; `response_type` ephemeral (default) or in_channel,
 * `replace_original` / `delete_original` act on the message the interaction came from.
 */
export function handleResponseUrlPost(ws: Workspace, path: string, payload: Json | undefined, calls: RecordedCall[]): ResponseUrlAnswer {
  const answer = (status: number, body: Record<string, unknown>): ResponseUrlAnswer => {
    const call: RecordedCall = { method: 'response_url', args: { ...(payload ?? {}), url: path }, ok: body.ok === true, at: ws.now() };
    if (typeof body.error === 'string') call.error = body.error;
    calls.push(call);
    return { status, body };
  };
  const record = ws.responseUrls.get(path);
  if (!record) return answer(404, { ok: false, error: 'invalid_token' });
  if (ws.now() - record.createdAt > RESPONSE_URL_TTL_MS) return answer(404, { ok: false, error: 'expired_url' });
  if (record.uses >= RESPONSE_URL_MAX_USES) return answer(404, { ok: false, error: 'used_url' });
  if (!payload) return answer(400, { ok: false, error: 'invalid_payload' });

  const source = record.source;
  const original = source && !source.ephemeral ? ws.findMessage(source.channel, source.ts) : undefined;
  const originalEphemeral = source?.ephemeral ? ws.ephemeralsOf(record.userId).find((e) => e.ts === source.ts && e.channel === source.channel) : undefined;

  if (flag(payload.delete_original)) {
    if (original) ws.deleteMessage(original);
    else if (originalEphemeral) ws.deleteEphemeral(originalEphemeral);
    else return answer(404, { ok: false, error: 'message_not_found' });
    record.uses += 1;
    return answer(200, { ok: true });
  }

  const text = typeof payload.text === 'string' ? payload.text : '';
  let blocks: unknown = payload.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return answer(400, { ok: false, error: 'invalid_blocks_format' });
    }
  }
  if (blocks !== undefined && !Array.isArray(blocks)) return answer(400, { ok: false, error: 'invalid_blocks_format' });
  if (Array.isArray(blocks)) {
    const problems = validateMessageBlocks(blocks);
    if (problems.length > 0) {
      return answer(400, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems.map(formatProblem) } });
    }
  }
  if (text === '' && blocks === undefined) return answer(400, { ok: false, error: 'no_text' });
  const blockList = blocks as unknown[] | undefined;

  if (flag(payload.replace_original) && (original || originalEphemeral)) {
    if (original) ws.updateMessage(original, { text, blocks: blockList ?? [] });
    else if (originalEphemeral) ws.replaceEphemeral(originalEphemeral, { text, blocks: blockList });
    record.uses += 1;
    return answer(200, { ok: true });
  }

  const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
  if (payload.response_type === 'in_channel') {
    ws.postMessage({ channel: record.channelId, user: ws.bot.userId, text, blocks: blockList, ...(threadTs ? { threadTs } : {}) });
  } else {
    // A command's response_url has no message to replace: each post is a new ephemeral (see slack-client.ts).
    ws.postEphemeral({ user: record.userId, channel: record.channelId, text, blocks: blockList, source: 'response_url', ...(threadTs ? { threadTs } : {}) });
  }
  record.uses += 1;
  return answer(200, { ok: true });
}
