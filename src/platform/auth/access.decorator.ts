import { SetMetadata } from '@nestjs/common';

/** Who may call a route. Every route must say it; the app refuses to start otherwise. */
export type AccessLevel = 'public' | 'customer' | 'admin';
export const ACCESS_METADATA = 'scaleshop:access';

/** Anyone, signed in or not. */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' satisfies AccessLevel);
/** Any signed-in account; the use case must restrict data to the caller's own. */
export const Customer = () => SetMetadata(ACCESS_METADATA, 'customer' satisfies AccessLevel);
/** Staff with the admin role. */
export const Admin = () => SetMetadata(ACCESS_METADATA, 'admin' satisfies AccessLevel);
