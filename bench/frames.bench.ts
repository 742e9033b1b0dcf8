/**
 * Frame transport over loopback: frames per second and MB/s that reach a ws client on /frames for 256², 512²
 * and 1024² RGBA, through the real EngineServer + outputs stage (encode, latest-only broadcaster, ws). The
 * peer, measured in the same run, is a raw TCP socket carrying the same encoded bytes with the same
 * newest-wins policy: the ratio is what ws framing and the broadcaster cost over the bare socket.
 *
 * The receiving side runs in a worker thread (as a display runs in another process); the engine side offers
 * one frame per event-loop turn, as fast as it can, and the transport delivers what it can sustain.
 */
import net from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { EngineServer } from '../src/output/server.js';
import { createOutputs } from '../src/output/outputs.js';
import { encodeFrameInto, frameMessageBytes } from '../src/output/protocol.js';
import type { Frame } from '../src/generator/types.js';
import { setLogLevel } from '../src/log.js';

const SIDES = [256, 512, 1024];
const RUN_MS = 1200;

interface ReceiverJob {
  kind: 'ws' | 'tcp';
  url: string;
  port: number;
  messageBytes: number;
}

interface Counts {
  frames: number;
  bytes: number;
}

// ---- receiver (worker thread) ----
function receive(job: ReceiverJob): void {
  const counts: Counts = { frames: 0, bytes: 0 };
  parentPort!.on('message', (m: string) => {
    if (m === 'report') parentPort!.postMessage({ ...counts });
    if (m === 'reset') counts.frames = counts.bytes = 0;
  });
  if (job.kind === 'ws') {
    const ws = new WebSocket(job.url);
    ws.on('message', (d: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      counts.frames += 1;
      counts.bytes += d.length;
    });
    ws.on('open', () => parentPort!.postMessage('ready'));
  } else {
    const s = net.connect(job.port, '127.0.0.1', () => parentPort!.postMessage('ready'));
    let inMessage = 0;
    s.on('data', (d: Buffer) => {
      counts.bytes += d.length;
      inMessage += d.length;
      while (inMessage >= job.messageBytes) {
        inMessage -= job.messageBytes;
        counts.frames += 1;
      }
    });
  }
}

// ---- engine side ----
function frameOf(side: number, n: number, rgba: Uint8Array): Frame {
  const t = performance.now();
  return { frame: n, width: side, height: side, rgba, stamps: { audioT: n / 30, paramsAt: t, inferStart: t, inferEnd: t, sentAt: t } };
}

async function startReceiver(job: ReceiverJob): Promise<{ worker: Worker; report(): Promise<Counts>; reset(): void }> {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: job });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
  });
  return {
    worker,
    reset: () => worker.postMessage('reset'),
    report: () =>
      new Promise<Counts>((resolve) => {
        worker.once('message', (m: Counts) => resolve(m));
        worker.postMessage('report');
      }),
  };
}

/** Offers one frame per event-loop turn for RUN_MS; returns offers made. */
async function pump(offer: (n: number) => void): Promise<number> {
  const end = performance.now() + RUN_MS;
  let n = 0;
  while (performance.now() < end) {
    offer(n++);
    await new Promise((r) => setImmediate(r));
  }
  return n;
}

async function measureWs(side: number): Promise<Counts & { offers: number; seconds: number }> {
  const server = new EngineServer({ host: '127.0.0.1', port: 0 });
  const outputs = createOutputs(server);
  await server.listen();
  const rgba = new Uint8Array(side * side * 4).map((_, i) => i & 255);
  const rx = await startReceiver({ kind: 'ws', url: server.url('/frames').replace('http', 'ws'), port: 0, messageBytes: frameMessageBytes(side, side) });
  // Let the hello/post messages pass, then count only frames.
  await new Promise((r) => setTimeout(r, 50));
  rx.reset();
  const t0 = performance.now();
  const offers = await pump((n) => outputs.frame(frameOf(side, n, rgba)));
  const counts = await rx.report();
  const seconds = (performance.now() - t0) / 1000;
  await rx.worker.terminate();
  await outputs.close();
  await server.close();
  return { ...counts, offers, seconds };
}

async function measureTcp(side: number): Promise<Counts & { offers: number; seconds: number }> {
  const bytes = frameMessageBytes(side, side);
  const rgba = new Uint8Array(side * side * 4).map((_, i) => i & 255);
  let peer: net.Socket | null = null;
  const server = net.createServer((s) => {
    peer = s;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const rx = await startReceiver({ kind: 'tcp', url: '', port, messageBytes: bytes });
  while (!peer) await new Promise((r) => setTimeout(r, 5));
  const socket: net.Socket = peer;
  // Same policy as the broadcaster: one message in flight, the newest waits, older ones are dropped.
  const pool = [Buffer.allocUnsafe(bytes), Buffer.allocUnsafe(bytes), Buffer.allocUnsafe(bytes)];
  let inflight: Buffer | null = null;
  let pending: Buffer | null = null;
  let stopped = false;
  socket.on('error', () => undefined); // the receiver goes away at the end of the case
  const write = (b: Buffer) => {
    inflight = b;
    socket.write(b, () => {
      inflight = null;
      if (pending && !stopped) {
        const p = pending;
        pending = null;
        write(p);
      }
    });
  };
  const t0 = performance.now();
  const offers = await pump((n) => {
    const f = frameOf(side, n, rgba);
    // Three buffers: one in flight, one pending, one free to fill (never one the socket still holds).
    const b = pool.find((x) => x !== inflight && x !== pending)!;
    encodeFrameInto(b, { frame: f.frame, width: side, height: side, ...f.stamps, sentAt: f.stamps.inferEnd }, rgba);
    if (inflight) pending = b;
    else write(b);
  });
  stopped = true;
  const counts = await rx.report();
  const seconds = (performance.now() - t0) / 1000;
  await rx.worker.terminate();
  socket.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return { ...counts, offers, seconds };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  console.log(`frames over loopback, ${RUN_MS} ms per case, newest-wins; receiver in a worker thread`);
  console.log('size       ws fps    ws MB/s   tcp fps   tcp MB/s   ws/tcp   engine offers/s (ws)');
  for (const side of SIDES) {
    const ws = await measureWs(side);
    const tcp = await measureTcp(side);
    const wsMBs = ws.bytes / ws.seconds / 1e6;
    const tcpMBs = tcp.bytes / tcp.seconds / 1e6;
    console.log(
      `${`${side}²`.padEnd(9)} ${(ws.frames / ws.seconds).toFixed(1).padStart(7)} ${wsMBs.toFixed(1).padStart(10)} ` +
        `${(tcp.frames / tcp.seconds).toFixed(1).padStart(9)} ${tcpMBs.toFixed(1).padStart(10)} ` +
        `${(wsMBs / tcpMBs).toFixed(2).padStart(8)} ${(ws.offers / ws.seconds).toFixed(0).padStart(12)}`,
    );
  }
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  receive(workerData as ReceiverJob);
}
