import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Customer, Public } from '../../../platform/auth/access.decorator.js';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.decorator.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { AccountService } from '../application/account.service.js';
import { SessionService } from '../application/session.service.js';
import { AccountDto, LoginDto, RegisterDto, TokenPairDto } from './auth.dto.js';

/** The same identity use cases as the REST controller, over GraphQL. */
@Resolver(() => AccountDto)
export class IdentityResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  @Query(() => AccountDto, { description: 'The signed-in account' })
  @Customer()
  me(@CurrentPrincipal() principal: Principal): Promise<AccountDto> {
    return this.accounts.me(principal.accountId);
  }

  @Mutation(() => AccountDto)
  @Public()
  register(@Args('input') input: RegisterDto): Promise<AccountDto> {
    return this.accounts.register(input.email, input.password);
  }

  @Mutation(() => TokenPairDto)
  @Public()
  login(@Args('input') input: LoginDto): Promise<TokenPairDto> {
    return this.sessions.login(input.email, input.password);
  }
}
