import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { SUPPORTED_LOCALES } from '../common/locales';
import type { RequestContext } from '../context';
import { Topic } from '../events/topics';
import { Brand, BrandStatus, BrandTheme, CreateBrandInput, LogoUploadInput, UpdateBrandInput } from './brand.types';

@Resolver()
export class BrandResolver {
  @Query(() => BrandTheme, { description: 'Public: the brand the portal shows, by host name or slug.' })
  brandTheme(
    @Arg('host', () => String, { nullable: true }) host: string | null,
    @Arg('slug', () => String, { nullable: true }) slug: string | null,
    @Ctx() { brands }: RequestContext,
  ): Promise<BrandTheme> {
    return brands.theme({ host, slug });
  }

  @Query(() => [String], { description: 'Languages the product has catalogues for.' })
  supportedLocales(): string[] {
    return [...SUPPORTED_LOCALES];
  }

  @Query(() => [Brand])
  brands(
    @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() { brands }: RequestContext,
  ): Promise<Brand[]> {
    return brands.list(includeArchived);
  }

  @Query(() => Brand)
  brand(@Arg('id', () => ID) id: string, @Ctx() { brands }: RequestContext): Promise<Brand> {
    return brands.get(id);
  }

  @Mutation(() => Brand)
  createBrand(@Arg('input') input: CreateBrandInput, @Ctx() { brands }: RequestContext): Promise<Brand> {
    return brands.create(input);
  }

  @Mutation(() => Brand)
  updateBrand(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateBrandInput,
    @Ctx() { brands }: RequestContext,
  ): Promise<Brand> {
    return brands.update(id, input);
  }

  @Mutation(() => Brand)
  uploadBrandLogo(
    @Arg('id', () => ID) id: string,
    @Arg('file') file: LogoUploadInput,
    @Ctx() { brands }: RequestContext,
  ): Promise<Brand> {
    return brands.uploadLogo(id, file);
  }

  @Mutation(() => Brand, { description: 'Hides the brand from its portal; nothing is deleted.' })
  archiveBrand(@Arg('id', () => ID) id: string, @Ctx() { brands }: RequestContext): Promise<Brand> {
    return brands.setStatus(id, BrandStatus.ARCHIVED);
  }

  @Mutation(() => Brand)
  restoreBrand(@Arg('id', () => ID) id: string, @Ctx() { brands }: RequestContext): Promise<Brand> {
    return brands.setStatus(id, BrandStatus.ACTIVE);
  }

  @Subscription(() => BrandTheme, {
    description: "Public: the brand's theme each time staff change it, so an open portal restyles itself.",
    topics: ({ args }: SubscribeResolverData<unknown, { slug: string }>) => Topic.brandTheme(args.slug),
  })
  brandThemeChanged(@Arg('slug') _slug: string, @Root() theme: BrandTheme): BrandTheme {
    return theme;
  }
}
