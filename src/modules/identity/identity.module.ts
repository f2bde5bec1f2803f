import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountService } from './application/account.service.js';
import { AdminBootstrap } from './application/admin-bootstrap.js';
import { SessionService } from './application/session.service.js';
import { TokenIssuer } from './application/token-issuer.js';
import { AuthController } from './api/auth.controller.js';
import { IdentityResolver } from './api/identity.resolver.js';
import { IDENTITY_PORT } from './identity.contract.js';
import { AccountEntity } from './infrastructure/account.entity.js';
import { PasswordHasher } from './infrastructure/password-hasher.js';
import { RefreshTokenEntity } from './infrastructure/refresh-token.entity.js';

/** Tables identity maps; the migration CLI and the drift check load them. */
export const IDENTITY_ENTITIES = [AccountEntity, RefreshTokenEntity];

/** Accounts, credentials and tokens. */
@Module({})
export class IdentityModule {
  static forRoot(options: { api: boolean }): DynamicModule {
    return {
      module: IdentityModule,
      // Global: other contexts inject the exported port by its contract token, never this module.
      global: true,
      imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES)],
      controllers: options.api ? [AuthController] : [],
      providers: [
        AccountService,
        SessionService,
        TokenIssuer,
        PasswordHasher,
        AdminBootstrap,
        { provide: IDENTITY_PORT, useExisting: AccountService },
        ...(options.api ? [IdentityResolver] : []),
      ],
      exports: [IDENTITY_PORT],
    };
  }
}
