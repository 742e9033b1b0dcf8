import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/contracts/npy.js';
import { loadBank, BankError } from '../../src/visual/banks.js';
import type { LatentProvider } from '../../src/visual/latents.js';

const provider: LatentProvider = { wDim: 4, numWs: 2, wAvg: new Float32Array(4), fromSeeds: async (s) => s.map(() => new Float32Array(4)) };

test('a bank file with NaN or infinite values is refused with the file and the position (a NaN in W paints black)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-banks-'));
  try {
    const data = Float32Array.from({ length: 8 }, (_, i) => i / 8);
    data[6] = Number.NaN;
    writeFileSync(join(dir, 'nan.npy'), encodeNpy({ shape: [2, 4], data }));
    await assert.rejects(
      () => loadBank({ file: 'nan.npy' }, dir, provider),
      (e: unknown) => e instanceof BankError && e.key === 'file' && /nan\.npy.*latent 1.*value 2.*NaN/.test(e.message),
    );
    data[6] = Number.POSITIVE_INFINITY;
    writeFileSync(join(dir, 'inf.npy'), encodeNpy({ shape: [2, 4], data }));
    await assert.rejects(() => loadBank({ file: 'inf.npy' }, dir, provider), /inf\.npy.*latent 1.*Infinity/);
    data[6] = 0.5;
    writeFileSync(join(dir, 'ok.npy'), encodeNpy({ shape: [2, 4], data }));
    assert.equal((await loadBank({ file: 'ok.npy' }, dir, provider)).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
