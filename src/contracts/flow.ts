/**
 * The order data flows through src/, as layers from the bottom up. A module may import from its own folder and
 * from any lower layer, never from its own layer's other folders or from a higher one, and no import chain may
 * come back to where it started (test/imports.test.ts checks both over every file in src/).
 *
 * Names are top-level folders of src/ or top-level modules without `.ts`. The output pages (src/output/page)
 * are built for the browser separately and are not part of the graph.
 */
export const FLOW: readonly (readonly string[])[] = [
  // Shared utilities every stage may use (rx: RxJS as every stage loads it).
  ['errors', 'log', 'didYouMean', 'paths', 'math', 'rx'],
  // The types every stage shares, the file formats, the schema-file loader, which ffmpeg runs; imported by all,
  // importing none above.
  ['contracts', 'schemaFile', 'ffmpeg', 'boundedJson'],
  // Sources: sound, and what the performer sends.
  ['audio', 'control'],
  ['analysis'],
  // The techniques, then the mapping that routes features and controls into them.
  ['visual'],
  ['mapping'],
  ['generator'],
  ['output'],
  // Recorded sessions (the audio as heard, controls, mapping versions, params shown): written live, read offline.
  ['session'],
  // Wiring: the config of every stage, first-run setup, the pipeline and its clocks, the commands, the CLI.
  ['config', 'setup'],
  ['pipeline'],
  // Offline render: the pipeline on the virtual clock into the generator and ffmpeg.
  ['render'],
  // The same render split into chunks on a job queue (BullMQ on Redis), and its workers.
  ['queue'],
  ['commands'],
  ['cli'],
];

/** Files outside the graph (relative to src/, prefix match). */
export const FLOW_EXCLUDED: readonly string[] = ['output/page/'];
