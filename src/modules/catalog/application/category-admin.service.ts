import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../platform/database/unique-violation.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { CATALOG_EVENTS, type CategoryChangedV1 } from '../catalog.contract.js';
import {
  CategoryCycleError,
  CategoryNotFoundError,
  CategorySlugTakenError,
} from '../domain/catalog.errors.js';
import { slugify } from '../domain/slug.js';
import { CategoryEntity } from '../infrastructure/category.entity.js';

export interface CategoryInput {
  name: string;
  slug?: string;
  parentId?: string | null;
  position?: number;
}

export interface CategoryView {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  position: number;
  path: string[];
}

function toView(c: CategoryEntity): CategoryView {
  return {
    id: c.id,
    parentId: c.parentId,
    slug: c.slug,
    name: c.name,
    position: c.position,
    path: c.path,
  };
}

/**
 * The category tree. Each node stores its path from the root; moving a node rewrites the paths
 * of its whole subtree in one statement. Changes emit an event so the worker rebuilds the
 * documents of the products below.
 */
@Injectable()
export class CategoryAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(input: CategoryInput): Promise<CategoryView> {
    const id = randomUUID();
    const slug = input.slug ?? slugify(input.name);
    return this.write(slug, async (m) => {
      const parentPath = input.parentId ? (await this.require(m, input.parentId)).path : [];
      const now = new Date();
      const category = m.create(CategoryEntity, {
        id,
        parentId: input.parentId ?? null,
        slug,
        name: input.name,
        path: [...parentPath, id],
        position: input.position ?? 0,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(CategoryEntity, category);
      await this.emit(m, id);
      return toView(category);
    });
  }

  async update(id: string, input: Partial<CategoryInput>): Promise<CategoryView> {
    return this.write(input.slug ?? '', async (m) => {
      const category = await m.findOne(CategoryEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!category) throw new CategoryNotFoundError();
      if (input.parentId !== undefined && input.parentId !== category.parentId) {
        const newParentPath = input.parentId ? (await this.require(m, input.parentId)).path : [];
        if (newParentPath.includes(id)) throw new CategoryCycleError();
        // Replace the old prefix (ancestors) by the new one in every path of the subtree.
        await m.query(
          `UPDATE catalog.categories
              SET path = $2::uuid[] || path[array_position(path, $1::uuid):], updated_at = now()
            WHERE path @> ARRAY[$1::uuid]`,
          [id, newParentPath],
        );
        category.parentId = input.parentId;
        category.path = [...newParentPath, id];
      }
      if (input.name !== undefined) category.name = input.name;
      if (input.slug !== undefined) category.slug = input.slug;
      if (input.position !== undefined) category.position = input.position;
      category.updatedAt = new Date();
      await m.update(
        CategoryEntity,
        { id },
        {
          parentId: category.parentId,
          name: category.name,
          slug: category.slug,
          position: category.position,
        },
      );
      await this.emit(m, id);
      return toView(category);
    });
  }

  private async require(m: EntityManager, id: string): Promise<CategoryEntity> {
    const category = await m.findOne(CategoryEntity, { where: { id } });
    if (!category) throw new CategoryNotFoundError();
    return category;
  }

  private async emit(m: EntityManager, categoryId: string): Promise<void> {
    const payload: CategoryChangedV1 = { categoryId };
    await this.outbox.append(m, 'catalog', [
      { type: CATALOG_EVENTS.categoryChanged, version: 1, payload: { ...payload } },
    ]);
  }

  private async write<T>(slug: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (err) {
      if (uniqueViolation(err) === 'categories_slug_key') throw new CategorySlugTakenError(slug);
      throw err;
    }
  }
}
