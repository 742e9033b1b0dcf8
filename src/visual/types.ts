/** FrameParams and its parts are a shared contract (src/contracts/frameParams.ts). */
export * from '../contracts/frameParams.js';
