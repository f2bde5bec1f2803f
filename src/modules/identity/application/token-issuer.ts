import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import type { AccessTokenClaims } from '../../../platform/auth/principal.js';
import type { IdentityRole } from '../identity.contract.js';
import { RefreshTokenEntity } from '../infrastructure/refresh-token.entity.js';

/** What a successful login or refresh returns to the client. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Issues a short-lived JWT access token and an opaque, single-use refresh token. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(
    manager: EntityManager,
    account: { id: string; role: IdentityRole },
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: account.id, role: account.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims);
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.insert(RefreshTokenEntity, {
      tokenHash: hashRefreshToken(refreshToken),
      accountId: account.id,
      familyId,
      expiresAt: new Date(Date.now() + this.config.auth.refreshTtlS * 1000),
      revokedAt: null,
    });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.auth.accessTtlS,
    };
  }
}
