/** The analysis stage's records are a shared contract (src/contracts/features.ts). */
export type * from '../contracts/features.js';
