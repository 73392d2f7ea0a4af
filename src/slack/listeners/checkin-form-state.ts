import type { ViewSubmitAction } from '@slack/bolt';
import type { RawCheckInInput } from '../../services/checkin-input.js';
import { ACTION, BLOCK } from '../ids.js';

type ViewState = ViewSubmitAction['view']['state']['values'];

/** Reads the check-in form's inputs as text; nothing here is trusted yet. */
export function readCheckInState(values: ViewState): RawCheckInInput {
  const kr = values[BLOCK.keyResult]?.[ACTION.selectKeyResult];
  return {
    metricId: kr?.selected_option?.value ?? null,
    value: values[BLOCK.value]?.[ACTION.value]?.value ?? null,
    confidence: values[BLOCK.confidence]?.[ACTION.confidence]?.selected_option?.value ?? null,
    comment: values[BLOCK.comment]?.[ACTION.comment]?.value ?? null,
  };
}
