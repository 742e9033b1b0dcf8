/**
 * Logging: one line per event, ISO timestamp, level, stage. Levels are set once by the CLI
 * (--verbose / --quiet). Lines go to stderr so that stdout stays clean for data (jsonl, csv).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogSink {
  write(line: string): void;
}

const stderrSink: LogSink = { write: (line) => process.stderr.write(line + '\n') };

let threshold = ORDER.info;
let sink: LogSink = stderrSink;
/** Bumped when the sink changes: a rate limit is about one destination, so a new sink starts with none held back. */
let sinkGeneration = 0;

export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

export function getLogLevel(): LogLevel {
  return (Object.keys(ORDER) as LogLevel[]).find((k) => ORDER[k] === threshold) ?? 'info';
}

/** Redirect log lines (tests capture them). Returns a function that restores the previous sink. */
export function setLogSink(next: LogSink): () => void {
  const prev = sink;
  sink = next;
  sinkGeneration++;
  return () => {
    sink = prev;
    sinkGeneration++;
  };
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Log at most once per `intervalMs` for this key; counts the suppressed ones and reports them with the next line. */
  limited(level: Exclude<LogLevel, 'silent'>, key: string, msg: string, intervalMs?: number): void;
}

function emit(level: Exclude<LogLevel, 'silent'>, stage: string, msg: string): void {
  if (ORDER[level] < threshold) return;
  sink.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${stage}] ${msg}`);
}

export function logger(stage: string): Logger {
  const lastAt = new Map<string, number>();
  const suppressed = new Map<string, number>();
  let generation = sinkGeneration;
  return {
    debug: (m) => emit('debug', stage, m),
    info: (m) => emit('info', stage, m),
    warn: (m) => emit('warn', stage, m),
    error: (m) => emit('error', stage, m),
    limited(level, key, msg, intervalMs = 5000) {
      if (generation !== sinkGeneration) {
        generation = sinkGeneration;
        lastAt.clear();
        suppressed.clear();
      }
      const now = Date.now();
      const last = lastAt.get(key);
      if (last !== undefined && now - last < intervalMs) {
        suppressed.set(key, (suppressed.get(key) ?? 0) + 1);
        return;
      }
      const n = suppressed.get(key) ?? 0;
      suppressed.set(key, 0);
      lastAt.set(key, now);
      emit(level, stage, n > 0 ? `${msg} (+${n} similar suppressed)` : msg);
    },
  };
}
