import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { AccountService } from './account.service.js';

/** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when it does not exist yet. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.admin;
    if (!admin) return;
    await this.accounts.ensureAdmin(admin.email, admin.password);
    this.logger.log(`admin account ${admin.email} present`);
  }
}
