import { z } from 'zod';

/** How a relative encoder encodes its steps in the CC value (see docs/control.md). */
export const encoderModes = ['absolute', 'relative-signed', 'relative-offset', 'relative-twos'] as const;
export type EncoderMode = (typeof encoderModes)[number];

/** Soft takeover: what a physical control does when it disagrees with the current value. */
export const takeoverModes = ['jump', 'pickup', 'scale'] as const;
export type TakeoverMode = (typeof takeoverModes)[number];

/** How OSC out sends events (see docs/control.md, per receiving tool). */
export const oscOutEventModes = ['pulse', 'once'] as const;

/** Tempo sources, in the order of the default priority (first active one leads). */
export const tempoSourceNames = ['midi-clock', 'osc', 'tap', 'link', 'analysis'] as const;
export type TempoSourceName = (typeof tempoSourceNames)[number];

/** Settings of one MIDI control, keyed by source name (`midi:cc:1:7`, `midi:nrpn:1:300`, ...). */
export const midiControlSchema = z.strictObject({
  /** Source name, e.g. 'midi:cc:1:21'. */
  source: z.string().regex(/^midi:(cc|nrpn|note|pb|at):/, 'a MIDI source like midi:cc:1:21'),
  /** 14-bit CC: the MSB arrives on this CC (0–31), the LSB on CC+32. */
  highRes: z.boolean().default(false),
  encoder: z.enum(encoderModes).default('absolute'),
  /** Relative encoders: value change per step (0..1 scale). */
  stepSize: z.number().positive().max(1).default(1 / 127),
  takeover: z.enum(takeoverModes).optional(),
  /** Send the current value back to the controller (LED rings) on the output port. */
  feedback: z.boolean().default(false),
});
export type MidiControlConfig = z.output<typeof midiControlSchema>;

/** Settings of performer control (MIDI, OSC, tempo, API). Defaults live here and nowhere else. */
export const controlConfigSchema = z
  .strictObject({
    oscHost: z.string().min(1).default('127.0.0.1').describe('OSC listen host'),
    /** Clear of Resolume (7000), LiveOSC (9000/9001) and AbletonOSC (11000/11001). */
    oscPort: z.number().int().min(0).max(65535).default(7979).describe('OSC listen port (UDP)'),
    oscEnabled: z.boolean().default(true).describe('listen for OSC'),
    /**
     * OSC messages handled per second at most (a bundle counts as the messages inside it); the rest of a flood is
     * dropped and counted.
     */
    oscMaxPerSecond: z.number().int().min(100).default(20000),
    /** Distinct non-latentvj OSC addresses kept as sources (a stray sender cannot grow state without bound). */
    oscMaxSources: z.number().int().min(1).default(1024),
    /** Longest accepted OSC address, bytes (each distinct address may be kept as a source). */
    oscMaxAddressBytes: z.number().int().min(16).max(65536).default(256),
    /** Addresses whose first argument is a tempo in BPM (AbletonOSC's tempo listener reply included). */
    oscTempoAddresses: z.array(z.string().startsWith('/')).default(['/latentvj/tempo', '/live/song/get/tempo']),
    /** Addresses that mark a beat; an integer argument is the beat count (AbletonOSC's beat listener). */
    oscBeatAddresses: z.array(z.string().startsWith('/')).default(['/latentvj/beat', '/live/song/get/beat']),
    /**
     * AbletonOSC (Live's OSC remote script): at start latentvj asks it for tempo and beat listeners. AbletonOSC
     * listens on 11000 and replies to port 11001 of the asking host, so run with --osc-port 11001 to hear it.
     */
    abletonOsc: z
      .strictObject({
        enabled: z.boolean().default(false),
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(11000),
      })
      .prefault({}),
    oscOut: z
      .strictObject({
        enabled: z.boolean().default(false),
        host: z.string().min(1).default('127.0.0.1'),
        /** TouchDesigner's OSC In CHOP default is 10000; clear of 7000, 9000/9001, 11000/11001. */
        port: z.number().int().min(1).max(65535).default(7980),
        rateHz: z.number().min(1).max(200).default(30),
        /** Address prefix of every outgoing message. */
        prefix: z.string().startsWith('/').default('/latentvj/out'),
        /** Send one bundle per tick instead of separate messages. */
        bundle: z.boolean().default(false),
        /**
         * How events (kick, beat, …) are sent: `pulse` = 1 on the send after the event, 0 on the next send
         * (TouchDesigner OSC In CHOP, Resolume buttons); `once` = only the 1 (Max/Max for Live, a bang per event).
         */
        events: z.enum(oscOutEventModes).default('pulse'),
      })
      .prefault({})
      .describe('send the live features as OSC (TouchDesigner, Resolume, Ableton)'),
    midiInputs: z
      .array(z.union([z.number().int().min(0), z.string()]))
      .default(['*'])
      .describe("MIDI input ports by name substring or index; '*' opens every input, and any plugged in later"),
    /** MIDI output port for controller feedback (LED rings), by name substring or index. */
    midiOutput: z.union([z.string(), z.number().int().min(0)]).optional(),
    /** Seconds between rescans for unplugged / replugged MIDI ports (0 = never). */
    midiRescanS: z.number().min(0).default(2),
    /** Per-control MIDI settings (14-bit, encoder mode, takeover, feedback). */
    midiControls: z.array(midiControlSchema).default([]),
    /** Takeover of every MIDI control without its own setting. */
    takeover: z.enum(takeoverModes).default('pickup'),
    /** Pickup: how close (0..1) the knob must come to the value to take it over. */
    pickupTolerance: z.number().min(0).max(0.5).default(0.02),
    /** Program change recalls scene N (0-based program number). */
    programChangeScenes: z.boolean().default(true),
    /** A MIDI note used as the tap-tempo button, e.g. 'midi:note:10:36'. */
    tapNote: z.string().optional(),
    /** Ableton Link (optional binding, see docs/control.md): follow the session's tempo and phase, lead it when another source leads. */
    link: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Beats per bar: the bar phase Link peers agree on. */
        quantum: z.number().int().min(1).max(16).default(4),
      })
      .prefault({}),
    tempo: z
      .strictObject({
        /** First active source leads. */
        priority: z.array(z.enum(tempoSourceNames)).min(1).default([...tempoSourceNames]),
        /** MIDI clock leads while ticks arrive; after this long without one it lets go. */
        midiClockTimeoutS: z.number().positive().default(0.5),
        /** OSC tempo leads for this long after the last tempo or beat message (0 = until released). */
        oscHoldS: z.number().min(0).default(10),
        /** Tap tempo leads for this long after the last tap (0 = until released with tempo 'auto'). */
        tapHoldS: z.number().min(0).default(0),
        /** A gap longer than this starts a new tap sequence. */
        tapResetS: z.number().positive().default(2),
        /** Tapped tempi are folded by octaves into this range. */
        minBpm: z.number().min(20).default(70),
        maxBpm: z.number().max(400).default(180),
      })
      .prefault({}),
    /** ws/HTTP control API: largest accepted message, bytes. */
    apiMaxMessageBytes: z.number().int().min(256).max(1 << 20).default(16384),
    /** Token for control from a non-loopback address; generated and printed at start when unset. */
    token: z.string().min(8).optional(),
  })
  .prefault({});
export type ControlConfig = z.output<typeof controlConfigSchema>;
export type ControlConfigInput = z.input<typeof controlConfigSchema>;
