import { GtmhubError } from '../../gtmhub/errors.js';
import { InvalidInputError, NotAllowedError } from '../../services/owners.js';
import { CheckInInputError, CheckInNotAllowedError, CheckInNotFoundError } from '../../services/checkins.js';

/** A failure in words a Slack user can act on; never a stack trace or a secret. */
export function describeFailure(error: unknown): string {
  if (error instanceof NotAllowedError || error instanceof InvalidInputError) return error.message;
  if (error instanceof CheckInNotFoundError || error instanceof CheckInNotAllowedError || error instanceof CheckInInputError) return error.message;
  if (error instanceof GtmhubError) {
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
  return 'Something went wrong on our side; it has been logged. Please try again.';
}
