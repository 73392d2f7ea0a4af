import type { App } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';

export function register(_app: App, _ctx: ListenerContext): void {}
