import { MAX_COMMENT_LENGTH } from './limits.js';

/** The one comment-length rule: what to tell the person when the comment is too long, else null. */
export function commentLengthProblem(comment: string): string | null {
  return comment.length > MAX_COMMENT_LENGTH ? `The comment is too long: ${comment.length} characters, at most ${MAX_COMMENT_LENGTH}.` : null;
}
