// Chooses where the examples run: real MaxCompute when the environment names a project and endpoint,
// otherwise a local emulator started in-process whose credentials URI hands out rotating STS tokens.
import { CredentialProviderAccount } from '@odps-ts/auth';
import { ODPS } from '@odps-ts/odps-client';
import { startEmulator } from '@odps-ts/emulator';

export interface Connection {
  odps: ODPS;
  /** Where we are connected, for the first line a script prints. */
  target: string;
  close(): Promise<void>;
}

export async function connect(): Promise<Connection> {
  const endpoint = process.env.ODPS_ENDPOINT;
  const project = process.env.ODPS_PROJECT_NAME;
  if (endpoint && project) {
    // Real service: credentials come from the default chain (env keys, credentials URI, the file a
    // DataWorks/PAI dev environment mounts, CLI profile, ECS RAM role...), never from code.
    const odps = ODPS.fromEnv();
    return { odps, target: `${endpoint} (project ${project})`, close: async () => odps.close() };
  }
  const emulator = await startEmulator({ port: 0 });
  // The same credential flow as a DataWorks personal development environment: the default chain finds
  // ALIBABA_CLOUD_CREDENTIALS_URI and refreshes the STS token it hands out before it expires.
  process.env.ALIBABA_CLOUD_CREDENTIALS_URI = emulator.credentialsUri;
  const account = new CredentialProviderAccount();
  const odps = new ODPS({ account, project: emulator.project, endpoint: emulator.endpoint });
  return {
    odps,
    target: `local emulator at ${emulator.endpoint} (project ${emulator.project})`,
    close: async () => {
      await odps.close();
      await emulator.close();
    },
  };
}

/** Runs an example's body with a connection and exits non-zero with a readable message on failure. */
export async function runExample(body: (conn: Connection) => Promise<void>): Promise<void> {
  const conn = await connect();
  try {
    console.error(`connected to ${conn.target}`);
    await body(conn);
  } catch (err) {
    console.error(err instanceof Error ? `error: ${err.message}` : err);
    process.exitCode = 1;
  } finally {
    await conn.close();
  }
}
