import { DEFAULT_CONFIDENCE_SETTINGS, OTHER_ACCOUNT_STATUS } from '../guesses.js';
import { HttpError, badRequest } from '../http-error.js';
import { isObjectId } from '../object-id.js';
import type { Handler } from '../router.js';

/** GET /v1/accounts/{id} — the Accounts reference: name, domain, settings, `confidenceSettings`. */
export const getAccount: Handler = (ctx) => {
  const id = ctx.params.id!;
  if (!isObjectId(id)) throw badRequest(`invalid account id "${id}": expected a 24-hex ObjectId`);
  const { accountId, account = {} } = ctx.model.state;
  if (id !== accountId) throw new HttpError(OTHER_ACCOUNT_STATUS, `account ${id} is not the account of this token`);
  return {
    status: 200,
    body: {
      id: accountId,
      name: account.name ?? 'Emulated account',
      domain: account.domain ?? 'emulator',
      confidenceSettings: account.confidenceSettings ?? DEFAULT_CONFIDENCE_SETTINGS,
    },
  };
};
