import type { App } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { CHECKIN_MODAL, EDIT_COMMENT_MODAL } from '../../ids.js';
import { checkInSubmission } from './checkin-submission.js';
import { editCommentSubmission } from './edit-comment.js';

export function register(app: App, ctx: ListenerContext): void {
  app.view<import('@slack/bolt').ViewSubmitAction>({ callback_id: CHECKIN_MODAL, type: 'view_submission' }, (args) => checkInSubmission(args, ctx));
  app.view<import('@slack/bolt').ViewSubmitAction>({ callback_id: EDIT_COMMENT_MODAL, type: 'view_submission' }, (args) =>
    editCommentSubmission(args, ctx),
  );
}
