import type { ChannelProblem } from '../services/summaries/ports.js';

/** Why a summary subscription was paused, completing "…is paused: <reason>". */
export const PAUSE_REASONS: Record<ChannelProblem, string> = {
  channel_not_found: 'the channel no longer exists, or I can no longer see it',
  is_archived: 'the channel was archived',
  not_in_channel: 'I am no longer a member of the channel',
};
