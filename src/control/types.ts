/** The control stage's events and state are a shared contract (src/contracts/control.ts). */
export * from '../contracts/control.js';
