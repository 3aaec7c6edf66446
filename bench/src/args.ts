// Command-line options of `pnpm bench` (bench/dist/run.js).

export interface BenchOptions {
  quick: boolean;
  /** Run the codec children under `node --cpu-prof` and summarize the profiles. */
  profile: boolean;
  /** Only run groups whose name contains one of these words (download, upload, codec, compress, memory, rest, cli). */
  only: string[];
  /** Where latest.json / latest.md go. */
  outDir: string;
}

export function parseArgs(argv: readonly string[], defaultOut: string): BenchOptions {
  const o: BenchOptions = { quick: false, profile: false, only: [], outDir: defaultOut };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a === '--quick') o.quick = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--only') o.only.push(...(argv[++i] ?? '').split(','));
    else if (a === '--out') o.outDir = argv[++i] ?? defaultOut;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: pnpm bench [--quick] [--profile] [--only download,upload,codec,compress,memory,rest,cli] [--out dir]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Sizes of a run. Ranges split 1/2/4 ways and the unique block must stay aligned to Arrow slices. */
export interface Sizes {
  /** Distinct rows; tables repeat them cyclically. */
  unique: number;
  /** Rows per Arrow slice of the blob server (ranges must be multiples). */
  sliceRows: number;
  /** Rows of the table on the minimal loopback server. */
  blobRows: number;
  /** Rows of the table on the emulator (its sessions snapshot every row in memory). */
  emulatorRows: number;
  /** Bytes streamed by the memory case. */
  memoryBytes: number;
  sqlIterations: number;
  listTables: number;
  /** Runs per download/upload case (fastest kept: the machine is shared). */
  reps: number;
}

export function sizesFor(quick: boolean): Sizes {
  return quick
    ? { unique: 20_000, sliceRows: 10_000, blobRows: 200_000, emulatorRows: 40_000, memoryBytes: 256 * 2 ** 20, sqlIterations: 10, listTables: 10_000, reps: 1 }
    : { unique: 100_000, sliceRows: 10_000, blobRows: 1_000_000, emulatorRows: 200_000, memoryBytes: 2 * 2 ** 30, sqlIterations: 30, listTables: 10_000, reps: 2 };
}
