import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, type FindOptionsWhere } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import type { CatalogPort, ProductSummary } from '../catalog.contract.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import { ProductCursorCodec } from '../domain/product-cursor.js';
import { ProductEntity } from '../infrastructure/product.entity.js';
import { toProductView, type ProductPage, type ProductView } from './product-views.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Shop reads. Everything here runs outside transactions, so it is served by a replica. */
@Injectable()
export class ProductQueryService implements CatalogPort {
  private readonly cursors: ProductCursorCodec;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cursors = new ProductCursorCodec(config.cursorSecret);
  }

  /**
   * Active products, newest first, by keyset on (created_at, id): stable while products are
   * added, and as fast on page 1,000 as on page 1 (index products_status_created_id_idx).
   */
  async list(options: { limit?: number; cursor?: string }): Promise<ProductPage> {
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const qb = this.dataSource
      .getRepository(ProductEntity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: 'active' })
      .orderBy('p.createdAt', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit + 1);
    if (options.cursor) {
      const after = this.cursors.decode(options.cursor);
      qb.andWhere(
        new Brackets((w) =>
          w.where('(p.createdAt, p.id) < (:createdAt, :id)', {
            createdAt: after.createdAt,
            id: after.id,
          }),
        ),
      );
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toProductView),
      nextCursor: rows.length > limit && last ? this.cursors.encode(last) : null,
    };
  }

  async byId(id: string): Promise<ProductView> {
    return this.findOne({ id, status: 'active' });
  }

  async bySlug(slug: string): Promise<ProductView> {
    return this.findOne({ slug, status: 'active' });
  }

  /** Admin read of any product, whatever its status. */
  async adminById(id: string): Promise<ProductView> {
    return this.findOne({ id });
  }

  private async findOne(where: FindOptionsWhere<ProductEntity>): Promise<ProductView> {
    const product = await this.dataSource.getRepository(ProductEntity).findOne({ where });
    if (!product) throw new ProductNotFoundError();
    return toProductView(product);
  }

  async findProducts(ids: readonly string[]): Promise<ProductSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(ProductEntity)
      .find({ where: { id: In([...ids]) } });
    return rows.map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      priceMinor: p.priceMinor,
      currency: p.currency,
      status: p.status,
    }));
  }
}
