/**
 * The output page (/output): what the audience sees. Receives frames on /frames, uploads each into one
 * existing texture, and draws it at display size with bicubic upscaling, aspect fit/fill/stretch, trails,
 * scene crossfades, colour post and the blackout/freeze panic buttons (shaders/*.glsl). Keeps the last good
 * picture when the engine goes away and reconnects by itself. Reports when each frame reached the screen.
 *
 * URL options: ?fit=fit|fill|stretch  ?debug=1 (shows a status line)
 */
import createREGL from 'regl';
import type REGL from 'regl';
import vert from '../../../shaders/fullscreen.vert.glsl';
import composeFrag from '../../../shaders/compose.frag.glsl';
import presentFrag from '../../../shaders/present.frag.glsl';
import copyFrag from '../../../shaders/copy.frag.glsl';
import {
  checkFrameMessage,
  emptyFrameHeader,
  FRAME_HEADER_BYTES,
  neutralPost,
  readFrameHeader,
  type DisplayPost,
  type FramesServerMessage,
} from '../protocol.js';
import { ClockSync, ReconnectingSocket } from './socket.js';

type Fit = 'fit' | 'fill' | 'stretch';

const params = new URLSearchParams(location.search);
const fit: Fit = (['fit', 'fill', 'stretch'] as const).find((f) => f === params.get('fit')) ?? 'fit';
const debug = params.get('debug') === '1';

/** What tests and the curious can read: window.latentvjOutput. */
export interface OutputPageState {
  connected: boolean;
  framesReceived: number;
  framesDrawn: number;
  /** Frames that arrived while a newer one was already waiting for the next animation frame. */
  framesSkipped: number;
  lastFrame: number;
  /** Newest frame number received (drawn or not). */
  lastReceived: number;
  width: number;
  height: number;
  post: DisplayPost;
  errors: string[];
  fit: Fit;
}

const state: OutputPageState = {
  connected: false,
  framesReceived: 0,
  framesDrawn: 0,
  framesSkipped: 0,
  lastFrame: -1,
  lastReceived: -1,
  width: 0,
  height: 0,
  post: neutralPost(),
  errors: [],
  fit,
};
(window as unknown as { latentvjOutput: OutputPageState }).latentvjOutput = state;

const canvas = document.getElementById('screen') as HTMLCanvasElement;
const status = document.getElementById('status') as HTMLDivElement;

const regl = createREGL({
  canvas,
  attributes: { alpha: false, antialias: false, depth: false, stencil: false, preserveDrawingBuffer: false },
});

/** The model's frame: reallocated only when the resolution changes, otherwise updated with subimage. */
let frameTex = regl.texture({ width: 1, height: 1, min: 'nearest', mag: 'nearest', wrap: 'clamp' });
const makeFbo = () =>
  regl.framebuffer({
    color: regl.texture({ width: 1, height: 1, min: 'linear', mag: 'linear', wrap: 'clamp' }),
    depthStencil: false,
  });
/** Ping-pong composed pictures (trails read the previous one) and the crossfade snapshot, at display size. */
const composed = [makeFbo(), makeFbo()];
const snapshotFbo = makeFbo();
let current = 0;

const quad = regl.buffer([-1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1]);

interface ComposeProps {
  previous: REGL.Framebuffer2D;
  target: REGL.Framebuffer2D;
}

// Declared once; per draw only the dynamic props and the uniforms read from `view` are evaluated.
const view = {
  frameSize: [1, 1],
  hasFrame: 0,
  uvScale: [1, 1],
  uvOffset: [0, 0],
  fade: 0,
};

const compose = regl<Record<string, REGL.Uniform | REGL.Texture2D | REGL.Framebuffer2D>, Record<string, REGL.Attribute>, ComposeProps>({
  vert,
  frag: composeFrag,
  attributes: { position: quad },
  count: 6,
  framebuffer: regl.prop<ComposeProps, 'target'>('target'),
  uniforms: {
    frame: () => frameTex,
    frameSize: () => view.frameSize,
    hasFrame: () => view.hasFrame,
    uvScale: () => view.uvScale,
    uvOffset: () => view.uvOffset,
    previous: regl.prop<ComposeProps, 'previous'>('previous'),
    trails: () => state.post.trails,
    snapshot: () => snapshotFbo,
    fade: () => view.fade,
  },
  depth: { enable: false },
});

const present = regl<Record<string, REGL.Uniform | REGL.Framebuffer2D>, Record<string, REGL.Attribute>, { source: REGL.Framebuffer2D }>({
  vert,
  frag: presentFrag,
  attributes: { position: quad },
  count: 6,
  uniforms: {
    composed: regl.prop<{ source: REGL.Framebuffer2D }, 'source'>('source'),
    brightness: () => state.post.brightness,
    contrast: () => state.post.contrast,
    hueShift: () => state.post.hueShift,
    blackout: () => (state.post.blackout ? 1 : 0),
  },
  depth: { enable: false },
});

const copy = regl<Record<string, REGL.Framebuffer2D>, Record<string, REGL.Attribute>, { source: REGL.Framebuffer2D; target: REGL.Framebuffer2D }>({
  vert,
  frag: copyFrag,
  attributes: { position: quad },
  count: 6,
  framebuffer: regl.prop<{ source: REGL.Framebuffer2D; target: REGL.Framebuffer2D }, 'target'>('target'),
  uniforms: { source: regl.prop<{ source: REGL.Framebuffer2D; target: REGL.Framebuffer2D }, 'source'>('source') },
  depth: { enable: false },
});

const composeProps: ComposeProps = { previous: composed[0]!, target: composed[1]! };
const presentProps = { source: composed[0]! };
const copyProps = { source: composed[0]!, target: snapshotFbo };

// ---- display size and aspect mapping ----
let displayW = 0;
let displayH = 0;

function updateAspect(): void {
  const w = state.width || 1;
  const h = state.height || 1;
  view.frameSize[0] = w;
  view.frameSize[1] = h;
  let sx = displayW / w;
  let sy = displayH / h;
  if (fit === 'fit') sx = sy = Math.min(sx, sy);
  else if (fit === 'fill') sx = sy = Math.max(sx, sy);
  // Display uv → frame uv: the picture spans w·sx of the displayW pixels, centred.
  view.uvScale[0] = displayW / (w * sx);
  view.uvScale[1] = displayH / (h * sy);
  view.uvOffset[0] = -(displayW - w * sx) / (2 * w * sx);
  view.uvOffset[1] = -(displayH - h * sy) / (2 * h * sy);
}

function resize(): boolean {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (w === displayW && h === displayH) return false;
  displayW = w;
  displayH = h;
  canvas.width = w;
  canvas.height = h;
  for (const f of composed) f.resize(w, h);
  snapshotFbo.resize(w, h);
  updateAspect();
  return true;
}

// ---- frames in ----
const header = emptyFrameHeader();
/** The newest undrawn frame; an older undrawn one is replaced (never queued). */
let pending: ArrayBuffer | null = null;
const clock = new ClockSync();

interface Shown {
  frame: number;
  audioT: number;
  sentAt: number;
  receivedAt: number;
}
/** The frame drawn in the last animation frame, reported as presented at the next one. */
let awaitingPresent: Shown | null = null;
let pendingReceivedAt = 0;

function showStatus(text: string): void {
  status.textContent = text;
  status.style.display = text ? 'block' : 'none';
}

const socket = new ReconnectingSocket({
  path: '/frames',
  onOpen: () => {
    state.connected = true;
    clock.reset();
    for (let i = 0; i < 5; i++) setTimeout(() => clock.ping((t) => socket.send(t)), i * 50);
    if (state.framesReceived === 0) showStatus('connected, waiting for frames');
  },
  onClose: () => {
    state.connected = false;
    // The last good picture stays; only a page that never had one says why it is black.
    if (state.framesReceived === 0 || debug) showStatus('engine not reachable, retrying');
  },
  onText: (text) => {
    let msg: FramesServerMessage;
    try {
      msg = JSON.parse(text) as FramesServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'post') onPost(msg.post);
    else if (msg.type === 'pong') clock.onPong(msg.pageT, msg.engineNow);
  },
  onBinary: (data) => {
    const why = checkFrameMessage(data);
    if (why) {
      if (state.errors.length < 10) state.errors.push(why);
      return;
    }
    state.framesReceived += 1;
    if (pending) state.framesSkipped += 1;
    pending = data;
    state.lastReceived = new DataView(data, 8, 4).getUint32(0, true);
    pendingReceivedAt = performance.now();
  },
});
setInterval(() => clock.ping((t) => socket.send(t)), 2000);

let sceneChanged = false;

function onPost(post: DisplayPost): void {
  if (post.scene !== state.post.scene && state.framesDrawn > 0) sceneChanged = true;
  state.post = post;
  dirty = true;
}

// ---- draw loop ----
let dirty = true;

function uploadPending(): Shown | null {
  if (!pending || state.post.freeze) return null; // freeze: keep showing the picture we have
  const bytes = new Uint8Array(pending);
  readFrameHeader(bytes, header);
  const pixels = new Uint8Array(pending, FRAME_HEADER_BYTES);
  if (header.width !== state.width || header.height !== state.height) {
    // A new model resolution: the one reallocation; every other frame goes through subimage.
    frameTex.destroy();
    frameTex = regl.texture({
      width: header.width,
      height: header.height,
      format: 'rgba',
      type: 'uint8',
      min: 'nearest',
      mag: 'nearest',
      wrap: 'clamp',
      data: pixels,
    });
    state.width = header.width;
    state.height = header.height;
    updateAspect();
  } else {
    frameTex.subimage({ data: pixels, width: header.width, height: header.height });
  }
  pending = null;
  view.hasFrame = 1;
  state.lastFrame = header.frame;
  return { frame: header.frame, audioT: header.audioT, sentAt: header.sentAt, receivedAt: pendingReceivedAt };
}

function tick(nowMs: number): void {
  try {
    // The picture drawn in the previous animation frame is on screen now: report it.
    if (awaitingPresent && clock.synced) {
      socket.send(
        JSON.stringify({
          type: 'presented',
          frame: awaitingPresent.frame,
          audioT: awaitingPresent.audioT,
          sentAt: awaitingPresent.sentAt,
          receivedAt: clock.toEngine(awaitingPresent.receivedAt),
          presentedAt: clock.toEngine(nowMs),
          skipped: state.framesSkipped,
        }),
      );
    }
    awaitingPresent = null;
    if (resize()) dirty = true;
    regl.poll(); // regl's default viewport follows the canvas only when polled (we do not use regl.frame)
    const shown = uploadPending();
    if (shown) dirty = true;
    if (sceneChanged) {
      // The old scene's last picture is what post.crossfade mixes back in (1 = all old, 0 = all new).
      sceneChanged = false;
      copyProps.source = composed[current]!;
      copy(copyProps);
    }
    view.fade = Math.min(1, Math.max(0, state.post.crossfade));
    if (state.post.trails > 0) dirty = true; // trails keep converging between frames
    if (dirty) {
      dirty = false;
      const next = 1 - current;
      composeProps.previous = composed[current]!;
      composeProps.target = composed[next]!;
      compose(composeProps);
      current = next;
      presentProps.source = composed[current]!;
      present(presentProps);
      if (shown) {
        state.framesDrawn += 1;
        awaitingPresent = shown;
        if (!debug) showStatus('');
      }
    }
    if (debug) {
      showStatus(
        `${state.connected ? 'connected' : 'disconnected'} frame ${state.lastFrame} ${state.width}×${state.height} ` +
          `recv ${state.framesReceived} drawn ${state.framesDrawn} skipped ${state.framesSkipped} fit ${fit}`,
      );
    }
  } catch (e) {
    // The show goes on: note the error, keep the loop alive.
    if (state.errors.length < 10) state.errors.push(String(e));
  }
  requestAnimationFrame(tick);
}

// A lost GPU context (driver reset, GPU switch) cannot be patched up in place: reload the page once it is
// back; the engine resends frames, so the show resumes within a frame or two.
canvas.addEventListener('webglcontextlost', (e) => e.preventDefault());
canvas.addEventListener('webglcontextrestored', () => location.reload());

resize();
showStatus('connecting to the engine');
requestAnimationFrame(tick);
