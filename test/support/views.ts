/** Waiting on what a person sees in the Slack emulator's modals. */
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { eventually, type Harness } from './harness.js';

const textOf = (view: ViewSnapshot) => JSON.stringify(view.blocks ?? []);

/** The person's top modal once it shows `what` (text in its blocks, or a test of the view). */
export function topWith(h: Harness, user: string, what: string | ((v: ViewSnapshot) => boolean), label = 'a view', timeoutMs = 5000): Promise<ViewSnapshot> {
  return eventually(() => {
    const view = h.slack.openViews(user).at(-1);
    if (!view) return undefined;
    return (typeof what === 'string' ? textOf(view).includes(what) : what(view)) ? view : undefined;
  }, timeoutMs, label);
}
