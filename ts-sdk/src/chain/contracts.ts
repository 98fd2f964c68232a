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

/** The deployment keys governance calls, with their ABIs (proposal files name targets by these keys). */
export const GOVERNANCE_TARGET_ABIS = {
  pool: abis.StrataPoolAbi,
  registry: abis.CollectionRegistryAbi,
  oracle: abis.AppraisalOracleAbi,
  liquidator: abis.DutchAuctionLiquidatorAbi,
  seniorVault: abis.TrancheVaultAbi,
  juniorVault: abis.TrancheVaultAbi,
  timelock: abis.TimelockControllerAbi,
  // The pool asset: the timelock approves the pool before booking an unsold NFT's sale (`pool.settleRecovery`, SPEC §7.5).
  asset: abis.IERC20MetadataAbi,
} as const;
/** A deployment key governance calls. */
export type GovernanceTarget = keyof typeof GOVERNANCE_TARGET_ABIS;

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

/** A binder of one bound contract: `(address, runner) => typed contract` (its errors decoded under `name`). */
const bind =
  <T>(name: string, abi: unknown) =>
  (a: string, r: ContractRunner | null) =>
    typed<T>(name, a, abi, r);

export const poolAt = bind<StrataPool>("StrataPool", abis.StrataPoolAbi);
export const vaultAt = bind<TrancheVault>("TrancheVault", abis.TrancheVaultAbi);
export const registryAt = bind<CollectionRegistry>("CollectionRegistry", abis.CollectionRegistryAbi);
export const oracleAt = bind<AppraisalOracle>("AppraisalOracle", abis.AppraisalOracleAbi);
export const floorOracleAt = bind<IFloorOracle>("IFloorOracle", abis.IFloorOracleAbi);
export const liquidatorAt = bind<DutchAuctionLiquidator>("DutchAuctionLiquidator", abis.DutchAuctionLiquidatorAbi);
export const lensAt = bind<StrataLens>("StrataLens", abis.StrataLensAbi);
export const timelockAt = bind<TimelockController>("TimelockController", abis.TimelockControllerAbi);
export const erc20At = bind<IERC20Metadata>("ERC20", abis.IERC20MetadataAbi);
export const erc721At = bind<ERC721>("ERC721", abis.ERC721Abi);
/** A delegate.xyz v2 registry (the pool's `delegateRegistry()`). */
export const delegateRegistryAt = bind<IDelegateRegistry>("IDelegateRegistry", abis.IDelegateRegistryAbi);
/** The local dev stablecoin (anyone may mint): local chains only. */
export const devStablecoinAt = bind<DevStablecoin>("DevStablecoin", abis.DevStablecoinAbi);
/** A local dev collection (anyone may mint): local chains only. */
export const devCollectionAt = bind<DevCollection>("DevCollection", abis.DevCollectionAbi);

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
