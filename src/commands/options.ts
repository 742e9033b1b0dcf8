/** Options every subcommand understands (declared on the root program in src/cli.ts). */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  config?: string;
}
