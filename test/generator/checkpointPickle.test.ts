import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PickleError,
  PyDict,
  PyGlobal,
  PyObject,
  PySet,
  PyTuple,
  asMap,
  getKey,
  unpickle,
  type PyValue,
} from '../../src/generator/checkpoint/pickle.js';
import { torchReducers } from '../../src/generator/checkpoint/torch.js';

/** Bytes from numbers and latin-1 strings, so each case reads like pickletools output. */
function b(...parts: (number | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else for (let i = 0; i < p.length; i++) out.push(p.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}
const u32 = (n: number): string => String.fromCharCode(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
const u64 = (n: number): string => u32(n) + '\0\0\0\0';

/** Plain JS view of a value, for deepEqual. */
function plain(v: PyValue): unknown {
  if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof PyDict) return { [v.className]: [...v.map].map(([k, x]) => [plain(k), plain(x)]) };
  if (v instanceof PySet) return { set: v.items.map(plain) };
  if (v instanceof PyGlobal) return { global: v.fullName };
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (v instanceof PyObject) return { object: v.className, args: v.args.map(plain) };
  return v;
}

// Each row: name, bytes (as Python's pickle writes them), expected plain value.
const cases: [string, Uint8Array, unknown][] = [
  ['NONE/NEWTRUE/NEWFALSE in TUPLE3', b(0x80, 2, 'N', 0x88, 0x89, 0x87, '.'), { tuple: [null, true, false] }],
  ['BININT1 / BININT2 / BININT (negative)', b(0x80, 2, 'K', 7, 'M', 0x34, 0x12, 'J', 0xd4, 0xfe, 0xff, 0xff, 0x87, '.'), { tuple: [7, 0x1234, -300] }],
  ['LONG1 negative and 2**70 as bigint', b(0x80, 2, 0x8a, 1, 0xff, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x86, '.'), { tuple: [-1, 2n ** 70n] }],
  ['LONG4', b(0x80, 2, 0x8b, u32(2), 0x00, 0x01, '.'), 256],
  ['BINFLOAT is big-endian', b(0x80, 2, 'G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, '.'), 1.5],
  ['protocol 0 INT/LONG/FLOAT text', b('(I42\nL1180591620717411303424L\nF1.5\nI01\nt.'), { tuple: [42, 2n ** 70n, 1.5, true] }],
  ['BINUNICODE utf-8', b(0x80, 2, 'X', u32(3), 'h', 0xc3, 0xa9, '.'), 'hé'],
  ['SHORT_BINUNICODE + BINUNICODE8', b(0x80, 4, 0x8c, 1, 'a', 0x8d, u64(2), 'bc', 0x86, '.'), { tuple: ['a', 'bc'] }],
  ['UNICODE raw-unicode-escape', b('Vx\\u00e9\n.'), 'xé'],
  ['STRING quoted repr', b("S'a\\nb'\n."), 'a\nb'],
  ['BINSTRING / SHORT_BINSTRING as latin-1', b(0x80, 2, 'T', u32(2), 'ab', 'U', 1, 0xe9, 0x86, '.'), { tuple: ['ab', 'é'] }],
  ['BINBYTES / SHORT_BINBYTES / BINBYTES8 / BYTEARRAY8 (+ READONLY_BUFFER)', b(0x80, 5, '(', 'B', u32(1), 1, 'C', 1, 2, 0x8e, u64(1), 3, 0x96, u64(1), 4, 0x98, 't', '.'), { tuple: [{ bytes: [1] }, { bytes: [2] }, { bytes: [3] }, { bytes: [4] }] }],
  ['_codecs.encode bytes (protocol 2 bytes)', b(0x80, 2, 'c_codecs\nencode\n', 'X', u32(2), 'ab', 'X', u32(6), 'latin1', 0x86, 'R.'), { bytes: [97, 98] }],
  ['EMPTY_LIST + APPENDS with MARK', b(0x80, 2, ']', '(', 'K', 1, 'K', 2, 'e', '.'), [1, 2]],
  ['LIST + APPEND', b('(K\x01l', 'K', 2, 'a.'), [1, 2]],
  ['EMPTY_DICT + SETITEMS', b(0x80, 2, '}', '(', 'X', u32(1), 'a', 'K', 1, 'X', u32(1), 'b', 'N', 'u', '.'), { 'builtins.dict': [['a', 1], ['b', null]] }],
  ['DICT + SETITEM', b('(K\x01K\x02d', 'K', 3, 'K', 4, 's.'), { 'builtins.dict': [[1, 2], [3, 4]] }],
  ['EMPTY_TUPLE, TUPLE1, TUPLE2, TUPLE', b(0x80, 2, '(', ')', 'K', 1, 0x85, 'K', 2, 'K', 3, 0x86, '(', 'K', 4, 't', 't', '.'), { tuple: [{ tuple: [] }, { tuple: [1] }, { tuple: [2, 3] }, { tuple: [4] }] }],
  ['memo: BINPUT/BINGET, LONG_BINPUT/LONG_BINGET, MEMOIZE, PUT/GET', b(0x80, 4, 'K', 9, 'q', 0, 'r', u32(300), 0x94, 'h', 0, 'j', u32(300), 'h', 2, 0x87, 0x85, '.'), { tuple: [{ tuple: [9, 9, 9] }] }],
  ['protocol 0 PUT/GET', b('I5\np0\ng0\n\x86.'), { tuple: [5, 5] }],
  ['DUP and POP and POP_MARK', b(0x80, 2, 'K', 1, '2', '(', 'K', 7, 'K', 8, '1', 'K', 9, '0', 0x86, '.'), { tuple: [1, 1] }],
  ['EMPTY_SET + ADDITEMS, FROZENSET', b(0x80, 4, 0x8f, '(', 'K', 1, 'K', 2, 0x90, '(', 'K', 3, 0x91, 0x86, '.'), { tuple: [{ set: [1, 2] }, { set: [3] }] }],
  ['builtins.set via REDUCE (protocol 2)', b(0x80, 2, 'c__builtin__\nset\n', ']', '(', 'K', 1, 'K', 2, 'e', 0x85, 'R.'), { set: [1, 2] }],
  ['GLOBAL collections.OrderedDict REDUCE + SETITEM', b(0x80, 2, 'ccollections\nOrderedDict\n', ')R', 'X', u32(1), 'a', 'K', 1, 's.'), { 'collections.OrderedDict': [['a', 1]] }],
  ['protocol 0 OrderedDict (tR)', b('ccollections\nOrderedDict\np0\n(tRp1\nVa\np2\nI1\ns.'), { 'collections.OrderedDict': [['a', 1]] }],
  ['STACK_GLOBAL', b(0x80, 4, 0x8c, 3, 'foo', 0x8c, 3, 'Bar', 0x93, '.'), { global: 'foo.Bar' }],
  ['unknown class via NEWOBJ', b(0x80, 2, 'cfoo\nBar\n', 'K', 1, 0x85, 0x81, '.'), { object: 'foo.Bar', args: [1] }],
  ['unknown class via NEWOBJ_EX', b(0x80, 4, 'cfoo\nBar\n', ')', '}', 0x92, '.'), { object: 'foo.Bar', args: [] }],
  ['unknown function via REDUCE', b(0x80, 2, 'cfoo\nmake\n', 'K', 2, 0x85, 'R.'), { object: 'foo.make', args: [2] }],
  ['INST (protocol 0)', b('(I3\nifoo\nBar\n.'), { object: 'foo.Bar', args: [3] }],
  ['OBJ (protocol 1)', b('(cfoo\nBar\nK\x04o.'), { object: 'foo.Bar', args: [4] }],
  ['FRAME is skipped', b(0x80, 4, 0x95, u64(3), 'K', 5, '.'), 5],
];

test('pickle opcodes: a table of hand-made byte strings', () => {
  for (const [name, bytes, expected] of cases) {
    const { value, end } = unpickle(bytes);
    assert.deepEqual(plain(value), expected, name);
    assert.equal(end, bytes.length, `${name}: stops after STOP`);
  }
});

test('BUILD sets attributes of unknown objects; SETITEMS fills dict subclasses', () => {
  // NEWOBJ(dnnlib.EasyDict) + SETITEMS + BUILD({'attr': 1}) as protocol 2 writes a dict subclass with a __dict__.
  const bytes = b(0x80, 2, 'cdnnlib.util\nEasyDict\n', ')', 0x81, '(', 'X', u32(1), 'k', 'K', 5, 'u', '}', 'X', u32(4), 'attr', 'K', 1, 's', 'b.');
  const { value } = unpickle(bytes);
  assert.ok(value instanceof PyObject);
  assert.equal(value.className, 'dnnlib.util.EasyDict');
  assert.equal(getKey(value, 'k'), 5);
  assert.equal(getKey(value, 'attr'), 1);
  assert.deepEqual([...(asMap(value)?.keys() ?? [])], ['k']);
  // BUILD with a (dict, slots) tuple, and a non-dict state kept as-is.
  const slots = unpickle(b(0x80, 2, 'cfoo\nBar\n', ')', 0x81, 'N', '}', 'X', u32(1), 's', 'K', 2, 's', 0x86, 'b.')).value as PyObject;
  assert.equal(slots.attrs.get('s'), 2);
  const tupleState = unpickle(b(0x80, 2, 'cfoo\nBar\n', ')', 0x81, 'K', 3, 'K', 4, 0x86, 'b.')).value as PyObject;
  assert.deepEqual(plain(tupleState.state), { tuple: [3, 4] });
});

test('reducers: numpy scalars, persistent ids, several pickles in one buffer', () => {
  // numpy.core.multiarray.scalar(numpy.dtype('f8', False, True) + BUILD(state), 8 bytes) → 0.1
  const f64 = new Uint8Array(8);
  new DataView(f64.buffer).setFloat64(0, 0.1, true);
  const dtypeState = '(K\x03X' + u32(1) + '<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t';
  const scalar = b(0x80, 2, 'cnumpy.core.multiarray\nscalar\n', 'cnumpy\ndtype\n', 'X', u32(2), 'f8', 0x89, 0x88, 0x87, 'R', dtypeState, 'b', 'C', 8, ...f64, 0x86, 'R.');
  assert.equal(unpickle(scalar, 0, { reducers: torchReducers() }).value, 0.1);
  const i64 = b(0x80, 2, 'cnumpy.core.multiarray\nscalar\n', 'cnumpy\ndtype\n', 'X', u32(2), 'i8', 0x89, 0x88, 0x87, 'R', dtypeState, 'b', 'C', 8, 0xf9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x86, 'R.');
  assert.equal(unpickle(i64, 0, { reducers: torchReducers() }).value, -7);
  // BINPERSID and PERSID go to the store.
  const seen: PyValue[] = [];
  const persistentLoad = (pid: PyValue): PyValue => {
    seen.push(pid);
    return 'loaded';
  };
  assert.equal(unpickle(b(0x80, 2, 'X', u32(2), 'id', 'Q.'), 0, { persistentLoad }).value, 'loaded');
  assert.equal(unpickle(b('P42\n.'), 0, { persistentLoad }).value, 'loaded');
  assert.deepEqual(seen, ['id', '42']);
  // Two pickles back to back (the legacy torch.save layout).
  const two = b(0x80, 2, 'K', 1, '.', 0x80, 2, 'K', 2, '.');
  const first = unpickle(two);
  assert.equal(first.value, 1);
  assert.equal(unpickle(two, first.end).value, 2);
});

test('malformed pickles throw PickleError with the position', () => {
  const bad: [Uint8Array, RegExp][] = [
    [b(0x80, 2, 'X', u32(10), 'ab'), /truncated: needed 10 more bytes/],
    [b(0x80, 2, 'K', 1), /truncated/],
    [b(0x80, 9, 'N.'), /unsupported pickle protocol 9/],
    [b(0x80, 2, 0xff), /unknown opcode 0xff at byte 2/],
    [b(0x80, 2, 'h', 3, '.'), /memo key 3 not found/],
    [b(0x80, 2, 'e.'), /MARK expected/],
    [b(0x80, 2, '.'), /STOP with an empty stack/],
    [b(0x80, 2, 'N', 0x86, '.'), /stack underflow/],
    [b(0x80, 2, 'X', u32(1), 'a', 'Q.'), /persistent id at byte 8 but no persistent store/],
    [b(0x80, 2, 'X', u32(2), 0xff, 0xfe, '.'), /invalid UTF-8/],
    [b(0x80, 2, 0x82, 1, '.'), /EXT/],
  ];
  for (const [bytes, re] of bad) assert.throws(() => unpickle(bytes), (e: unknown) => e instanceof PickleError && re.test(e.message), re.source);
});
