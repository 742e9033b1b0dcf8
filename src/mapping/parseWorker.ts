/**
 * Parses and validates mapping text off the main thread (createMapper's hot reload). YAML parsing is linear but not
 * free: a large file saved mid-show would hold the frame loop for as long as the parse takes. One worker lives as
 * long as the mapper (loading yaml and zod takes longer than a typical parse); each request gets plain data back
 * (the validated spec) or the UserError's text.
 */
import { parentPort } from 'node:worker_threads';
import { parseMapping } from './load.js';
import { describeError, isUserError } from '../errors.js';

export interface ParseRequest {
  id: number;
  text: string;
  file: string;
}
export type ParseReply = { id: number } & ({ ok: true; spec: unknown } | { ok: false; error: string; user: boolean });

parentPort!.on('message', ({ id, text, file }: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id, ok: true, spec: parseMapping(text, file).spec };
  } catch (e) {
    reply = { id, ok: false, error: describeError(e), user: isUserError(e) };
  }
  parentPort!.postMessage(reply);
});
