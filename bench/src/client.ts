// The client under test, built the way an application would, with one undici Agent shared by all calls.
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS } from '@odps-ts/odps-client';
import { Agent } from 'undici';
import type { Target } from './spec.js';

export interface BenchClient {
  odps: ODPS;
  agent: Agent;
  close(): Promise<void>;
}

export function makeClient(t: Target): BenchClient {
  const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
  const odps = new ODPS({
    account: new AliyunAccount(t.accessKeyId, t.accessKeySecret),
    project: t.project,
    endpoint: t.endpoint,
    tunnelEndpoint: t.tunnelEndpoint,
    dispatcher: agent,
  });
  return { odps, agent, close: async () => { await odps.close(); await agent.close(); } };
}

/** The tunnel path of a table (tunnel.md §2.1). */
export function tablePath(project: string, table: string): string[] {
  return ['projects', project, 'tables', table];
}
