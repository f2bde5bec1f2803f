import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CacheTagIndex } from '../../../platform/cache/cache-tag-index.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { CATALOG_EVENTS, type ProductChangedV1, type ProductStatus } from '../catalog.contract.js';
import { ProductNotFoundError, SlugTakenError } from '../domain/catalog.errors.js';
import { slugify } from '../domain/slug.js';
import { ProductEntity } from '../infrastructure/product.entity.js';
import { productTags, PRODUCT_LIST_TAG } from './product-cache-tags.js';
import { ProductQueryService } from './product-query.service.js';
import type { ProductView } from './product-views.js';

export interface CreateProductInput {
  name: string;
  slug?: string;
  description?: string;
  priceMinor: number;
  currency: string;
  status?: ProductStatus;
}

export type UpdateProductInput = Partial<CreateProductInput>;

const UNIQUE_VIOLATION = '23505';

/** Admin writes: each change, its version bump and its event commit together. */
@Injectable()
export class ProductAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cacheTags: CacheTagIndex,
    private readonly queries: ProductQueryService,
  ) {}

  async create(input: CreateProductInput): Promise<ProductView> {
    const now = new Date();
    const explicitSlug = input.slug !== undefined;
    const product = await this.withSlugRetry(
      explicitSlug,
      input.slug ?? slugify(input.name),
      (slug) =>
        this.dataSource.transaction(async (manager) => {
          const entity = manager.create(ProductEntity, {
            id: randomUUID(),
            slug,
            name: input.name,
            description: input.description ?? '',
            priceMinor: input.priceMinor,
            currency: input.currency,
            status: input.status ?? 'active',
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
          await manager.insert(ProductEntity, entity);
          await this.emit(manager, CATALOG_EVENTS.productCreated, entity);
          return entity;
        }),
    );
    await this.cacheTags.invalidate([PRODUCT_LIST_TAG]);
    // Read back as stored. This read runs outside the transaction, so it is read-your-writes
    // routing (this request wrote) that keeps it on the primary instead of a lagging replica.
    return this.queries.adminById(product.id);
  }

  async update(id: string, input: UpdateProductInput): Promise<ProductView> {
    const product = await this.withSlugRetry(true, input.slug ?? '', () =>
      this.dataSource.transaction(async (manager) => {
        const current = await manager.findOne(ProductEntity, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        if (!current) throw new ProductNotFoundError();
        Object.assign(current, stripUndefined(input), {
          version: current.version + 1,
          updatedAt: new Date(),
        });
        await manager.save(ProductEntity, current);
        await this.emit(manager, CATALOG_EVENTS.productUpdated, current);
        return current;
      }),
    );
    await this.cacheTags.invalidate(productTags(product.id));
    return this.queries.adminById(product.id);
  }

  private async emit(manager: EntityManager, type: string, product: ProductEntity): Promise<void> {
    const payload: ProductChangedV1 = { productId: product.id, version: product.version };
    await this.outbox.append(manager, 'catalog', [{ type, version: 1, payload: { ...payload } }]);
  }

  /** A generated slug that collides gets a short random suffix; an explicit one is a conflict. */
  private async withSlugRetry<T>(
    explicit: boolean,
    slug: string,
    write: (slug: string) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? slug : `${slug}-${randomBytes(3).toString('hex')}`;
      try {
        return await write(candidate);
      } catch (err) {
        const code = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
        const slugClash =
          code?.code === UNIQUE_VIOLATION && code.constraint === 'products_slug_key';
        if (!slugClash) throw err;
        if (explicit || attempt >= 3) throw new SlugTakenError(candidate);
      }
    }
  }
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
