import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, filter } from '../../src/rx.js';
import { Client, Bundle } from 'node-osc';
import { createControl } from '../../src/control/index.js';
import { createMapper } from '../../src/mapping/index.js';
import { fakeManifest, fakeProvider } from '../mapping/helpers.js';
import { setLogSink } from '../../src/log.js';

/** Real OSC → control → the preset's routes: what a Max for Live device or a TouchDesigner CHOP would do. */
for (const [preset, packet, target, want] of [
  ['ableton-osc', new Bundle(['/ableton/macro/8', 0.5], ['/ableton/macro/6', 0.25]), 'post.contrast', 1.1],
  ['touchdesigner-osc', new Bundle(['/td/psi', 0.5], ['/td/hue', 0.25]), 'truncation', 0.85],
] as const) {
  test(`${preset}: OSC from the documented addresses moves the targets`, async () => {
    const restore = setLogSink({ write: () => undefined });
    const manifest = fakeManifest(256);
    const mapper = await createMapper({ file: preset, manifest, latents: fakeProvider(manifest), watch: false });
    const control = await createControl({ oscPort: 0 }, { targets: () => Object.keys(mapper.targets()) });
    const client = new Client('127.0.0.1', control.osc!.port);
    try {
      const seen = firstValueFrom(control.events$.pipe(filter((e) => e.kind === 'osc' && e.address.endsWith('/6') || (e.kind === 'osc' && e.address === '/td/hue'))));
      await client.send(packet);
      await seen;
      for (let k = 0; k < 60; k++) mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: control.state() });
      const t = mapper.targets();
      assert.ok(Math.abs(t[target]! - want) < 0.01, `${target} = ${t[target]}`);
      assert.ok(Math.abs(t['post.hueShift']! - 0.25) < 0.01, `post.hueShift = ${t['post.hueShift']}`);
    } finally {
      await client.close();
      await control.close();
      await mapper.close();
      restore();
    }
  });
}
