/** `/kr whoami`: the Gtmhub person a Slack user is linked to, by name and email, and how. */
import type { OwnerLink } from '../../store/store.js';
import type { PeopleService } from './people-service.js';
import { displayNameOf, type UnmappedReason } from './people-types.js';

export type WhoAmI =
  | { mapped: false; reason: UnmappedReason }
  | { mapped: true; gtmhubUserId: string; name: string | null; email: string | null; source: OwnerLink['source'] };

export async function whoAmI(people: Pick<PeopleService, 'resolve' | 'gtmhubUsers'>, slackUserId: string): Promise<WhoAmI> {
  const owner = await people.resolve(slackUserId);
  if (!owner.mapped) return owner;
  const user = (await people.gtmhubUsers.byIds([owner.gtmhubUserId])).get(owner.gtmhubUserId);
  return {
    mapped: true,
    gtmhubUserId: owner.gtmhubUserId,
    name: owner.displayName ?? (user ? displayNameOf(user) : null),
    email: user?.email ?? owner.email,
    source: owner.source,
  };
}
