/**
 * A recorded session (`render --session <dir> --queue …`) as a queued render's input. The coordinator copies
 * the files the session reader reads (header, audio, controls, mapping versions, frames, params) into the
 * render's folder, with the files its mapping versions name by a relative path, and the job carries each file's
 * sha256 and a hash over all of them: the session's content. A worker checks every file against it before it
 * reads the copy, then builds the same frame source the coordinator planned with — the replay through the
 * pipeline (its own analysis, controls and mapping swaps on the virtual clock) or the recorded params.
 *
 * The worker resolves the mappings' relative paths beside the copy, never where live loaded them: that path may
 * exist on a worker's machine and hold other files.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { UserError, describeError } from '../errors.js';
import { sessionMappingPath } from '../pipeline/replay.js';
import { FILES } from '../session/format.js';
import { readSession, type Session } from '../session/reader.js';
import { mappingAssets } from './mappingAssets.js';
import { fileSha256, sha256, SpecMismatch, type SessionSpec } from './spec.js';

/** The copy's folder inside the render's folder. */
export const SESSION_COPY = 'session';

export interface SessionSources {
  spec: SessionSpec;
  /** Where each file of the spec is read from on the coordinator. */
  from: Map<string, string>;
}

/** The session's files, hashed, and where they come from; nothing is written yet (the render's id needs the hash). */
export async function sessionSources(session: Session, recordedParams: boolean): Promise<SessionSources> {
  const from = new Map<string, string>();
  const own = [FILES.header, FILES.audio, FILES.controls, FILES.mappings, FILES.frames, FILES.params];
  for (const f of own) if (existsSync(join(session.dir, f))) from.set(f, join(session.dir, f));
  for (const m of session.mappings) {
    const rel = normalize(m.file);
    from.set(rel, join(session.dir, rel));
    // Files a version names beside itself (latent banks, mask images), from where the coordinator's replay reads them.
    const loaded = sessionMappingPath(session, m.file, m.source);
    for (const a of mappingAssets(loaded, m.text)) {
      const to = join(dirname(rel), a);
      const src = join(dirname(loaded), a);
      const had = from.get(to);
      if (had !== undefined && had !== src) throw new UserError(`--session ${session.dir}: mapping versions name two different files as ${a} (${had} and ${src}); give them distinct names to render on the queue`);
      from.set(to, src);
    }
  }
  const files: SessionSpec['files'] = [];
  for (const [file, src] of from) {
    try {
      files.push({ file, sha256: await fileSha256(src) });
    } catch (e) {
      throw new UserError(`--session ${session.dir}: cannot read ${src} (${(e as NodeJS.ErrnoException).code ?? describeError(e)})`);
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { spec: { dir: SESSION_COPY, sha256: contentSha256(files), files, recordedParams }, from };
}

const contentSha256 = (files: SessionSpec['files']): string => sha256(files.map((f) => `${f.file}\0${f.sha256}`).join('\n'));

/** Copies the session into the render's folder; a file already there with the same sha256 is kept (workers may read it). */
export async function copySession(dir: string, s: SessionSources): Promise<void> {
  for (const f of s.spec.files) {
    const to = join(dir, s.spec.dir, f.file);
    if (existsSync(to) && (await fileSha256(to)) === f.sha256) continue;
    await mkdir(dirname(to), { recursive: true });
    const tmp = `${to}.tmp-${process.pid}`;
    await copyFile(s.from.get(f.file)!, tmp);
    await rename(tmp, to);
  }
}

/** A worker's read of the copy: every file checked against the job first; a mismatch refuses the render. */
export async function openSessionCopy(dir: string, spec: SessionSpec): Promise<Session> {
  if (contentSha256(spec.files) !== spec.sha256) throw new SpecMismatch(`session: the job's file list does not hash to its content sha256 ${spec.sha256.slice(0, 12)}…`);
  const root = join(dir, spec.dir);
  for (const f of spec.files) {
    const file = join(root, f.file);
    let got: string;
    try {
      got = await fileSha256(file);
    } catch (e) {
      throw new SpecMismatch(`session ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? describeError(e)}); is --shared the folder the coordinator writes to?`);
    }
    if (got !== f.sha256) throw new SpecMismatch(`session ${file} has sha256 ${got.slice(0, 12)}…, the job says ${f.sha256.slice(0, 12)}… (a stale or foreign copy in the shared folder)`);
  }
  return readSession(root);
}
