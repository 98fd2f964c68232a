// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {CommonBase} from "forge-std/Base.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";
import {AuctionParams} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {DutchAuctionLiquidator} from "../../src/liquidation/DutchAuctionLiquidator.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {CollectionRegistry} from "../../src/pool/CollectionRegistry.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataLens} from "../../src/pool/StrataLens.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {LoanLogic} from "../../src/pool/logic/LoanLogic.sol";
import {PoolAdmin} from "../../src/pool/logic/PoolAdmin.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";

/// @notice Everything a deployment is configured with.
struct StrataConfig {
    address asset;
    uint256 timelockDelay;
    address[] proposers;
    address[] executors;
    address guardian;
    address treasury;
    /// @dev The delegate.xyz v2 registry the pool delegates locked tokens through (SPEC §3.7); zero disables it.
    address delegateRegistry;
    uint256 seniorRate;
    uint256 minJuniorRatioBps;
    uint256 originationFeeBps;
    uint256 protocolFeeBps;
    uint256 gracePeriod;
    /// @dev The junior vault's notice period (seconds, `TrancheVault.MIN_NOTICE_PERIOD..MAX_NOTICE_PERIOD`).
    uint256 juniorNoticePeriod;
    /// @dev Queue holds (SPEC §5.7): materiality threshold (bps of a tranche's value at book) and cooldown (seconds).
    uint256 queueHoldThresholdBps;
    uint256 queueCooldown;
    AuctionParams auction;
}

/// @notice The deployed protocol: proxies (and the timelock that governs them).
struct StrataDeployment {
    TimelockController timelock;
    AppraisalOracle oracle;
    CollectionRegistry registry;
    StrataPool pool;
    TrancheVault senior;
    TrancheVault junior;
    DutchAuctionLiquidator liquidator;
    StrataLens lens;
}

/// @title StrataDeployer
/// @notice The one deployment routine, shared by `script/Deploy.s.sol` and every test: timelock, implementations, and
///         ERC1967 proxies initialized in their constructors (no front-running window), wired to each other through
///         addresses predicted from the creator's nonce. The creator holds no right afterwards: governance is the
///         timelock, whose admin role is renounced at construction (admin = address(0)).
///
///         The Strata contracts are created from forge's artifacts (`vm.deployCode`), not with `new`: the init code is
///         the same (creation bytecode + ABI-encoded constructor arguments, created by the same account at the same
///         nonce, so the same addresses), but this routine's bytecode, and with it every script and test contract that
///         inherits it, embeds none of them. solc then generates each contract's code once, in the compile worker that
///         owns its file (`tools/solc.cjs`), instead of again wherever a deployer is compiled. Their artifacts are in
///         every compile set that includes this file: it imports each contract (for the types below).
abstract contract StrataDeployer is CommonBase {
    error PredictionMismatch(string what, address predicted, address actual);
    /// @notice The configured delegate registry is not a contract (a wrong address, or a chain without the registry).
    error DelegateRegistryHasNoCode(address registry);
    /// @notice The pool's external library has no code where the pool's artifact is linked against it.
    error LibraryHasNoCode(string name, address at);

    /// @param creator The account whose nonce `new` uses: the broadcaster in a script, `address(this)` in a test.
    function _deployStrata(StrataConfig memory cfg, address creator) internal returns (StrataDeployment memory d) {
        d.timelock = new TimelockController(cfg.timelockDelay, cfg.proposers, cfg.executors, address(0));
        address gov = address(d.timelock);

        d.oracle = AppraisalOracle(
            address(
                new ERC1967Proxy(
                    _create("AppraisalOracle.sol:AppraisalOracle", ""),
                    abi.encodeCall(AppraisalOracle.initialize, (gov, cfg.guardian))
                )
            )
        );
        // The registry's implementation carries the pool's proxy as an immutable (issue #30: it writes the pool's copy
        // of each collection's configuration): the registry's implementation and proxy take the next two nonces, then
        // `_deployPool` creates four implementations before the pool's proxy.
        address poolPredicted = vm.computeCreateAddress(creator, vm.getNonce(creator) + 6);
        d.registry = CollectionRegistry(
            address(
                new ERC1967Proxy(
                    _create("CollectionRegistry.sol:CollectionRegistry", abi.encode(poolPredicted)),
                    abi.encodeCall(CollectionRegistry.initialize, (gov, cfg.guardian))
                )
            )
        );
        _deployPool(cfg, creator, d);
        _expect("registry's pool", poolPredicted, address(d.registry.pool()));
        _expect("pool", poolPredicted, address(d.pool));
    }

    /// @dev Implementations, then the pool, vault and liquidator proxies, which reference each other: their
    ///      addresses are predicted from the creator's nonce and checked after creation.
    function _deployPool(StrataConfig memory cfg, address creator, StrataDeployment memory d) private {
        if (cfg.delegateRegistry != address(0) && cfg.delegateRegistry.code.length == 0) {
            revert DelegateRegistryHasNoCode(cfg.delegateRegistry);
        }
        // `forge script` deploys (and links artifacts against) a library only if the script's own bytecode references
        // it: `address(LoanLogic)` and `address(PoolAdmin)` are those references, now that the pool is no longer
        // embedded here.
        if (address(LoanLogic).code.length == 0) revert LibraryHasNoCode("LoanLogic", address(LoanLogic));
        if (address(PoolAdmin).code.length == 0) revert LibraryHasNoCode("PoolAdmin", address(PoolAdmin));
        // The implementations carry the proxies' addresses as immutables (issue #30), and the proxies need the
        // implementations: each is predicted from the creator's nonce (implementations first, then the proxies).
        uint256 nonce = vm.getNonce(creator);
        address[4] memory predicted = [
            vm.computeCreateAddress(creator, nonce + 4),
            vm.computeCreateAddress(creator, nonce + 5),
            vm.computeCreateAddress(creator, nonce + 6),
            vm.computeCreateAddress(creator, nonce + 7)
        ];
        address poolImpl = _create(
            "StrataPool.sol:StrataPool",
            abi.encode(
                PoolStorageLayout.Wiring({
                    delegateRegistry: IDelegateRegistry(cfg.delegateRegistry),
                    asset: ERC20(cfg.asset),
                    registry: ICollectionRegistry(address(d.registry)),
                    seniorVault: predicted[1],
                    juniorVault: predicted[2],
                    liquidator: predicted[3]
                })
            )
        );
        address seniorImpl =
            _create("TrancheVault.sol:TrancheVault", abi.encode(predicted[0], Tranche.Senior, cfg.asset));
        address juniorImpl =
            _create("TrancheVault.sol:TrancheVault", abi.encode(predicted[0], Tranche.Junior, cfg.asset));
        address liquidatorImpl = _create(
            "DutchAuctionLiquidator.sol:DutchAuctionLiquidator",
            abi.encode(predicted[0], cfg.asset, address(d.registry))
        );
        d.pool = StrataPool(
            address(new ERC1967Proxy(poolImpl, abi.encodeCall(StrataPool.initialize, (_poolInit(cfg, d, predicted)))))
        );
        d.senior = _vault(seniorImpl, d.pool, Tranche.Senior, cfg, address(d.timelock));
        d.junior = _vault(juniorImpl, d.pool, Tranche.Junior, cfg, address(d.timelock));
        d.liquidator = DutchAuctionLiquidator(
            address(
                new ERC1967Proxy(
                    liquidatorImpl,
                    abi.encodeCall(
                        DutchAuctionLiquidator.initialize,
                        (IStrataPool(address(d.pool)), cfg.asset, address(d.timelock), cfg.guardian, cfg.auction)
                    )
                )
            )
        );
        _expect("pool", predicted[0], address(d.pool));
        _expect("senior vault", predicted[1], address(d.senior));
        _expect("junior vault", predicted[2], address(d.junior));
        _expect("liquidator", predicted[3], address(d.liquidator));
        d.lens = StrataLens(_create("StrataLens.sol:StrataLens", abi.encode(IStrataPool(address(d.pool)))));
    }

    /// @dev `new <artifact>(<constructorArgs>)` from the artifact: a CREATE by this contract (broadcast in a script).
    function _create(string memory artifact, bytes memory constructorArgs) private returns (address) {
        return vm.deployCode(artifact, constructorArgs);
    }

    function _poolInit(StrataConfig memory cfg, StrataDeployment memory d, address[4] memory predicted)
        private
        pure
        returns (PoolStorageLayout.InitParams memory)
    {
        return PoolStorageLayout.InitParams({
            asset: cfg.asset,
            registry: address(d.registry),
            governance: address(d.timelock),
            guardian: cfg.guardian,
            seniorVault: predicted[1],
            juniorVault: predicted[2],
            liquidator: predicted[3],
            treasury: cfg.treasury,
            seniorRate: cfg.seniorRate,
            minJuniorRatioBps: cfg.minJuniorRatioBps,
            originationFeeBps: cfg.originationFeeBps,
            protocolFeeBps: cfg.protocolFeeBps,
            gracePeriod: cfg.gracePeriod,
            queueHoldThresholdBps: cfg.queueHoldThresholdBps,
            queueCooldown: cfg.queueCooldown
        });
    }

    function _vault(address impl, StrataPool pool, Tranche tranche, StrataConfig memory cfg, address gov)
        private
        returns (TrancheVault)
    {
        (string memory name, string memory symbol) =
            tranche == Tranche.Senior ? ("Strata Senior", "stSR") : ("Strata Junior", "stJR");
        uint256 notice = tranche == Tranche.Senior ? 0 : cfg.juniorNoticePeriod;
        bytes memory init = abi.encodeCall(
            TrancheVault.initialize,
            (IStrataPool(address(pool)), tranche, cfg.asset, name, symbol, gov, cfg.guardian, notice)
        );
        return TrancheVault(address(new ERC1967Proxy(impl, init)));
    }

    function _expect(string memory what, address predicted, address actual) private pure {
        if (predicted != actual) revert PredictionMismatch(what, predicted, actual);
    }
}
