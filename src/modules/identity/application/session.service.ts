import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { normalizeEmail } from '../domain/email.js';
import { InvalidCredentialsError, InvalidRefreshTokenError } from '../domain/identity.errors.js';
import { AccountEntity } from '../infrastructure/account.entity.js';
import { PasswordHasher } from '../infrastructure/password-hasher.js';
import { RefreshTokenEntity } from '../infrastructure/refresh-token.entity.js';
import { hashRefreshToken, TokenIssuer, type TokenPair } from './token-issuer.js';

/** Login, refresh-token rotation and logout. */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
  ) {}

  async login(email: string, password: string): Promise<TokenPair> {
    // Credentials are checked on the primary: a just-registered account may not be on a replica.
    return this.dataSource.transaction(async (manager) => {
      const account = await manager.findOne(AccountEntity, {
        where: { email: normalizeEmail(email) },
      });
      const ok = await this.hasher.verify(account?.passwordHash, password);
      if (!account || !ok) throw new InvalidCredentialsError();
      return this.tokens.issue(manager, account);
    });
  }

  /**
   * Exchanges a refresh token for a new pair. The row is locked so two concurrent refreshes with
   * one token cannot both succeed; a token used twice revokes its whole family.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RefreshTokenEntity, {
        where: { tokenHash: hashRefreshToken(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.expiresAt.getTime() <= Date.now()) return 'invalid' as const;
      if (row.revokedAt) {
        await manager.update(
          RefreshTokenEntity,
          { familyId: row.familyId, revokedAt: IsNull() },
          { revokedAt: new Date() },
        );
        return 'reused' as const;
      }
      const account = await manager.findOne(AccountEntity, { where: { id: row.accountId } });
      if (!account) return 'invalid' as const;
      await manager.update(RefreshTokenEntity, { id: row.id }, { revokedAt: new Date() });
      return this.tokens.issue(manager, account, row.familyId);
    });
    if (typeof outcome === 'string') throw new InvalidRefreshTokenError();
    return outcome;
  }

  /** Revokes the token's family; unknown tokens are ignored so logout is idempotent. */
  async logout(refreshToken: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RefreshTokenEntity, {
        where: { tokenHash: hashRefreshToken(refreshToken) },
      });
      if (!row) return;
      await manager.update(
        RefreshTokenEntity,
        { familyId: row.familyId, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
    });
  }
}
