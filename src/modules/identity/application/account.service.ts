import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../platform/database/unique-violation.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { normalizeEmail } from '../domain/email.js';
import { AccountNotFoundError, EmailTakenError } from '../domain/identity.errors.js';
import {
  IDENTITY_EVENTS,
  type AccountRegisteredV1,
  type AccountView,
  type IdentityPort,
  type IdentityRole,
} from '../identity.contract.js';
import { AccountEntity } from '../infrastructure/account.entity.js';
import { PasswordHasher } from '../infrastructure/password-hasher.js';

export function toAccountView(a: AccountEntity): AccountView {
  return { id: a.id, email: a.email, role: a.role, createdAt: a.createdAt.toISOString() };
}

/** Accounts: registration, look-up, and the first admin from configuration. */
@Injectable()
export class AccountService implements IdentityPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxWriter,
  ) {}

  async register(
    email: string,
    password: string,
    role: IdentityRole = 'customer',
  ): Promise<AccountView> {
    const passwordHash = await this.hasher.hash(password);
    try {
      return await this.dataSource.transaction((m) =>
        this.insert(m, normalizeEmail(email), passwordHash, role),
      );
    } catch (err) {
      if (uniqueViolation(err) !== undefined) {
        throw new EmailTakenError();
      }
      throw err;
    }
  }

  /** Creates the configured admin once; several instances starting together race harmlessly. */
  async ensureAdmin(email: string, password: string): Promise<void> {
    const normalized = normalizeEmail(email);
    const existing = await this.dataSource.manager.findOne(AccountEntity, {
      where: { email: normalized },
    });
    if (existing) return;
    await this.register(normalized, password, 'admin').catch((err: unknown) => {
      if (!(err instanceof EmailTakenError)) throw err;
    });
  }

  async findAccount(accountId: string): Promise<AccountView | null> {
    const account = await this.dataSource.manager.findOne(AccountEntity, {
      where: { id: accountId },
    });
    return account ? toAccountView(account) : null;
  }

  async me(accountId: string): Promise<AccountView> {
    const account = await this.findAccount(accountId);
    if (!account) throw new AccountNotFoundError();
    return account;
  }

  private async insert(
    manager: EntityManager,
    email: string,
    passwordHash: string,
    role: IdentityRole,
  ): Promise<AccountView> {
    const account = await manager.save(
      manager.create(AccountEntity, { email, passwordHash, role }),
    );
    const payload: AccountRegisteredV1 = { accountId: account.id, email, role };
    await this.outbox.append(manager, 'identity', [
      { type: IDENTITY_EVENTS.accountRegistered, version: 1, payload: { ...payload } },
    ]);
    return toAccountView(account);
  }
}
