/**
 * The output page (/output): what the audience sees. Receives frames on /frames, uploads each into one
 * existing texture, and draws it at display size with bicubic upscaling, aspect fit/fill/stretch, trails,
 * scene crossfades, colour post and the blackout/freeze panic buttons (shaders/*.glsl). Keeps the last good
 * picture when the engine goes away and reconnects by itself. Reports when each frame reached the screen.
 *
 * URL options: ?fit=fit|fill|stretch  ?debug=1 (shows a status line)
 *   ?record=1 (tests: window.__latentvjRecord gets, per frame drawn, how much the displayed picture changed)
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
const recording = params.get('record') === '1';

/** What tests and the curious can read: window.latentvjOutput. */
export interface OutputPageState {
  connected: boolean;
  framesReceived: number;
  framesDrawn: number;
  /** Frames that arrived while a newer one was already waiting for the next animation frame. */
  framesSkipped: number;
  lastFrame: number;
  /**
   * Pictures composed since the last frame was first drawn, that one included: trails and crossfades move once per
   * composed picture, so this says how far they have gone.
   */
  composesSinceFrame: number;
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
  composesSinceFrame: 0,
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

// ---- ?record=1: what the screen showed, frame by frame ----

/** One drawn frame as the recorder saw it on the canvas. */
export interface RecordedFrame {
  /** The engine's frame number and its audio-time stamp (s), from the frame header. */
  frame: number;
  audioT: number;
  /** The frame displayed before this one and its audio time: the change spans (prevAudioT, audioT]. */
  prevFrame: number;
  prevAudioT: number;
  /** Mean absolute RGB difference (0..255) of the displayed picture against the one read back at prevFrame. */
  diff: number;
  /** performance.now() when it was drawn. */
  pageMs: number;
}

/**
 * Reads the drawn canvas back (gl.readPixels into two preallocated buffers that swap roles) right after each
 * new frame is presented and compares it with the previous read-back: evidence from the pixels the display
 * shows, after upscaling and post, not from the bytes the engine sent. Only built with ?record=1, so the show
 * pays nothing for it (one null check per drawn frame).
 */
class DisplayRecorder {
  /** Plain objects, so a test can copy them out with page.evaluate. */
  readonly frames: RecordedFrame[] = [];
  private current = new Uint8Array(0);
  private previous = new Uint8Array(0);
  private hasPrevious = false;
  private prevFrame = -1;
  private prevAudioT = 0;
  /** Ten minutes at 60 Hz: a forgotten ?record=1 cannot eat the page's memory. */
  private static readonly MAX_FRAMES = 36_000;

  capture(shown: Shown, width: number, height: number): void {
    const bytes = width * height * 4;
    if (this.current.length !== bytes) {
      // The display size changed: pictures of different sizes do not compare.
      this.current = new Uint8Array(bytes);
      this.previous = new Uint8Array(bytes);
      this.hasPrevious = false;
    }
    // `present` was the last draw, so the canvas's default framebuffer is bound, and its drawing buffer still
    // holds this animation frame's picture (WebGL clears it only after compositing, when this task has
    // returned). regl.read() refuses the drawing buffer without preserveDrawingBuffer, which would change
    // how the page presents; gl.readPixels reads it as the spec allows.
    const gl = regl._gl;
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, this.current);
    if (this.hasPrevious && this.frames.length < DisplayRecorder.MAX_FRAMES) {
      const a = this.current;
      const b = this.previous;
      let sum = 0;
      for (let i = 0; i < bytes; i += 4) {
        sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
      }
      this.frames.push({
        frame: shown.frame,
        audioT: shown.audioT,
        prevFrame: this.prevFrame,
        prevAudioT: this.prevAudioT,
        diff: sum / (width * height * 3),
        pageMs: performance.now(),
      });
    }
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    this.hasPrevious = true;
    this.prevFrame = shown.frame;
    this.prevAudioT = shown.audioT;
  }
}

const recorder = recording ? new DisplayRecorder() : null;
if (recorder) (window as unknown as { __latentvjRecord: RecordedFrame[] }).__latentvjRecord = recorder.frames;

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
      state.composesSinceFrame = shown ? 1 : state.composesSinceFrame + 1;
      current = next;
      presentProps.source = composed[current]!;
      present(presentProps);
      if (shown) {
        state.framesDrawn += 1;
        awaitingPresent = shown;
        if (recorder) recorder.capture(shown, displayW, displayH);
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
