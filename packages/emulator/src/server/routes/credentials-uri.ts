// `GET /credentials`: a credentials URI like a DataWorks dev environment's, issuing rotating STS triples.
import type { Router } from '../router.js';
import { isoSeconds } from '../time-format.js';

export function registerCredentialsRoutes(router: Router): void {
  router.add('public', 'GET', '/credentials', (ctx) => {
    const issued = ctx.emu.credentials.issueSts(ctx.emu.config.stsLifetimeSeconds);
    ctx.emu.logger.info('issued STS credentials', { accessKeyId: issued.accessKeyId, expiration: isoSeconds(issued.expiration) });
    ctx.sendJson({
      Code: 'Success',
      AccessKeyId: issued.accessKeyId,
      AccessKeySecret: issued.accessKeySecret,
      SecurityToken: issued.securityToken,
      Expiration: isoSeconds(issued.expiration),
      LastUpdated: isoSeconds(issued.issuedAt),
    });
  });
}
