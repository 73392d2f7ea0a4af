import { openCreateKeyResult, openObjectives } from '../key-result-admin-modals.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';
import type { Subcommand } from './subcommand.js';

export const newKeyResultSubcommand: Subcommand = {
  name: 'new',
  usage: 'new [objective words]',
  description: 'add a key result to an objective you own',
  async run({ ack, command, client, respond }, ctx, rest) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'open the new key result form'), () =>
      openCreateKeyResult(client, ctx, command.trigger_id, command.user_id, rest.trim()),
    );
  },
};

export const objectivesSubcommand: Subcommand = {
  name: 'objectives',
  usage: 'objectives',
  description: 'close or reopen objectives you own',
  async run({ ack, command, client, respond }, ctx) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'list your objectives'), () => openObjectives(client, ctx, command.trigger_id, command.user_id));
  },
};
