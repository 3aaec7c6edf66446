// One registered function: its class and resources (a UDF) or its SQL definition, as `Function` XML says.
import { childText, xmlChild, xmlChildren, xmlText, type XmlNode } from '../http/xml.js';
import { parseTime } from './request.js';

export interface FunctionInfo {
  name: string;
  project: string;
  schemaName?: string;
  owner?: string;
  creationTime?: Date;
  /** Class the service loads: `com.example.Lower` (Java) or `module.Class` (Python). */
  classType?: string;
  /** Resource names: `res` in the same project, `project/resources/res` otherwise. */
  resources: string[];
  /** A function defined in SQL (`CREATE SQL FUNCTION`). */
  isSqlFunction: boolean;
  sqlDefinitionText?: string;
  isEmbeddedFunction: boolean;
}

/** Parse a `Function` element (Java FunctionModel, PyODPS Function). */
export function parseFunction(node: XmlNode, project: string, schema: string | undefined): FunctionInfo {
  const out: FunctionInfo = {
    name: childText(node, 'Alias') ?? '',
    project,
    resources: xmlChildren(xmlChild(node, 'Resources'), 'ResourceName').map((r) => xmlText(r)?.trim() ?? '').filter((r) => r !== ''),
    isSqlFunction: (childText(node, 'IsSqlFunction') ?? '').toLowerCase() === 'true',
    isEmbeddedFunction: (childText(node, 'IsEmbeddedFunction') ?? '').toLowerCase() === 'true',
  };
  const schemaName = childText(node, 'SchemaName') || schema;
  if (schemaName) out.schemaName = schemaName;
  const set = <K extends keyof FunctionInfo>(k: K, v: FunctionInfo[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('owner', childText(node, 'Owner'));
  set('creationTime', parseTime(childText(node, 'CreationTime')));
  set('classType', childText(node, 'ClassType'));
  if (out.isSqlFunction) set('sqlDefinitionText', childText(node, 'SqlDefinitionText'));
  return out;
}
