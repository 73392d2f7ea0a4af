import { GtmhubError } from '../../gtmhub/errors.js';
import { PersonFacingError } from '../../services/errors.js';
import { SlackPermanentError, SlackRateLimitedError } from '../../services/ports.js';
import { ChannelUnavailableError } from '../../services/summaries/ports.js';

const CHANNEL_PROBLEMS: Record<ChannelUnavailableError['problem'], string> = {
  channel_not_found: 'kr-checkin cannot see that channel (it was deleted, or it is private and the app is not in it).',
  is_archived: 'That channel is archived.',
  not_in_channel: 'kr-checkin is not in that channel. Add it with `/invite @kr-checkin` and try again.',
};

function describeGtmhub(error: GtmhubError): string {
  switch (error.status) {
    case 401:
      return 'Gtmhub did not accept kr-checkin\'s API token. Ask your admin to check GTMHUB_API_TOKEN.';
    case 402:
      return 'The Gtmhub account has no active subscription (payment required).';
    case 403:
      return `Gtmhub does not allow that for the account kr-checkin uses${error.gtmhubMessage ? `: ${error.gtmhubMessage}` : '.'}`;
    case 404:
      return 'Gtmhub does not know that item any more.';
    case 429:
      return 'Gtmhub is rate-limiting us right now. Please try again in a minute.';
    default:
      if (error.status === undefined || error.status >= 500) return 'Gtmhub is not answering right now. Please try again in a minute.';
      return error.gtmhubMessage ? `Gtmhub said: “${error.gtmhubMessage}”.` : 'Gtmhub refused the request.';
  }
}

/**
 * The one place that turns any error into words a Slack user can act on; never a stack trace or a
 * secret. Errors written for people (PersonFacingError) are shown as they are.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof PersonFacingError) return error.message;
  if (error instanceof GtmhubError) return describeGtmhub(error);
  if (error instanceof ChannelUnavailableError) return CHANNEL_PROBLEMS[error.problem];
  if (error instanceof SlackRateLimitedError) return 'Slack is rate-limiting kr-checkin right now. Please try again in a minute.';
  if (error instanceof SlackPermanentError) return `Slack refused it (${error.code}).`;
  return 'Something went wrong on our side; it has been logged. Please try again.';
}
