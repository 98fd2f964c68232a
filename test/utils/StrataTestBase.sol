// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {DevDelegateRegistry} from "../../script/dev/DevDelegateRegistry.sol";
import {StrataConfig, StrataDeployer, StrataDeployment} from "../../script/lib/StrataDeployer.sol";
import {RateCurve} from "../../src/interest/RateCurve.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {AuctionParams} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, RarityProof, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {IStrataPool} from "../../src/interfaces/IStrataPool.sol";
import {DutchAuctionLiquidator} from "../../src/liquidation/DutchAuctionLiquidator.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {CollectionRegistry} from "../../src/pool/CollectionRegistry.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataLens} from "../../src/pool/StrataLens.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";
import {WiringOf} from "./WiringOf.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice The whole protocol deployed with the production deployer (timelock governance, proxies), two listed
///         collections with different curves, oracle prices pushed, and named actors. Governance calls go through
///         `vm.prank(gov)` (the timelock); the timelock flow itself is tested in test/governance.
abstract contract StrataTestBase is Test, StrataDeployer {
    uint256 internal constant USDC = 1e6;
    uint256 internal constant FLOOR_A = 100_000 * USDC;
    uint256 internal constant FLOOR_B = 40_000 * USDC;

    MockStablecoin internal usdc;
    MockCollection internal apes;
    MockCollection internal punks;
    StrataDeployment internal d;
    StrataPool internal pool;
    TrancheVault internal senior;
    TrancheVault internal junior;
    AppraisalOracle internal oracle;
    CollectionRegistry internal registry;
    DutchAuctionLiquidator internal liquidator;
    StrataLens internal lens;
    /// @dev The delegate.xyz v2 stand-in every test pool delegates through (SPEC §3.7).
    DevDelegateRegistry internal delegates;
    address internal gov;

    address internal multisig = makeAddr("multisig");
    address internal guardian = makeAddr("guardian");
    address internal reporter = makeAddr("reporter");
    address internal treasury = makeAddr("treasury");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal dave = makeAddr("dave");
    address internal keeper = makeAddr("keeper");

    uint256 private _nextTokenId = 1;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        usdc = MockStablecoin(_newAsset());
        apes = new MockCollection("Apes", "APE");
        punks = new MockCollection("Punks", "PUNK");
        delegates = new DevDelegateRegistry();
        d = _deployStrata(_config(), address(this));
        pool = d.pool;
        senior = d.senior;
        junior = d.junior;
        oracle = d.oracle;
        registry = d.registry;
        liquidator = d.liquidator;
        lens = d.lens;
        gov = address(d.timelock);

        vm.startPrank(gov);
        oracle.setReporter(reporter, true);
        oracle.configureCollection(address(apes), 0, 5000, 1 days);
        oracle.configureCollection(address(punks), 0, 5000, 1 days);
        registry.configureCollection(address(apes), _paramsA());
        registry.configureCollection(address(punks), _paramsB());
        vm.stopPrank();
        _pushPrice(address(apes), _floorA());
        _pushPrice(address(punks), _floorB());
    }

    // ------------------------------------------------------------------ configuration (overridable)

    /// @dev The pool asset (a plain test stablecoin; adversarial suites substitute hostile tokens).
    function _newAsset() internal virtual returns (address) {
        return address(new MockStablecoin("USD Coin", "USDC", _assetDecimals()));
    }

    function _assetDecimals() internal pure virtual returns (uint8) {
        return 6;
    }

    function _floorA() internal view virtual returns (uint256) {
        return 100_000 * 10 ** _assetDecimals();
    }

    function _floorB() internal view virtual returns (uint256) {
        return 40_000 * 10 ** _assetDecimals();
    }

    function _config() internal view virtual returns (StrataConfig memory cfg) {
        address[] memory team = new address[](1);
        team[0] = multisig;
        cfg = StrataConfig({
            asset: address(usdc),
            timelockDelay: 2 days,
            proposers: team,
            executors: team,
            guardian: guardian,
            treasury: treasury,
            delegateRegistry: address(delegates),
            seniorRate: 0.05e18,
            minJuniorRatioBps: 2000,
            originationFeeBps: 0,
            protocolFeeBps: 0,
            gracePeriod: 3 days,
            juniorNoticePeriod: 1 days,
            queueHoldThresholdBps: 100,
            queueCooldown: 1 days,
            auction: AuctionParams({
                startMultiplierBps: 15_000, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
            })
        });
    }

    function _paramsA() internal view virtual returns (CollectionParams memory) {
        return CollectionParams({
            oracle: address(oracle),
            ltvBps: 5000,
            liquidationThresholdBps: 7000,
            liquidationPenaltyBps: 500,
            lateFeeBps: 100,
            maxRarityBps: 30_000,
            minDuration: 7 days,
            maxDuration: 90 days,
            exposureCap: uint96(5_000_000 * 10 ** _assetDecimals()),
            curve: RateCurve({baseRate: 0.05e18, slope1: 0.1e18, slope2: 1e18, kink: 0.8e18}),
            rarityRoot: bytes32(0)
        });
    }

    function _paramsB() internal view virtual returns (CollectionParams memory) {
        return CollectionParams({
            oracle: address(oracle),
            ltvBps: 4000,
            liquidationThresholdBps: 6000,
            liquidationPenaltyBps: 1000,
            lateFeeBps: 200,
            maxRarityBps: 20_000,
            minDuration: 1 days,
            maxDuration: 60 days,
            exposureCap: uint96(2_000_000 * 10 ** _assetDecimals()),
            curve: RateCurve({baseRate: 0.08e18, slope1: 0.15e18, slope2: 1.5e18, kink: 0.7e18}),
            rarityRoot: bytes32(0)
        });
    }

    // ------------------------------------------------------------------ the pool's raw storage

    /// @dev The pool's ERC-7201 base, keccak256(abi.encode(uint256(keccak256("strata.storage.Pool")) - 1)) &
    ///      ~bytes32(uint256(0xff)): the slot of `PoolStorage`'s first field; field `n` is at `POOL_BASE + n`.
    uint256 internal constant POOL_BASE = 0x6fa356a320461b2cdd53c7bdc3e74f8f28120541c1e45828d82faad077ee3100;
    /// @dev `PoolStorage.collectionConfigs` (appended in 0.4, #30): three slots per collection.
    uint256 internal constant POOL_CONFIGS_SLOT = POOL_BASE + 20;

    /// @dev Wipes the pool's copy of `collection`'s configuration, as for a collection listed before the pool kept one.
    function _wipePoolCopy(address collection) internal {
        uint256 at = uint256(keccak256(abi.encode(collection, POOL_CONFIGS_SLOT)));
        for (uint256 i; i < 3; ++i) {
            vm.store(address(pool), bytes32(at + i), bytes32(0));
        }
    }

    // ------------------------------------------------------------------ actions

    function _pushPrice(address collection, uint256 price) internal {
        vm.prank(reporter);
        oracle.pushPrice(collection, price);
    }

    function _fund(address who, uint256 amount) internal {
        usdc.mint(who, amount);
        vm.startPrank(who);
        usdc.approve(address(senior), type(uint256).max);
        usdc.approve(address(junior), type(uint256).max);
        usdc.approve(address(pool), type(uint256).max);
        usdc.approve(address(liquidator), type(uint256).max);
        vm.stopPrank();
    }

    /// @dev `who` buys auction `auctionId` at its current price (funded and approved by `_fund`).
    function _buy(address who, uint256 auctionId) internal returns (uint256 price) {
        price = liquidator.currentPrice(auctionId);
        _fund(who, price);
        vm.prank(who);
        liquidator.buy(auctionId, price);
    }

    function _vault(Tranche t) internal view returns (TrancheVault) {
        return t == Tranche.Senior ? senior : junior;
    }

    /// @dev Ends the block after the deposit: cash deposited in the same transaction does not lower the rate of a
    ///      borrow (SPEC §3 "Rate integrity"); forge runs a whole test as one transaction in one block.
    function _deposit(Tranche t, address who, uint256 assets) internal returns (uint256 shares) {
        _fund(who, assets);
        vm.prank(who);
        shares = _vault(t).deposit(assets, who);
        vm.roll(block.number + 1);
    }

    function _mintNft(MockCollection c, address to) internal returns (uint256 id) {
        id = _nextTokenId++;
        c.mint(to, id);
        vm.prank(to);
        c.setApprovalForAll(address(pool), true);
    }

    function _noProof() internal pure returns (RarityProof memory r) {
        r.proof = new bytes32[](0);
    }

    function _borrow(address who, MockCollection c, uint256 principal, uint256 duration)
        internal
        returns (uint256 loanId, uint256 tokenId)
    {
        tokenId = _mintNft(c, who);
        vm.prank(who);
        loanId = pool.borrow(address(c), tokenId, principal, duration, type(uint256).max, _noProof());
    }

    /// @dev A junior exit (SPEC §5 "Junior notice"): `who` requests `shares`, the notice period elapses, the queue is
    ///      served (up to 50 requests) and `who` claims the request's served shares (ERC-7540 `redeem`). Returns the assets paid (0 if nothing was served).
    function _juniorExit(address who, uint256 shares) internal returns (uint256 assets) {
        vm.prank(who);
        uint256 id = junior.requestRedeem(shares, who, who);
        vm.warp(block.timestamp + junior.noticePeriod());
        junior.processQueue(50);
        uint256 claimable = junior.claimableRedeemRequest(id, who);
        if (claimable == 0) return 0;
        vm.prank(who);
        assets = junior.redeem(claimable, who, who);
    }

    /// @dev The junior shares worth `assets` now, rounded up: the vault's own conversion (virtual shares), as the
    ///      queue's partial service computes it (`previewWithdraw` reverts on the junior, ERC-7540).
    function _juniorSharesFor(uint256 assets) internal view returns (uint256) {
        uint256 num = assets * (junior.totalSupply() + 1e6);
        uint256 den = junior.totalAssets() + 1;
        return (num + den - 1) / den;
    }

    /// @dev Deposits `juniorAmt` junior (alice) then `seniorAmt` senior (bob).
    function _seedLiquidity(uint256 seniorAmt, uint256 juniorAmt) internal {
        if (juniorAmt > 0) _deposit(Tranche.Junior, alice, juniorAmt);
        if (seniorAmt > 0) _deposit(Tranche.Senior, bob, seniorAmt);
    }

    /// @dev The wiring of a live pool (`WiringOf`).
    function _wiringOf(StrataPool p) internal view returns (PoolStorageLayout.Wiring memory) {
        return WiringOf.read(p);
    }
}
