// The account contract the transport signs with: @odps-ts/auth's own types (released in lockstep).
export type { Account, SignableRequest, SignOptions } from '@odps-ts/auth';
