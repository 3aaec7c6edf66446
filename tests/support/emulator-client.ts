// One in-process emulator and one client signed with its root AccessKey, for end-to-end suites.
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS } from '@odps-ts/odps-client';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '@odps-ts/emulator';

export interface EmulatorClient {
  emu: Emulator;
  odps: ODPS;
  /** Closes the client, then the emulator. */
  close(): Promise<void>;
}

/** Starts an emulator on a free loopback port and a client with short retry delays. */
export async function startEmulatorClient(options: StartEmulatorOptions = {}): Promise<EmulatorClient> {
  const emu = await startEmulator({ port: 0, ...options });
  const odps = new ODPS({
    account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret),
    project: emu.project,
    endpoint: emu.endpoint,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  return {
    emu,
    odps,
    close: async () => {
      await odps.close();
      await emu.close();
    },
  };
}
