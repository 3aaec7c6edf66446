// Lists the tables of the project: the TypeScript port of the DataWorks "list tables" Python example.
import { runExample } from './connect.js';

await runExample(async ({ odps }) => {
  let count = 0;
  for await (const table of odps.tables.list()) {
    console.log(table.name);
    count += 1;
  }
  console.error(`${count} table(s)`);
});
