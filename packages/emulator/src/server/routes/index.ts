// Builds the emulator's router: the Storage API, every REST, public and admin route, then the tunnel routes.
import type { EmulatorContext } from '../context.js';
import { Router } from '../router.js';
import { registerStorageRoutes } from '../storage/index.js';
import { registerTunnelRoutes } from '../tunnel/index.js';
import { registerAdminRoutes } from './admin.js';
import { registerAuthorizationRoutes } from './authorization.js';
import { registerCredentialsRoutes } from './credentials-uri.js';
import { registerFunctionRoutes } from './functions.js';
import { registerInstanceRoutes } from './instances.js';
import { registerProjectRoutes } from './projects.js';
import { registerQuotaRoutes } from './quotas.js';
import { registerSchemaRoutes } from './schemas.js';
import { registerResourceRoutes } from './resources.js';
import { registerServiceHostRoutes } from './service-hosts.js';
import { registerTableRoutes } from './tables.js';

export function buildRouter(emu: EmulatorContext): Router {
  const router = new Router();
  // First: its paths start with /api like REST's, and must not be taken for REST routes.
  registerStorageRoutes(router, emu);
  registerProjectRoutes(router);
  registerQuotaRoutes(router);
  registerSchemaRoutes(router);
  registerTableRoutes(router);
  registerInstanceRoutes(router);
  registerResourceRoutes(router);
  registerFunctionRoutes(router);
  registerAuthorizationRoutes(router);
  registerServiceHostRoutes(router);
  registerCredentialsRoutes(router);
  registerAdminRoutes(router);
  registerTunnelRoutes(router, emu);
  return router;
}
