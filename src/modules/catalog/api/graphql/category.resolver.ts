import { ParseUUIDPipe } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Admin, Public } from '../../../../platform/auth/access.decorator.js';
import {
  CategoryAdminService,
  type CategoryView,
} from '../../application/category-admin.service.js';
import { CategoryType, CreateCategoryInput, UpdateCategoryInput } from './category.type.js';
import { CatalogRequestLoaders } from './request-loaders.js';

/** The category tree over GraphQL: shop reads through loaders, admin writes on the REST service. */
@Resolver(() => CategoryType)
export class CategoryResolver {
  constructor(
    private readonly admin: CategoryAdminService,
    private readonly loaders: CatalogRequestLoaders,
  ) {}

  @Query(() => [CategoryType], { description: 'The roots of the category tree' })
  @Public()
  categories(@Context('req') request: object): Promise<CategoryView[]> {
    return this.loaders.of(request).roots();
  }

  @Mutation(() => CategoryType)
  @Admin()
  async createCategory(
    @Args('input') input: CreateCategoryInput,
    @Context('req') request: object,
  ): Promise<CategoryView> {
    const category = await this.admin.create(input);
    this.loaders.forget(request);
    return category;
  }

  @Mutation(() => CategoryType, {
    description: 'Rename, re-slug, re-order or move (parentId null = root)',
  })
  @Admin()
  async updateCategory(
    @Args('id', { type: () => ID }, new ParseUUIDPipe({ version: '4' })) id: string,
    @Args('input') input: UpdateCategoryInput,
    @Context('req') request: object,
  ): Promise<CategoryView> {
    const category = await this.admin.update(id, input);
    this.loaders.forget(request);
    return category;
  }

  @ResolveField('parent', () => CategoryType, { nullable: true })
  @Public()
  async parent(
    @Parent() category: CategoryView,
    @Context('req') request: object,
  ): Promise<CategoryView | null> {
    if (!category.parentId) return null;
    return this.loaders.of(request).categoryById.load(category.parentId);
  }

  @ResolveField('path', () => [CategoryType], { description: 'From the root down to this one' })
  @Public()
  async path(
    @Parent() category: CategoryView,
    @Context('req') request: object,
  ): Promise<CategoryView[]> {
    const loader = this.loaders.of(request).categoryById;
    const nodes = await Promise.all(category.path.map((id) => loader.load(id)));
    return nodes.filter((node): node is CategoryView => node !== null);
  }

  @ResolveField('children', () => [CategoryType])
  @Public()
  async children(
    @Parent() category: CategoryView,
    @Context('req') request: object,
  ): Promise<CategoryView[]> {
    return this.loaders.of(request).childrenByCategoryId.load(category.id);
  }
}
