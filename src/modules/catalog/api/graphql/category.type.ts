import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { CategoryView } from '../../application/category-admin.service.js';
import { CreateCategoryDto, UpdateCategoryDto } from '../category.dto.js';

/** A node of the category tree. `parent`, `path` and `children` are resolved by loaders. */
@ObjectType('Category')
export class CategoryType implements CategoryView {
  @Field() id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field(() => Int, { description: 'Order among its siblings' }) position: number;
  parentId: string | null;
  /** Ids from the root down to this category; the GraphQL field of that name gives the nodes. */
  path: string[];
}

/** The REST body's rules, as a GraphQL input. */
@InputType('CreateCategoryInput')
export class CreateCategoryInput extends CreateCategoryDto {
  @Field() declare name: string;
  @Field({ nullable: true }) declare slug?: string;
  @Field(() => String, { nullable: true, description: 'Absent or null: a root' })
  declare parentId?: string | null;
  @Field(() => Int, { nullable: true }) declare position?: number;
}

@InputType('UpdateCategoryInput')
export class UpdateCategoryInput extends UpdateCategoryDto {
  @Field({ nullable: true }) declare name?: string;
  @Field({ nullable: true }) declare slug?: string;
  @Field(() => String, { nullable: true, description: 'null moves it to the root' })
  declare parentId?: string | null;
  @Field(() => Int, { nullable: true }) declare position?: number;
}
