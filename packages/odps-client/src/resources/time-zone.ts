// The zone the service wrote DATETIME text in: call option, session hint, project property, client option, UTC.
import type { Transport } from '../http/transport.js';
import { validateTimeZone } from '../types/index.js';
import type { OdpsContext } from './context.js';
import { Projects } from './projects.js';

/** SQL setting naming the session's time zone (PyODPS sends it when `options.local_timezone` is set). */
export const TIME_ZONE_SETTING = 'odps.sql.timezone';

// One lookup per client and project: the property rarely changes and every result would otherwise cost a request.
const projectZones = new WeakMap<Transport, Map<string, Promise<string | undefined>>>();

/**
 * The project property `odps.sql.timezone` (`GET /projects/<p>`, as the Java SDK's Table.read does),
 * loaded once per client. A failed lookup (no permission, old service) gives undefined, also cached.
 */
export function projectTimeZone(ctx: OdpsContext, project: string): Promise<string | undefined> {
  let byProject = projectZones.get(ctx.transport);
  if (!byProject) {
    byProject = new Map();
    projectZones.set(ctx.transport, byProject);
  }
  let zone = byProject.get(project);
  if (!zone) {
    zone = new Projects(ctx).get(project).then(
      (p) => usableZone(p.properties[TIME_ZONE_SETTING]),
      () => undefined,
    );
    byProject.set(project, zone);
  }
  return zone;
}

function usableZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    return validateTimeZone(zone);
  } catch {
    return undefined;
  }
}

export interface ZoneSources {
  /** The caller's `timeZone` option. */
  explicit?: string | undefined;
  /** `odps.sql.timezone` the instance was submitted with. */
  session?: string | undefined;
}

/**
 * Resolve the zone for DATETIME text of `project`. [UNVERIFIED] UTC when nothing names one: the
 * service documents the project zone as the default, and UTC is what the emulator uses.
 */
export async function dataTimeZone(ctx: OdpsContext, project: string, sources: ZoneSources = {}): Promise<string> {
  if (sources.explicit !== undefined) return validateTimeZone(sources.explicit);
  const session = usableZone(sources.session);
  if (session) return session;
  return (await projectTimeZone(ctx, project)) ?? (ctx.options.timeZone ? validateTimeZone(ctx.options.timeZone) : 'UTC');
}
