// Entry point of a measurement child: runs the case in BENCH_SPEC and prints one result line.
import { runCliStartup } from './cases/cli.js';
import { runCodec } from './cases/codec.js';
import { runCompress } from './cases/compress.js';
import { runDownload } from './cases/download.js';
import { runMemory } from './cases/memory.js';
import { runListTables, runSqlRoundTrip } from './cases/rest.js';
import { runUpload } from './cases/upload.js';
import { RESULT_PREFIX, type CaseResult, type CaseSpec } from './spec.js';

async function run(spec: CaseSpec): Promise<CaseResult> {
  switch (spec.kind) {
    case 'download': return runDownload(spec);
    case 'upload': return runUpload(spec);
    case 'codec': return runCodec(spec);
    case 'compress': return runCompress(spec);
    case 'memory': return runMemory(spec);
    case 'sql': return runSqlRoundTrip(spec);
    case 'list': return runListTables(spec);
    case 'cli': return runCliStartup(spec);
  }
}

const text = process.env['BENCH_SPEC'];
if (!text) throw new Error('BENCH_SPEC is not set (this file is started by bench/dist/run.js)');
const result = await run(JSON.parse(text) as CaseSpec);
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
