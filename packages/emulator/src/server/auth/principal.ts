// Who made a request, as established by authentication.

export interface BearerGrant {
  project: string;
  /** Resource patterns from the signed policy, e.g. `acs:odps:*:projects/demo/instances/2025...`. */
  resources: string[];
  /** Policy actions, e.g. `odps:Read`. */
  actions: string[];
  expiration: Date;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'root'; accessKeyId: string }
  | { kind: 'sts'; accessKeyId: string }
  | { kind: 'bearer'; grant: BearerGrant };
