/** callback_id, block_id and action_id values shared by block builders and listeners. */
export const CHECKIN_MODAL = 'checkin_modal';
export const EDIT_COMMENT_MODAL = 'checkin_edit_comment_modal';

export const BLOCK = {
  keyResult: 'kr',
  value: 'value',
  confidence: 'confidence',
  comment: 'comment',
} as const;

export const ACTION = {
  selectKeyResult: 'kr_select',
  value: 'value_input',
  confidence: 'confidence_select',
  comment: 'comment_input',
  retryLoad: 'checkin_retry_load',
  startOver: 'checkin_start_over',
  /** After a search that matched nothing: the form with all of the person's key results. */
  showAll: 'checkin_show_all',
  openCheckIn: 'checkin_open',
  viewCheckIn: 'checkin_view',
  editComment: 'checkin_edit_comment',
  undoCheckIn: 'checkin_undo',
} as const;
