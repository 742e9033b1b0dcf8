/**
 * RxJS, loaded from its one-file bundle. Under Node, `import 'rxjs'` resolves to the CommonJS build: about 220
 * files, each read and scanned for its exports, which costs every process (the CLI, each worker, each test file)
 * about 0.12 s of CPU at start; the UMD bundle that the same package ships holds the same API in one file and
 * loads in about a tenth of that. Types come from the package as usual.
 *
 * Only what we use is re-exported; a missing name fails type-checking here, not at run time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Rx from 'rxjs';

const require = createRequire(import.meta.url);

function load(): typeof Rx {
  try {
    // rxjs/dist/cjs/index.js → rxjs/dist/bundles/rxjs.umd.js; a path, so the package's export map is not consulted.
    return require(join(dirname(require.resolve('rxjs')), '..', 'bundles', 'rxjs.umd.js')) as typeof Rx;
  } catch {
    // A future rxjs without the bundle: the regular entry, slower to load but the same API.
    return require('rxjs') as typeof Rx;
  }
}

const rx = load();

export const {
  Observable,
  Subject,
  Subscription,
  NEVER,
  concat,
  firstValueFrom,
  lastValueFrom,
  from,
  connectable,
  filter,
  map,
  take,
  takeWhile,
  tap,
  toArray,
} = rx;
export type Observable<T> = Rx.Observable<T>;
export type Subject<T> = Rx.Subject<T>;
export type Subscription = Rx.Subscription;
export type { MonoTypeOperatorFunction, OperatorFunction } from 'rxjs';
