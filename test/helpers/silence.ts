import { Observable } from '../../src/rx.js';
import type { AudioBlock } from '../../src/contracts/audio.js';
import type { AudioSource } from '../../src/contracts/stages.js';
import type { PacingClock } from '../../src/audio/clock.js';

/**
 * Silence that never ends (or ends after `blocks`), one block every `blockMs` on `clock`: the audio clock that
 * drives frames in tests whose subject is not the sound.
 */
export function silentSource(clock: PacingClock, opts: { sampleRate?: number; blockMs?: number; blocks?: number } = {}): AudioSource {
  const sampleRate = opts.sampleRate ?? 48000;
  const len = Math.round(((opts.blockMs ?? 10) * sampleRate) / 1000);
  const blockMs = (len * 1000) / sampleRate;
  return {
    info: { description: 'silence (test)', kind: 'demo', sampleRate, channels: 1 },
    blocks$: new Observable<AudioBlock>((sub) => {
      let i = 0;
      let cancel = (): void => undefined;
      const next = (): void => {
        if (opts.blocks !== undefined && i >= opts.blocks) {
          sub.complete();
          return;
        }
        sub.next({ sampleRate, t0: i * len, channels: [new Float32Array(len)] });
        i += 1;
        cancel = clock.setTimer(next, blockMs);
      };
      cancel = clock.setTimer(next, blockMs);
      return () => cancel();
    }),
  };
}
