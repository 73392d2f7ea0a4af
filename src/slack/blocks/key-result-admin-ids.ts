/** callback_id and action_id values of the key-result management surfaces (builders and listeners share them). */
export const KR_ADMIN_VIEW = {
  create: 'kr_admin_create',
  edit: 'kr_admin_edit',
  delete: 'kr_admin_delete',
  history: 'kr_admin_history',
  editCheckInComment: 'kr_admin_edit_checkin_comment',
  closeObjective: 'kr_admin_close_objective',
} as const;

export const KR_ADMIN_ACTION = {
  /** The overflow menu on a key-result row: values `edit:<id>`, `history:<id>`, `delete:<id>`. */
  menu: 'kr_admin_menu',
  newKeyResult: 'kr_admin_new',
  /** Redo an edit from what Gtmhub holds now (conflict view). */
  reloadEdit: 'kr_admin_reload_edit',
  historyEditComment: 'kr_admin_history_edit_comment',
  historyDelete: 'kr_admin_history_delete',
  closeObjective: 'kr_admin_close_objective',
  reopenObjective: 'kr_admin_reopen_objective',
  manageObjectives: 'kr_admin_manage_objectives',
  /** A summary's "Nudge…" select (value: a key result id) or a card's Nudge button. */
  nudge: 'kr_admin_nudge',
  /** A summary's "Close or reopen…" select (value: an objective id). */
  objectiveFromSummary: 'kr_admin_objective_from_summary',
} as const;

export type MenuChoice = 'edit' | 'history' | 'delete';

export function menuValue(choice: MenuChoice, metricId: string): string {
  return `${choice}:${metricId}`;
}

export function parseMenuValue(value: string | undefined): { choice: MenuChoice; metricId: string } | null {
  const match = /^(edit|history|delete):([0-9a-f]{24})$/.exec(value ?? '');
  return match ? { choice: match[1] as MenuChoice, metricId: match[2]! } : null;
}
