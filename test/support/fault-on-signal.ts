/**
 * Preloaded into a child app process (`--import`): on SIGUSR2 it throws from nowhere (an uncaught
 * exception) or rejects a promise nobody awaits, as INJECT_FAULT says. The message carries the bot
 * token, as a careless error from a library might.
 */
process.on('SIGUSR2', () => {
  const message = `injected fault while calling Slack with ${process.env.SLACK_BOT_TOKEN ?? ''}`;
  if (process.env.INJECT_FAULT === 'rejection') void Promise.reject(new Error(message));
  else throw new Error(message);
});
