/**
 * Child process of slowStop.test.ts: a generator on a deliberately slow model, one frame timed, then a second frame
 * submitted and the generator closed while that frame is in flight. Prints the first frame's ms, then 'closed'.
 */
import { firstValueFrom } from '../../src/rx.js';
import { createGenerator } from '../../src/generator/runtime/generator.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import { setLogLevel } from '../../src/log.js';

setLogLevel('warn');
const g = await createGenerator({ modelDir: process.argv[2]!, candidates: ['cpu'], threads: 1, warmupRuns: 0, statsIntervalS: 0, cacheOptimized: false });
const p = neutralParams(g.info.manifest);
const first = firstValueFrom(g.frames$);
g.submit(p, performance.now());
const f = await first;
process.stdout.write(`frame ${Math.round(f.stamps.inferEnd - f.stamps.inferStart)} ms\n`);
p.frame = 1;
g.submit(p, performance.now());
await g.close();
process.stdout.write('closed\n');
