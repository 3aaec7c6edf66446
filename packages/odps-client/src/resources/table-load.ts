// The two table-meta requests (plain and `?extended`), shared by `tables.get` and `table.loadExtendedInfo`.
import { NoSuchObjectError } from '../errors.js';
import { xmlChild, type XmlNode } from '../http/xml.js';
import type { OdpsContext } from './context.js';
import { requestXml, withSchema } from './request.js';

export interface TableRef {
  project: string;
  name: string;
  /** Sent as `curr_schema` in three-tier projects. */
  schema?: string | undefined;
}

/** `GET /projects/<p>/tables/<t>[?extended]`: the `Table` element of the answer. */
export async function fetchTableNode(ctx: OdpsContext, ref: TableRef, extended: boolean, signal?: AbortSignal): Promise<XmlNode> {
  const { doc } = await requestXml(ctx, {
    method: 'GET', path: ['projects', ref.project, 'tables', ref.name],
    query: withSchema({ extended: extended ? null : undefined }, ref.schema), signal,
  });
  const t = xmlChild(doc, 'Table');
  if (!t) throw new NoSuchObjectError(`table ${ref.name} not found (empty answer)`, { code: 'NoSuchTable' });
  return t;
}
