import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Customer, Public } from '../../../platform/auth/access.decorator.js';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.decorator.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { AccountService } from '../application/account.service.js';
import { SessionService } from '../application/session.service.js';
import { AccountDto, LoginDto, RefreshDto, RegisterDto, TokenPairDto } from './auth.dto.js';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  /** Creates a customer account. */
  @Post('auth/register')
  @Public()
  @UseGuards(ThrottlerGuard)
  async register(@Body() body: RegisterDto): Promise<AccountDto> {
    return this.accounts.register(body.email, body.password);
  }

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @UseGuards(ThrottlerGuard)
  async login(@Body() body: LoginDto): Promise<TokenPairDto> {
    return this.sessions.login(body.email, body.password);
  }

  /** Rotates the refresh token: the presented one stops working. */
  @Post('auth/refresh')
  @HttpCode(200)
  @Public()
  @UseGuards(ThrottlerGuard)
  async refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Public()
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.sessions.logout(body.refreshToken);
  }

  @Get('me')
  @Customer()
  @ApiBearerAuth()
  async me(@CurrentPrincipal() principal: Principal): Promise<AccountDto> {
    return this.accounts.me(principal.accountId);
  }
}
