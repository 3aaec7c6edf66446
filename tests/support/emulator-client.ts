// One in-process emulator and one client signed with its root AccessKey, for end-to-end suites.
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS, type OdpsOptions } from '@odps-ts/odps-client';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '@odps-ts/emulator';

export interface EmulatorClient {
  emu: Emulator;
  odps: ODPS;
  /** Another client on the same emulator (closed by `close()`), e.g. one bound to another schema. */
  client(options?: Partial<OdpsOptions>): ODPS;
  /** Closes the clients, then the emulator. */
  close(): Promise<void>;
}

export interface EmulatorClientOptions extends StartEmulatorOptions {
  /** Merged into the client's options (after the defaults: short retry delays, the emulator's endpoints). */
  clientOptions?: Partial<OdpsOptions>;
}

/** Starts an emulator on a free loopback port and a client with short retry delays. */
export async function startEmulatorClient(options: EmulatorClientOptions = {}): Promise<EmulatorClient> {
  const { clientOptions, ...emulatorOptions } = options;
  const emu = await startEmulator({ port: 0, ...emulatorOptions });
  const clients: ODPS[] = [];
  const client = (extra: Partial<OdpsOptions> = {}): ODPS => {
    const odps = new ODPS({
      account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret),
      project: emu.project,
      endpoint: emu.endpoint,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...clientOptions,
      ...extra,
    });
    clients.push(odps);
    return odps;
  };
  const odps = client();
  return {
    emu,
    odps,
    client,
    close: async () => {
      for (const c of clients) await c.close();
      await emu.close();
    },
  };
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** An emulator logger that records every request it serves (method, path with query, status) into `into`. */
export function requestLogger(into: LoggedRequest[]): NonNullable<StartEmulatorOptions['logger']> {
  return {
    debug: (message, fields) => {
      if (message === 'request' && fields) into.push({ method: String(fields['method']), path: String(fields['path']), status: Number(fields['status']) });
    },
  };
}
