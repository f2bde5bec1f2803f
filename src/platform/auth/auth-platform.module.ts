import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AccessAuditor } from './access-auditor.js';
import { AccessGuard } from './access.guard.js';

/** Verifies access tokens on every route and enforces the route's declared access level. */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.accessSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTtlS },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AccessGuard }, AccessAuditor],
})
export class AuthPlatformModule {}
