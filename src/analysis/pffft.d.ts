/** The parts of the PFFFT WebAssembly build (@echogarden/pffft-wasm, an Emscripten module factory) that fft.ts uses. */
declare module '@echogarden/pffft-wasm/simd' {
  export interface PffftModule {
    /** The module's memory as float32; a new view after the memory grows, so read it after allocating. */
    readonly HEAPF32: Float32Array;
    /** A transform plan for `size` points; kind 0 = real. Returns 0 where the size is not supported. */
    _pffft_new_setup(size: number, kind: number): number;
    /** Byte address of `bytes` bytes aligned for SIMD. */
    _pffft_aligned_malloc(bytes: number): number;
    /**
     * Forward (direction 0) transform in canonical order: for a real input of n points the output is
     * [Re X0, Re X(n/2), Re X1, Im X1, …, Re X(n/2−1), Im X(n/2−1)], unscaled.
     */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  }
  const factory: () => Promise<PffftModule>;
  export default factory;
}
