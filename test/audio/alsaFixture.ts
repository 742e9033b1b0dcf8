/** ALSA configurations for tests (TESTING.md): a `file` PCM playing raw S16_LE PCM we wrote, as the default input. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AlsaFixture {
  dir: string;
  /** ALSA_CONFIG_PATH whose default (and "tonefile") capture device plays a mono 440 Hz sine at amplitude 0.5. */
  toneConf: string;
  /** ALSA_CONFIG_PATH that makes PortAudio abort during initialisation (no cards section at all). */
  brokenConf: string;
  cleanup(): void;
}

export function makeAlsaFixture(sampleRate = 48000, seconds = 2): AlsaFixture {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-alsa-'));
  const raw = join(dir, 'mono.raw');
  const frames = sampleRate * seconds;
  const b = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) b.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * 2);
  writeFileSync(raw, b);
  const toneConf = join(dir, 'tone.conf');
  writeFileSync(
    toneConf,
    [
      `pcm.!default { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }`,
      `pcm.tonefile { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }`,
      'pcm.null { type null }',
      '',
    ].join('\n'),
  );
  const brokenConf = join(dir, 'broken.conf');
  writeFileSync(brokenConf, 'pcm.null { type null }\n');
  return { dir, toneConf, brokenConf, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
