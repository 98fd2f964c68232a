// A Strata deployment's contracts bound to ethers with the generated ABIs and TypeChain types (no artifacts read at
// run time, no hand-written ABI).
import { Contract, type ContractRunner, Interface } from "ethers";
import * as abis from "../generated/abis.ts";
import type {
  AppraisalOracle,
  CollectionRegistry,
  DevCollection,
  DevStablecoin,
  DutchAuctionLiquidator,
  ERC721,
  IDelegateRegistry,
  IERC20Metadata,
  IFloorOracle,
  StrataLens,
  StrataPool,
  TimelockController,
  TrancheVault,
} from "../generated/typechain/index.ts";
import type { Deployment } from "./deployment.ts";

// every bound contract's TypeChain type, for callers (the list is the generator's: ts-sdk/scripts/generate.ts BOUND)
export type * from "../generated/typechain/index.ts";

export { abis };

/** One parsed Interface per ABI: parsing an ABI is most of a Contract's construction cost (half the demo's CPU). */
const INTERFACES = new Map<unknown, Interface>();

function typed<T>(name: string, address: string, abi: unknown, runner: ContractRunner | null): T {
  let iface = INTERFACES.get(abi);
  if (!iface) {
    iface = new Interface(abi as never);
    INTERFACES.set(abi, iface);
  }
  const c = new Contract(address, iface, runner);
  Object.defineProperty(c, "__strataName", { value: name, enumerable: false });
  return c as unknown as T;
}

export const poolAt = (a: string, r: ContractRunner | null) => typed<StrataPool>("StrataPool", a, abis.StrataPoolAbi, r);
export const vaultAt = (a: string, r: ContractRunner | null) => typed<TrancheVault>("TrancheVault", a, abis.TrancheVaultAbi, r);
export const registryAt = (a: string, r: ContractRunner | null) =>
  typed<CollectionRegistry>("CollectionRegistry", a, abis.CollectionRegistryAbi, r);
export const oracleAt = (a: string, r: ContractRunner | null) => typed<AppraisalOracle>("AppraisalOracle", a, abis.AppraisalOracleAbi, r);
export const floorOracleAt = (a: string, r: ContractRunner | null) => typed<IFloorOracle>("IFloorOracle", a, abis.IFloorOracleAbi, r);
export const liquidatorAt = (a: string, r: ContractRunner | null) =>
  typed<DutchAuctionLiquidator>("DutchAuctionLiquidator", a, abis.DutchAuctionLiquidatorAbi, r);
export const lensAt = (a: string, r: ContractRunner | null) => typed<StrataLens>("StrataLens", a, abis.StrataLensAbi, r);
export const timelockAt = (a: string, r: ContractRunner | null) =>
  typed<TimelockController>("TimelockController", a, abis.TimelockControllerAbi, r);
export const erc20At = (a: string, r: ContractRunner | null) => typed<IERC20Metadata>("ERC20", a, abis.IERC20MetadataAbi, r);
export const erc721At = (a: string, r: ContractRunner | null) => typed<ERC721>("ERC721", a, abis.ERC721Abi, r);
/** A delegate.xyz v2 registry (the pool's `delegateRegistry()`). */
export const delegateRegistryAt = (a: string, r: ContractRunner | null) =>
  typed<IDelegateRegistry>("IDelegateRegistry", a, abis.IDelegateRegistryAbi, r);
/** The local dev stablecoin (anyone may mint): local chains only. */
export const devStablecoinAt = (a: string, r: ContractRunner | null) => typed<DevStablecoin>("DevStablecoin", a, abis.DevStablecoinAbi, r);
/** A local dev collection (anyone may mint): local chains only. */
export const devCollectionAt = (a: string, r: ContractRunner | null) => typed<DevCollection>("DevCollection", a, abis.DevCollectionAbi, r);

/** Every contract of a deployment, typed. `senior`/`junior` are the two TrancheVaults. */
export interface StrataContracts {
  pool: StrataPool;
  senior: TrancheVault;
  junior: TrancheVault;
  registry: CollectionRegistry;
  oracle: AppraisalOracle;
  timelock: TimelockController;
  liquidator: DutchAuctionLiquidator;
  lens: StrataLens;
  asset: IERC20Metadata;
}

export function connectContracts(d: Deployment, runner: ContractRunner | null): StrataContracts {
  return {
    pool: poolAt(d.pool, runner),
    senior: vaultAt(d.seniorVault, runner),
    junior: vaultAt(d.juniorVault, runner),
    registry: registryAt(d.registry, runner),
    oracle: oracleAt(d.oracle, runner),
    timelock: timelockAt(d.timelock, runner),
    liquidator: liquidatorAt(d.liquidator, runner),
    lens: lensAt(d.lens, runner),
    asset: erc20At(d.asset, runner),
  };
}
