import type { MigrationInterface } from 'typeorm';
import { InitialIdentityAndCatalog1764201600000 } from './1764201600000-initial-identity-and-catalog.js';
import { CatalogVariantsCategoriesAndReadModel1764288000000 } from './1764288000000-catalog-variants-categories-and-read-model.js';

/** Every migration, in order. A new migration is added here (the drift check fails otherwise). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialIdentityAndCatalog1764201600000,
  CatalogVariantsCategoriesAndReadModel1764288000000,
];
