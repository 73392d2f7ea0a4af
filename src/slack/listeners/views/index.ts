import type { App, ViewSubmitAction } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { REMINDER_SETTINGS_MODAL } from '../../blocks/reminder-settings-modal.js';
import { CHECKIN_MODAL, EDIT_COMMENT_MODAL } from '../../ids.js';
import { checkInSubmission } from './checkin-submission.js';
import { editCommentSubmission } from './edit-comment.js';
import { registerKeyResultAdminViews } from './key-result-admin-views.js';
import { reminderSettingsSubmission } from './reminder-settings.js';

export function register(app: App, ctx: ListenerContext): void {
  app.view<ViewSubmitAction>({ callback_id: CHECKIN_MODAL, type: 'view_submission' }, (args) => checkInSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: EDIT_COMMENT_MODAL, type: 'view_submission' }, (args) => editCommentSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: REMINDER_SETTINGS_MODAL, type: 'view_submission' }, (args) => reminderSettingsSubmission(args, ctx));
  registerKeyResultAdminViews(app, ctx);
}
