import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../platform/database/unique-violation.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { CATALOG_EVENTS, type ProductChangedV1, type ProductStatus } from '../catalog.contract.js';
import {
  AmbiguousPriceError,
  CategoryNotFoundError,
  LastVariantError,
  ProductNotFoundError,
  SkuTakenError,
  SlugTakenError,
  VariantNotFoundError,
} from '../domain/catalog.errors.js';
import { slugify } from '../domain/slug.js';
import { CategoryEntity } from '../infrastructure/category.entity.js';
import { ProductEntity } from '../infrastructure/product.entity.js';
import { VariantEntity } from '../infrastructure/variant.entity.js';
import { ProductReadService } from './product-read.service.js';
import type { ProductView } from './product-views.js';

export interface VariantInput {
  sku?: string;
  options?: Record<string, string>;
  priceMinor: number;
}

export interface CreateProductInput {
  name: string;
  slug?: string;
  description?: string;
  currency: string;
  status?: ProductStatus;
  categoryId?: string | null;
  images?: string[];
  /** Either variants, or a single price (one default variant is made). */
  variants?: VariantInput[];
  priceMinor?: number;
  sku?: string;
}

export interface UpdateProductInput {
  name?: string;
  slug?: string;
  description?: string;
  currency?: string;
  status?: ProductStatus;
  categoryId?: string | null;
  images?: string[];
  /** Only for a product with a single variant. */
  priceMinor?: number;
}

/**
 * Admin writes. Each change, its version bump and its event commit together; the worker then
 * rebuilds the product document and invalidates the cached shop responses.
 */
@Injectable()
export class ProductAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly reads: ProductReadService,
  ) {}

  async create(input: CreateProductInput): Promise<ProductView> {
    const id = await this.createIn(null, input);
    // Read back as stored. This read runs outside the transaction, so it is read-your-writes
    // routing (this request wrote) that keeps it on the primary instead of a lagging replica.
    return this.reads.adminById(id);
  }

  /**
   * Creates a product with its variants in a new transaction, or in a savepoint of `manager`'s.
   * Bulk import calls it per row, so a row is imported whole or not at all.
   */
  async createIn(manager: EntityManager | null, input: CreateProductInput): Promise<string> {
    const now = new Date();
    const variants: VariantInput[] =
      input.variants && input.variants.length > 0
        ? input.variants
        : [{ sku: input.sku, priceMinor: input.priceMinor ?? 0 }];
    const explicitSlug = input.slug !== undefined;
    const base = input.slug ?? slugify(input.name);
    for (let attempt = 0; ; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      const id = randomUUID();
      try {
        await this.inTransaction(manager, async (m) => {
          if (input.categoryId) await this.requireCategory(m, input.categoryId);
          await m.insert(ProductEntity, {
            id,
            slug,
            name: input.name,
            description: input.description ?? '',
            currency: input.currency,
            status: input.status ?? 'active',
            categoryId: input.categoryId ?? null,
            images: input.images ?? [],
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
          await m.insert(
            VariantEntity,
            variants.map((v, position) => ({
              id: randomUUID(),
              productId: id,
              sku: v.sku ?? `${slug.toUpperCase()}${variants.length > 1 ? `-${position + 1}` : ''}`,
              options: v.options ?? {},
              priceMinor: v.priceMinor,
              position,
              createdAt: now,
              updatedAt: now,
            })),
          );
          await this.emit(m, CATALOG_EVENTS.productCreated, id, 1);
        });
        return id;
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === undefined) throw err;
        if (constraint === 'variants_sku_key') {
          throw new SkuTakenError(variants.map((v) => v.sku).join(', '));
        }
        if (constraint !== 'products_slug_key' || explicitSlug || attempt >= 3) {
          throw new SlugTakenError(slug);
        }
      }
    }
  }

  async update(id: string, input: UpdateProductInput): Promise<ProductView> {
    await this.change(id, async (m, product) => {
      if (input.categoryId) await this.requireCategory(m, input.categoryId);
      const { priceMinor, ...fields } = input;
      Object.assign(product, stripUndefined(fields));
      if (priceMinor !== undefined) {
        const variants = await m.find(VariantEntity, { where: { productId: id } });
        if (variants.length !== 1) throw new AmbiguousPriceError();
        await m.update(
          VariantEntity,
          { id: variants[0].id },
          { priceMinor, updatedAt: new Date() },
        );
      }
    });
    return this.reads.adminById(id);
  }

  /** Archiving hides a product from the shop and keeps it for orders that refer to it. */
  async archive(id: string): Promise<ProductView> {
    return this.update(id, { status: 'archived' });
  }

  async addVariant(productId: string, input: VariantInput): Promise<ProductView> {
    await this.change(productId, async (m, product) => {
      const count = await m.count(VariantEntity, { where: { productId } });
      const now = new Date();
      await m.insert(VariantEntity, {
        id: randomUUID(),
        productId,
        sku: input.sku ?? `${product.slug.toUpperCase()}-${count + 1}`,
        options: input.options ?? {},
        priceMinor: input.priceMinor,
        position: count,
        createdAt: now,
        updatedAt: now,
      });
    });
    return this.reads.adminById(productId);
  }

  async updateVariant(
    productId: string,
    variantId: string,
    input: Partial<VariantInput>,
  ): Promise<ProductView> {
    await this.change(productId, async (m) => {
      const result = await m.update(
        VariantEntity,
        { id: variantId, productId },
        { ...stripUndefined(input), updatedAt: new Date() },
      );
      if (!result.affected) throw new VariantNotFoundError();
    });
    return this.reads.adminById(productId);
  }

  async removeVariant(productId: string, variantId: string): Promise<ProductView> {
    await this.change(productId, async (m) => {
      const count = await m.count(VariantEntity, { where: { productId } });
      const result = await m.delete(VariantEntity, { id: variantId, productId });
      if (!result.affected) throw new VariantNotFoundError();
      if (count <= 1) throw new LastVariantError();
    });
    return this.reads.adminById(productId);
  }

  /** Locks the product, applies `edit`, bumps the version and emits the change, in one transaction. */
  private async change(
    id: string,
    edit: (m: EntityManager, product: ProductEntity) => Promise<void>,
  ): Promise<void> {
    try {
      await this.dataSource.transaction(async (m) => {
        const product = await m.findOne(ProductEntity, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        if (!product) throw new ProductNotFoundError();
        await edit(m, product);
        product.version += 1;
        product.updatedAt = new Date();
        await m.save(ProductEntity, product);
        await this.emit(m, CATALOG_EVENTS.productUpdated, id, product.version);
      });
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint === 'variants_sku_key') {
        throw new SkuTakenError('');
      }
      if (constraint === 'products_slug_key') {
        throw new SlugTakenError('');
      }
      throw err;
    }
  }

  private async requireCategory(m: EntityManager, categoryId: string): Promise<void> {
    if (!(await m.exists(CategoryEntity, { where: { id: categoryId } }))) {
      throw new CategoryNotFoundError();
    }
  }

  private async emit(m: EntityManager, type: string, productId: string, version: number) {
    const payload: ProductChangedV1 = { productId, version };
    await this.outbox.append(m, 'catalog', [{ type, version: 1, payload: { ...payload } }]);
  }

  private async inTransaction(
    manager: EntityManager | null,
    work: (m: EntityManager) => Promise<void>,
  ): Promise<void> {
    // Inside a caller's transaction each attempt gets a savepoint, so a duplicate slug can be
    // retried without aborting the caller's work.
    if (manager) await manager.transaction(work);
    else await this.dataSource.transaction(work);
  }
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
