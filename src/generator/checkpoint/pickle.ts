/**
 * A small Python pickle virtual machine (protocols 0–5) that never executes anything.
 *
 * Written here rather than taken from npm (checked 2026-11): `jpickle` 0.4.1 stops at protocol 3 and throws
 * on any class not registered in advance; `pickleparser` 0.2.1 covers protocols 0–5 but returns only the
 * value (not where STOP left off, which the legacy torch.save stream needs to read five pickles and then
 * raw storages from one buffer), types resolvers with `any`, and reports errors without byte positions.
 * Reading torch checkpoints needs those, plus a whitelist of reconstructors (torch tensors, OrderedDict,
 * numpy scalars) that we implement ourselves; the VM is ~500 lines and tested opcode by opcode.
 *
 * Every GLOBAL / STACK_GLOBAL becomes a `PyGlobal` record. Calling it (REDUCE, NEWOBJ, OBJ, INST) runs a
 * reducer from the caller's table when one is registered under "module.name", and otherwise builds a plain
 * `PyObject` recording the class and arguments; BUILD stores the state on it, SETITEM(S)/APPEND(S) on it
 * fill `items`/`list` (dict and list subclasses). Nothing named in the pickle is ever imported or run.
 */

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | PyOpaque;

/** A Python tuple (JS arrays are lists). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** dict / OrderedDict (insertion order kept). `className` is set for dict subclasses we recognise. */
export class PyDict {
  readonly map = new Map<PyValue, PyValue>();
  constructor(readonly className = 'builtins.dict') {}
  get(key: string): PyValue | undefined {
    return this.map.get(key);
  }
}

export class PySet {
  readonly items: PyValue[] = [];
  constructor(readonly frozen = false) {}
}

/** A class or function named by the pickle (module + qualified name); never resolved to code. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get fullName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of a class we do not know: the call that made it and the state BUILD gave it. */
export class PyObject {
  /** Set by BUILD with a dict state (the instance __dict__), or by a reducer. */
  readonly attrs = new Map<string, PyValue>();
  /** State passed to BUILD when it was not a plain dict (e.g. a tuple), else null. */
  state: PyValue = null;
  /** Items of a dict subclass (SETITEM/SETITEMS on the instance). */
  items: PyDict | null = null;
  /** Items of a list subclass (APPEND/APPENDS on the instance). */
  list: PyValue[] | null = null;
  constructor(
    /** The class (NEWOBJ/INST) or the function that was called (REDUCE). */
    readonly cls: PyValue,
    readonly args: PyValue[],
  ) {}
  get className(): string {
    return this.cls instanceof PyGlobal ? this.cls.fullName : '<unknown>';
  }
}

/** A host value made by a reducer (a storage, a tensor…), carried through the VM untouched. */
export abstract class PyOpaque {
  abstract readonly kind: string;
}

/** Reconstructs a value from call arguments; `this` of the call is never the VM. */
export type Reducer = (args: PyValue[], cls: PyGlobal) => PyValue;

export interface UnpickleOptions {
  /** Reducers keyed by "module.name" (e.g. "torch._utils._rebuild_tensor_v2"). */
  reducers?: ReadonlyMap<string, Reducer>;
  /** Resolves BINPERSID/PERSID ids; without it a persistent id is an error. */
  persistentLoad?: (pid: PyValue) => PyValue;
  /** Called for every global the pickle names (lets callers recognise e.g. TensorFlow pickles early). */
  onGlobal?: (g: PyGlobal) => void;
}

/** Thrown for malformed pickles; callers turn it into a UserError naming the file. */
export class PickleError extends Error {
  override name = 'PickleError';
}


/** Names older Pythons and Python 2 used for the same builtins. */
const GLOBAL_ALIASES: Record<string, string> = {
  '__builtin__.set': 'builtins.set',
  '__builtin__.frozenset': 'builtins.frozenset',
  '__builtin__.dict': 'builtins.dict',
  '__builtin__.list': 'builtins.list',
  '__builtin__.object': 'builtins.object',
  'copy_reg._reconstructor': 'copyreg._reconstructor',
};

/** Reducers every caller gets: containers of the standard library. */
const BUILTIN_REDUCERS = new Map<string, Reducer>([
  ['collections.OrderedDict', (args) => dictFrom('collections.OrderedDict', args[0])],
  ['builtins.dict', (args) => dictFrom('builtins.dict', args[0])],
  ['builtins.set', (args) => setFrom(false, args[0])],
  ['builtins.frozenset', (args) => setFrom(true, args[0])],
  ['builtins.list', (args) => (Array.isArray(args[0]) ? [...args[0]] : args[0] instanceof PyTuple ? [...args[0].items] : [])],
  ['builtins.tuple', (args) => new PyTuple(Array.isArray(args[0]) ? [...args[0]] : args[0] instanceof PyTuple ? [...args[0].items] : [])],
  ['builtins.bytearray', (args) => (args[0] instanceof Uint8Array ? args[0] : new Uint8Array(0))],
  // Python 3 pickles bytes at protocol ≤ 2 as _codecs.encode(latin1 str, 'latin1').
  ['_codecs.encode', (args) => latin1Bytes(args[0])],
  // copyreg._reconstructor(cls, base, state) is how protocol 0/1 pickle plain instances.
  [
    'copyreg._reconstructor',
    (args) => {
      const cls = args[0] ?? null;
      if (cls instanceof PyGlobal && (cls.fullName === 'collections.OrderedDict' || cls.fullName === 'builtins.dict')) return new PyDict(cls.fullName);
      return new PyObject(cls, []);
    },
  ],
]);

function latin1Bytes(v: PyValue | undefined): PyValue {
  if (typeof v !== 'string') return new Uint8Array(0);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i) & 0xff;
  return out;
}

function dictFrom(className: string, source: PyValue | undefined): PyDict {
  const d = new PyDict(className);
  const pairs = source instanceof PyTuple ? source.items : Array.isArray(source) ? source : [];
  for (const p of pairs) {
    const kv = p instanceof PyTuple ? p.items : Array.isArray(p) ? p : null;
    if (kv && kv.length === 2) d.map.set(kv[0] ?? null, kv[1] ?? null);
  }
  if (source instanceof PyDict) for (const [k, v] of source.map) d.map.set(k, v);
  return d;
}

function setFrom(frozen: boolean, source: PyValue | undefined): PySet {
  const s = new PySet(frozen);
  if (Array.isArray(source)) s.items.push(...source);
  else if (source instanceof PyTuple) s.items.push(...source.items);
  return s;
}

/** Reads an unsigned little-endian integer of up to 8 bytes as a number (throws beyond 2^53). */
function readUint(bytes: Uint8Array, pos: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + (bytes[pos + i] ?? 0);
  if (!Number.isSafeInteger(v)) throw new PickleError(`length ${v} at byte ${pos} is too large`);
  return v;
}

/** Two's-complement little-endian integer (LONG1/LONG4); a number when it fits exactly, else a bigint. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  if ((bytes[bytes.length - 1] ?? 0) & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseTextInt(s: string): number | bigint | boolean {
  const t = s.trim().replace(/L$/, '');
  if (t === '01') return true;
  if (t === '00') return false;
  const b = BigInt(t);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Decodes Python's repr of a str/bytes literal as written by protocol 0 STRING (quotes included). */
function unquote(s: string): string {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s[s.length - 1] !== q) throw new PickleError(`STRING argument is not quoted: ${s.slice(0, 40)}`);
  return unescapePy(s.slice(1, -1));
}

/** Handles the escapes of Python's `raw-unicode-escape` / string repr that protocol 0 uses. */
function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\'"nrt0])/g, (_m, e: string) => {
    switch (e[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '0':
        return '\0';
      default:
        return e;
    }
  });
}

/** Result of unpickling: the value and where the pickle's STOP left off (the next byte). */
export interface UnpickleResult {
  value: PyValue;
  end: number;
}

/**
 * Runs one pickle starting at `start` and returns its value and the offset after STOP. Several pickles may
 * follow each other in one buffer (the legacy torch.save stream does this).
 */
export function unpickle(bytes: Uint8Array, start = 0, options: UnpickleOptions = {}): UnpickleResult {
  const reducers = options.reducers;
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;

  const need = (n: number): void => {
    if (pos + n > bytes.length) throw new PickleError(`truncated: needed ${n} more bytes at byte ${pos} of ${bytes.length}`);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++] as number;
  };
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) throw new PickleError(`truncated: unterminated text argument at byte ${pos}`);
    const s = latin1.decode(bytes.subarray(pos, nl));
    pos = nl + 1;
    return s;
  };
  const floor = (): number => (marks.length ? (marks[marks.length - 1] as number) : 0);
  const pop = (): PyValue => {
    if (stack.length <= floor()) throw new PickleError(`stack underflow at byte ${pos}`);
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length <= floor()) throw new PickleError(`empty stack at byte ${pos}`);
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) throw new PickleError(`MARK expected at byte ${pos}`);
    return stack.splice(m);
  };
  const push = (v: PyValue): void => {
    stack.push(v);
  };
  const decodeUtf8 = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      throw new PickleError(`invalid UTF-8 string at byte ${pos - b.length}`);
    }
  };
  const makeGlobal = (module: string, name: string): PyGlobal => {
    const alias = GLOBAL_ALIASES[`${module}.${name}`];
    let g = new PyGlobal(module, name);
    if (alias) {
      const dot = alias.lastIndexOf('.');
      g = new PyGlobal(alias.slice(0, dot), alias.slice(dot + 1));
    }
    options.onGlobal?.(g);
    return g;
  };
  const call = (fn: PyValue, args: PyValue[], isNew: boolean): PyValue => {
    if (fn instanceof PyGlobal) {
      const r = reducers?.get(fn.fullName) ?? BUILTIN_REDUCERS.get(fn.fullName);
      if (r) return r(args, fn);
      // copyreg.__newobj__(cls, *args) is NEWOBJ spelled as a REDUCE (protocol < 2 fallbacks).
      if ((fn.fullName === 'copyreg.__newobj__' || fn.fullName === 'copyreg.__newobj_ex__') && args.length > 0) {
        return call(args[0] ?? null, args.slice(1), true);
      }
      if (isNew && (fn.fullName === 'builtins.object')) return new PyObject(fn, []);
    }
    return new PyObject(fn, args);
  };
  const setItems = (target: PyValue, kv: PyValue[]): void => {
    if (kv.length % 2) throw new PickleError(`odd number of items for SETITEMS at byte ${pos}`);
    let map: Map<PyValue, PyValue>;
    if (target instanceof PyDict) map = target.map;
    else if (target instanceof PyObject) map = (target.items ??= new PyDict(target.className)).map;
    else throw new PickleError(`SETITEM on a non-dict at byte ${pos}`);
    for (let i = 0; i < kv.length; i += 2) map.set(kv[i] ?? null, kv[i + 1] ?? null);
  };
  const appendItems = (target: PyValue, items: PyValue[]): void => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PyObject) (target.list ??= []).push(...items);
    else if (target instanceof PySet) target.items.push(...items);
    else throw new PickleError(`APPEND on a non-list at byte ${pos}`);
  };
  const build = (obj: PyValue, state: PyValue): void => {
    let dictState: PyValue = state;
    let slotState: PyValue = null;
    if (state instanceof PyTuple && state.items.length === 2 && (state.items[0] === null || state.items[0] instanceof PyDict)) {
      dictState = state.items[0] ?? null;
      slotState = state.items[1] ?? null;
    }
    if (obj instanceof PyObject) {
      if (dictState instanceof PyDict || slotState instanceof PyDict) {
        for (const d of [dictState, slotState]) {
          if (d instanceof PyDict) for (const [k, v] of d.map) if (typeof k === 'string') obj.attrs.set(k, v);
        }
      } else {
        obj.state = state;
      }
      return;
    }
    // BUILD on a dict (an OrderedDict with attributes) or a host object: keep the value, drop the state.
    if (obj instanceof PyDict || obj instanceof PyOpaque) return;
    throw new PickleError(`BUILD on an unsupported value at byte ${pos}`);
  };

  for (;;) {
    const opAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw new PickleError(`unsupported pickle protocol ${bytes[pos - 1]} (expected 0–5)`);
        break;
      case 0x95: // FRAME: a length prefix only
        take(8);
        break;
      case 0x2e: // STOP
        if (stack.length === 0) throw new PickleError(`STOP with an empty stack at byte ${opAt}`);
        return { value: stack[stack.length - 1] as PyValue, end: pos };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP (of a MARK when nothing was pushed after it)
        if (marks.length && stack.length === floor()) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      // ---- numbers
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        need(4);
        push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        need(2);
        push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x8a: // LONG1
        push(decodeLong(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        need(4);
        const n = view.getInt32(pos, true);
        pos += 4;
        if (n < 0) throw new PickleError(`negative LONG4 length at byte ${opAt}`);
        push(decodeLong(take(n)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x49: // INT (text)
        push(parseTextInt(line()));
        break;
      case 0x4c: {
        // LONG (text)
        const v = parseTextInt(line());
        push(typeof v === 'boolean' ? Number(v) : v);
        break;
      }
      case 0x46: // FLOAT (text)
        push(Number(line()));
        break;
      // ---- strings and bytes
      case 0x58: // BINUNICODE
        push(decodeUtf8(take(readUint(take(4), 0, 4))));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(decodeUtf8(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        push(decodeUtf8(take(readUint(take(8), 0, 8))));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        push(unescapePy(line()));
        break;
      case 0x53: // STRING (quoted repr)
        push(unquote(line()));
        break;
      case 0x54: // BINSTRING (Python 2 str: decode as latin-1, like encoding='latin1')
        push(latin1.decode(take(readUint(take(4), 0, 4))));
        break;
      case 0x55: // SHORT_BINSTRING
        push(latin1.decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        push(take(readUint(take(4), 0, 4)));
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(take(readUint(take(8), 0, 8)));
        break;
      case 0x97: // NEXT_BUFFER
        throw new PickleError(`out-of-band buffers (NEXT_BUFFER) are not supported (byte ${opAt})`);
      case 0x98: // READONLY_BUFFER: no-op on our side
        break;
      // ---- containers
      case 0x29: // EMPTY_TUPLE
        push(new PyTuple([]));
        break;
      case 0x85: // TUPLE1
        push(new PyTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        push(new PyTuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x7d: // EMPTY_DICT
        push(new PyDict());
        break;
      case 0x64: {
        // DICT
        const d = new PyDict();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x8f: // EMPTY_SET
        push(new PySet());
        break;
      case 0x91: {
        // FROZENSET
        const s = new PySet(true);
        s.items.push(...popMark());
        push(s);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      // ---- memo
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(readUint(take(4), 0, 4), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : readUint(take(4), 0, 4);
        if (!memo.has(key)) throw new PickleError(`memo key ${key} not found at byte ${opAt}`);
        push(memo.get(key) as PyValue);
        break;
      }
      // ---- objects
      case 0x63: {
        // GLOBAL
        const module = line();
        push(makeGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError(`STACK_GLOBAL needs two strings at byte ${opAt}`);
        push(makeGlobal(module, name));
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new PickleError(`extension registry codes (EXT*) are not supported (byte ${opAt})`);
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, args instanceof PyTuple ? args.items : [], false));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        push(call(cls, args instanceof PyTuple ? args.items : [], true));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX (kwargs are recorded as a trailing dict argument)
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        const list = args instanceof PyTuple ? [...args.items] : [];
        if (kwargs instanceof PyDict && kwargs.map.size) list.push(kwargs);
        push(call(cls, list, true));
        break;
      }
      case 0x6f: {
        // OBJ
        const items = popMark();
        const cls = items.shift();
        push(call(cls ?? null, items, true));
        break;
      }
      case 0x69: {
        // INST
        const module = line();
        const cls = makeGlobal(module, line());
        push(call(cls, popMark(), true));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      case 0x50: // PERSID
      case 0x51: {
        // BINPERSID
        const pid = op === 0x50 ? line() : pop();
        if (!options.persistentLoad) throw new PickleError(`persistent id at byte ${opAt} but no persistent store`);
        push(options.persistentLoad(pid));
        break;
      }
      default:
        throw new PickleError(`unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${opAt}`);
    }
  }
}

// ---- helpers for reading unpickled values

/** The items of a dict or dict subclass, or null. */
export function asMap(v: PyValue | undefined): Map<PyValue, PyValue> | null {
  if (v instanceof PyDict) return v.map;
  if (v instanceof PyObject && v.items) return v.items.map;
  return null;
}

/** Looks up a string key in a dict / dict subclass, or an attribute of an object. */
export function getKey(v: PyValue | undefined, key: string): PyValue | undefined {
  const m = asMap(v);
  if (m?.has(key)) return m.get(key);
  if (v instanceof PyObject) return v.attrs.get(key);
  return undefined;
}

/** A Python number (int, float, bool, numpy scalar already converted) as a JS number, or null. */
export function asNumber(v: PyValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** The items of a tuple or list, or null. */
export function asSequence(v: PyValue | undefined): PyValue[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  return null;
}
