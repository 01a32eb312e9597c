import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ASSET_CLASSES, type AssetClass } from '../platform/platform';
import { enumOf } from '../plans/phase-rules.types';
import { BOOK_POLICIES, BOOKS, type Book, type BookPolicy, HEDGING_POLICIES, type HedgingPolicy } from './risk-group';

export const AssetClassEnum = enumOf(ASSET_CLASSES, 'AssetClass', 'The asset classes risk groups set leverage for');
export const HedgingPolicyEnum = enumOf(HEDGING_POLICIES, 'HedgingPolicy', 'May a client hold opposite positions');
export const BookPolicyEnum = enumOf(BOOK_POLICIES, 'BookPolicy', 'Where a group sends its client flow');
export const BookEnum = enumOf(BOOKS, 'Book', 'A-book (passed on) or B-book (the firm takes the other side)');
export const MarginStatusEnum = enumOf(['NO_MARGIN', 'OK', 'MARGIN_CALL', 'STOP_OUT'] as const, 'MarginStatus');

@ObjectType({ description: 'Maximum leverage per asset class (30 means 1:30)' })
export class AssetClassLeverage {
  @Field(() => Int) FX_MAJOR!: number;
  @Field(() => Int) FX_MINOR!: number;
  @Field(() => Int) METAL!: number;
  @Field(() => Int) INDEX!: number;
  @Field(() => Int) COMMODITY!: number;
  @Field(() => Int) EQUITY!: number;
  @Field(() => Int) CRYPTO!: number;
}

@InputType({ description: 'Maximum leverage per asset class; a class left out takes the ESMA retail default' })
export class AssetClassLeverageInput {
  @Field(() => Int, { nullable: true }) FX_MAJOR?: number | null;
  @Field(() => Int, { nullable: true }) FX_MINOR?: number | null;
  @Field(() => Int, { nullable: true }) METAL?: number | null;
  @Field(() => Int, { nullable: true }) INDEX?: number | null;
  @Field(() => Int, { nullable: true }) COMMODITY?: number | null;
  @Field(() => Int, { nullable: true }) EQUITY?: number | null;
  @Field(() => Int, { nullable: true }) CRYPTO?: number | null;
}

@ObjectType()
export class SymbolLeverage {
  @Field() symbol!: string;
  @Field(() => Int) leverage!: number;
}

@InputType()
export class SymbolLeverageInput {
  @Field() symbol!: string;
  @Field(() => Int) leverage!: number;
}

@ObjectType({ description: "A brand's risk group: leverage, margin-call and stop-out levels, hedging, book" })
export class RiskGroupView {
  @Field(() => ID) id!: string;
  @Field(() => ID) brandId!: string;
  @Field() name!: string;
  @Field(() => AssetClassLeverage) leverage!: Record<AssetClass, number>;
  @Field(() => [SymbolLeverage], {
    description: 'Per-symbol maximum leverage, replacing its class (gold 20 in METAL 10)',
  })
  symbolLeverage!: SymbolLeverage[];
  @Field({ description: 'Margin level (%) at or under which new positions are refused' }) marginCallLevel!: string;
  @Field({ description: 'Margin level (%) under which positions are closed, largest loss first' })
  stopOutLevel!: string;
  @Field(() => HedgingPolicyEnum) hedging!: HedgingPolicy;
  @Field(() => BookPolicyEnum) book!: BookPolicy;
  @Field() negativeBalanceProtection!: boolean;
  @Field({ description: 'The platform group its accounts are moved to' }) platformGroup!: string;
  @Field() isDefault!: boolean;
  @Field(() => Int) version!: number;
  @Field(() => Int, { description: 'Platform accounts in the group' }) accounts!: number;
  @Field() updatedAt!: Date;
}

@InputType()
export class CreateRiskGroupInput {
  @Field(() => ID) brandId!: string;
  @Field() name!: string;
  @Field(() => AssetClassLeverageInput, { nullable: true }) leverage?: AssetClassLeverageInput | null;
  @Field(() => [SymbolLeverageInput], {
    nullable: true,
    description: 'Left out: the ESMA overrides (gold, major indices at 1:20); [] for none',
  })
  symbolLeverage?: SymbolLeverageInput[] | null;
  @Field(() => String, { nullable: true }) marginCallLevel?: string | null;
  @Field(() => String, { nullable: true }) stopOutLevel?: string | null;
  @Field(() => HedgingPolicyEnum, { nullable: true }) hedging?: HedgingPolicy | null;
  @Field(() => BookPolicyEnum, { nullable: true }) book?: BookPolicy | null;
  @Field(() => Boolean, { nullable: true }) negativeBalanceProtection?: boolean | null;
  @Field(() => String, { nullable: true }) platformGroup?: string | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateRiskGroupInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => AssetClassLeverageInput, { nullable: true }) leverage?: AssetClassLeverageInput | null;
  @Field(() => [SymbolLeverageInput], { nullable: true }) symbolLeverage?: SymbolLeverageInput[] | null;
  @Field(() => String, { nullable: true }) marginCallLevel?: string | null;
  @Field(() => String, { nullable: true }) stopOutLevel?: string | null;
  @Field(() => HedgingPolicyEnum, { nullable: true }) hedging?: HedgingPolicy | null;
  @Field(() => BookPolicyEnum, { nullable: true }) book?: BookPolicy | null;
  @Field(() => Boolean, { nullable: true }) negativeBalanceProtection?: boolean | null;
  @Field(() => String, { nullable: true }) platformGroup?: string | null;
}

@InputType()
export class AssignRiskGroupInput {
  @Field(() => ID) riskGroupId!: string;
  @Field(() => [ID]) platformAccountIds!: string[];
  @Field(() => BookEnum, { nullable: true, description: "For a BY_RULE group: the account's book" })
  book?: Book | null;
}

@InputType()
export class ExposureFilter {
  @Field(() => ID, { nullable: true, description: 'Left out: every brand, in the firm-wide reporting currency' })
  brandId?: string | null;
  @Field(() => ID, { nullable: true }) riskGroupId?: string | null;
  @Field(() => BookEnum, { nullable: true }) book?: Book | null;
  @Field(() => String, { nullable: true }) symbol?: string | null;
  @Field(() => String, { nullable: true, description: "ISO currency of values; default the brand's, or USD firm-wide" })
  reportingCurrency?: string | null;
  @Field(() => Int, { nullable: true, description: 'How many top accounts [10]' })
  top?: number | null;
}

@ObjectType()
export class SymbolExposure {
  @Field() symbol!: string;
  @Field(() => AssetClassEnum) assetClass!: AssetClass;
  @Field(() => Int) positions!: number;
  @Field() buyLots!: string;
  @Field() sellLots!: string;
  @Field({ description: 'Σ buy − Σ sell lots; negative is net short' }) netLots!: string;
  @Field() netUnits!: string;
  @Field(() => String, { nullable: true, description: 'Net units at the mid, in the reporting currency' })
  value!: string | null;
  @Field(() => String, { nullable: true }) floatingPnl!: string | null;
}

@ObjectType()
export class GroupExposure extends SymbolExposure {
  @Field(() => ID) brandId!: string;
  @Field(() => ID) riskGroupId!: string;
  @Field() riskGroupName!: string;
  @Field(() => BookEnum) book!: Book;
}

@ObjectType()
export class AssetClassExposure {
  @Field(() => AssetClassEnum) assetClass!: AssetClass;
  @Field() netValue!: string;
  @Field() grossValue!: string;
  @Field() floatingPnl!: string;
}

@ObjectType({ description: "The firm's own B-book risk: the negation of B-book client exposure" })
export class FirmRisk {
  @Field() symbol!: string;
  @Field() netLots!: string;
  @Field() netUnits!: string;
  @Field(() => String, { nullable: true }) value!: string | null;
  @Field(() => String, { nullable: true }) floatingPnl!: string | null;
}

@ObjectType({ description: "An account's live margin figures" })
export class AccountRisk {
  @Field(() => ID) platformAccountId!: string;
  @Field() login!: string;
  @Field(() => ID) brandId!: string;
  @Field(() => ID) riskGroupId!: string;
  @Field() riskGroupName!: string;
  @Field(() => BookEnum) book!: Book;
  @Field() currency!: string;
  @Field() balance!: string;
  @Field() equity!: string;
  @Field() margin!: string;
  @Field(() => String, { nullable: true }) marginLevel!: string | null;
  @Field(() => MarginStatusEnum) status!: string;
  @Field(() => Int) positions!: number;
  @Field({ description: 'Account currency' }) floatingPnl!: string;
  @Field(() => String, { nullable: true, description: 'Gross notional, reporting currency' }) exposure!: string | null;
  @Field(() => String, { nullable: true, description: 'Floating P&L, reporting currency' })
  floatingPnlReporting!: string | null;
}

@ObjectType({ description: 'Live exposure: net per symbol, by group and book, the B-book risk, top accounts' })
export class Exposure {
  @Field(() => ID, { nullable: true }) brandId!: string | null;
  @Field() reportingCurrency!: string;
  @Field() asOf!: Date;
  @Field() floatingPnl!: string;
  @Field({ description: "The firm's B-book floating P&L" }) firmFloatingPnl!: string;
  @Field(() => Int) positions!: number;
  @Field(() => Int) accounts!: number;
  @Field(() => [SymbolExposure]) symbols!: SymbolExposure[];
  @Field(() => [GroupExposure]) groups!: GroupExposure[];
  @Field(() => [AssetClassExposure]) assetClasses!: AssetClassExposure[];
  @Field(() => [FirmRisk]) firmBBook!: FirmRisk[];
  @Field(() => [AccountRisk]) topByExposure!: AccountRisk[];
  @Field(() => [AccountRisk]) topByPnl!: AccountRisk[];
  @Field(() => [AccountRisk]) marginCalls!: AccountRisk[];
  @Field(() => [String]) unpriced!: string[];
}

@InputType({
  description: 'Change margin requirement: an asset class or symbols, a new maximum leverage, which groups',
})
export class MarginChangeInput {
  @Field(() => ID) brandId!: string;
  @Field(() => [ID], { nullable: true, description: 'Left out or empty: every group of the brand' })
  riskGroupIds?: string[] | null;
  @Field(() => AssetClassEnum, { nullable: true }) assetClass?: AssetClass | null;
  @Field(() => [String], { nullable: true }) symbols?: string[] | null;
  @Field(() => Int) leverage!: number;
}

@ObjectType()
export class AccountMarginChange {
  @Field() login!: string;
  @Field(() => ID) riskGroupId!: string;
  @Field() currency!: string;
  @Field() equity!: string;
  @Field() usedMarginBefore!: string;
  @Field() usedMarginAfter!: string;
  @Field(() => String, { nullable: true }) marginLevelBefore!: string | null;
  @Field(() => String, { nullable: true }) marginLevelAfter!: string | null;
  @Field(() => MarginStatusEnum) statusBefore!: string;
  @Field(() => MarginStatusEnum) statusAfter!: string;
}

@ObjectType()
export class CurrencyMarginTotal {
  @Field() currency!: string;
  @Field() usedMarginBefore!: string;
  @Field() usedMarginAfter!: string;
}

@ObjectType({ description: 'What a margin change would do, at current prices; nothing changes' })
export class MarginChangePreview {
  @Field(() => [ID]) riskGroupIds!: string[];
  @Field(() => [String]) symbols!: string[];
  @Field(() => Int) accountsChanged!: number;
  @Field(() => Int) positionsChanged!: number;
  @Field(() => Int) marginCallBefore!: number;
  @Field(() => Int) marginCallAfter!: number;
  @Field(() => Int) stopOutBefore!: number;
  @Field(() => Int) stopOutAfter!: number;
  @Field(() => [String]) newMarginCall!: string[];
  @Field(() => [String]) newStopOut!: string[];
  @Field(() => [CurrencyMarginTotal]) totals!: CurrencyMarginTotal[];
  @Field(() => [AccountMarginChange], { description: 'Per account, newly in margin call or stop-out first' })
  accounts!: AccountMarginChange[];
}

@ObjectType()
export class MarginPushFailure {
  @Field() login!: string;
  @Field() status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: "A margin change and its platform pushes' progress" })
export class MarginChangeView {
  @Field(() => ID) id!: string;
  @Field(() => ID) brandId!: string;
  @Field(() => ID, { nullable: true }) rollbackOf!: string | null;
  @Field(() => ID, { nullable: true, description: 'The change that rolled this one back' }) rolledBackBy!:
    | string
    | null;
  @Field(() => AssetClassEnum, { nullable: true }) assetClass!: AssetClass | null;
  @Field(() => [String], { nullable: true }) symbols!: string[] | null;
  @Field(() => Int, { nullable: true }) leverage!: number | null;
  @Field(() => [ID]) riskGroupIds!: string[];
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Int, { description: 'Accounts to push to' }) total!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) pending!: number;
  @Field(() => Int, { description: 'Unreachable so far: retried with back-off' }) retrying!: number;
  @Field(() => Int, { description: 'Refused by the platform' }) failed!: number;
  @Field() finished!: boolean;
  @Field(() => [MarginPushFailure]) problems!: MarginPushFailure[];
}
