/**
 * Ableton Link with real peers: latentvj's control stage in this process, another Link peer (test/control/linkPeer.ts)
 * in a child process, discovering each other over the machine's own interfaces. Phases are compared on Link's clock
 * (the same system clock in both processes), so the figures do not depend on how fast the pipe between them is.
 * Without the optional binding the tests check the one-line hint instead (see docs/control.md for installing it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createControl, type Control } from '../../src/control/index.js';
import { LINK_PACKAGE, loadLink } from '../../src/control/link.js';
import { setLogSink } from '../../src/log.js';
import { quietFeatures } from '../helpers/features.js';

const PEER = fileURLToPath(new URL('./linkPeer.js', import.meta.url));
const QUANTUM = 4;

interface PeerReply {
  bpm: number;
  peers: number;
  barPhase: number;
  nowS: number;
}

class Peer {
  private readonly replies: Array<(r: PeerReply) => void> = [];
  private constructor(readonly proc: ChildProcessWithoutNullStreams) {}

  static async start(bpm: number): Promise<Peer> {
    const proc = spawn(process.execPath, [PEER, String(bpm)], { stdio: 'pipe' });
    const peer = new Peer(proc);
    const lines = createInterface({ input: proc.stdout });
    let ready: (() => void) | null = null;
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      proc.once('exit', (code) => reject(new Error(`Link peer exited with ${code}`)));
    });
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as PeerReply & { ready?: boolean; error?: string };
      if (msg.ready) ready?.();
      else peer.replies.shift()?.(msg);
    });
    await started;
    return peer;
  }

  ask(cmd: object): Promise<PeerReply> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    this.proc.stdin.end();
    return exited;
  }
}

/** Poll a condition on real sockets (peer discovery takes a few hundred ms); fails with what was last seen. */
async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 10000): Promise<T> {
  const end = performance.now() + timeoutMs;
  let v = await read();
  while (!ok(v)) {
    if (performance.now() > end) assert.fail(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

/**
 * How far (ms) latentvj's bar phase is from the peer's: our tempo is read, then our Link-clock time; the peer's
 * phase is moved to that time along the tempo, and the circular difference is converted to milliseconds.
 */
async function phaseGapMs(control: Control, peer: Peer): Promise<{ gapMs: number; ours: number; theirs: number }> {
  const t = control.mergeTempo(null)!;
  const session = control.tempo.link!.session;
  const oursS = session.timeForBeat(session.beat(), 1);
  const p = await peer.ask({ op: 'get' });
  const barsPerS = t.bpm / 60 / QUANTUM;
  let d = (t.barPhase - (p.barPhase + (oursS - p.nowS) * barsPerS)) % 1;
  if (d > 0.5) d -= 1;
  if (d < -0.5) d += 1;
  return { gapMs: Math.abs(d / barsPerS) * 1000, ours: t.bpm, theirs: p.bpm };
}

const binding = await loadLink();
const available = typeof binding !== 'string';
if (typeof binding !== 'string') binding.close();

test('without the Link binding, Link is off with one line saying how to add it', { skip: available && `${LINK_PACKAGE} is installed` }, async () => {
  assert.equal(typeof binding, 'string');
  assert.match(binding as string, /not installed; add it with sh tools\/install-link\.sh/);
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  const control = await createControl({ oscEnabled: false, link: { enabled: true } });
  try {
    assert.equal(control.tempo.link, null);
    assert.equal(lines.filter((l) => /Ableton Link off: .*sh tools\/install-link\.sh/.test(l)).length, 1);
  } finally {
    await control.close();
    restore();
  }
});

test('two Link peers on this machine: latentvj follows the session, then leads it (0.1 BPM, 5 ms)', { skip: !available && `${LINK_PACKAGE} is not installed` }, async (t) => {
  const restore = setLogSink({ write: () => undefined });
  const peer = await Peer.start(128);
  const control = await createControl({ oscEnabled: false, link: { enabled: true, quantum: QUANTUM } });
  try {
    await until('peers see each other', () => peer.ask({ op: 'get' }), (r) => r.peers >= 1);
    await until('latentvj sees the peer', () => control.tempo.link!.active(), (a) => a);

    // In: the other peer sets the tempo; Link leads latentvj's tempo.
    await peer.ask({ op: 'tempo', bpm: 131.5 });
    const followed = await until('latentvj follows 131.5 BPM', () => control.mergeTempo(null)!, (t) => Math.abs(t.bpm - 131.5) < 0.1);
    assert.equal(followed.source, 'link');
    assert.equal(control.status().tempo.leading, 'link');
    const inGap = await phaseGapMs(control, peer);
    assert.ok(Math.abs(inGap.ours - inGap.theirs) < 0.1, `tempo ${inGap.ours} vs ${inGap.theirs}`);
    assert.ok(inGap.gapMs < 5, `bar phase differs by ${inGap.gapMs.toFixed(3)} ms`);
    t.diagnostic(`following: ${inGap.ours.toFixed(3)} vs ${inGap.theirs.toFixed(3)} BPM, bar phase ${inGap.gapMs.toFixed(3)} ms apart`);
    // The session's values are control sources too (control:link:bpm …), refreshed as each analysis record's tempo is merged.
    assert.equal(control.mergeTempo(quietFeatures(0).tempo)!.source, 'link');
    assert.ok(Math.abs(control.store.state.values.get('link:bpm')! - 131.5) < 0.1);
    assert.ok(control.store.state.values.get('link:peers')! >= 1);
    const barPhase = control.store.state.values.get('link:barPhase')!;
    assert.ok(barPhase >= 0 && barPhase < 1);

    // Out: a tempo told to latentvj (OSC leads before Link) goes out to the session, with its phase.
    control.apply({ type: 'tempo', bpm: 97.25 }, 'test');
    assert.equal(control.status().tempo.leading, 'osc');
    const led = await until('the peer follows 97.25 BPM', () => peer.ask({ op: 'get' }), (r) => Math.abs(r.bpm - 97.25) < 0.1);
    assert.ok(Math.abs(led.bpm - 97.25) < 0.1);
    const outGap = await until('the peer takes latentvj\'s bar phase', () => phaseGapMs(control, peer), (g) => g.gapMs < 5);
    assert.ok(Math.abs(outGap.ours - outGap.theirs) < 0.1, `tempo ${outGap.ours} vs ${outGap.theirs}`);
    assert.ok(control.tempo.link!.sent > 0);
    t.diagnostic(`leading: ${outGap.ours.toFixed(3)} vs ${outGap.theirs.toFixed(3)} BPM, bar phase ${outGap.gapMs.toFixed(3)} ms apart`);
  } finally {
    await control.close();
    const code = await peer.stop();
    restore();
    assert.equal(code, 0, 'the peer process ends cleanly');
  }
});
