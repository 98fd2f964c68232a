// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Test} from "forge-std/Test.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";
import {AuctionParams, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {Waterfall} from "../../src/libraries/Waterfall.sol";
import {DutchAuctionLiquidator} from "../../src/liquidation/DutchAuctionLiquidator.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice The pool's own defences behind the vault hooks (only the tranche's vault may call; zero amounts and
///         over-serving are refused even from the vault), and the zero-address checks of every initializer.
contract PoolGuardsTest is StrataTestBase {
    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
    }

    function test_hooks_onlyTheTranchesVault() public {
        vm.prank(address(junior)); // the junior vault cannot book senior deposits
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, address(junior)));
        pool.onDeposit(Tranche.Senior, 1, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotVault.selector, alice));
        pool.onRedeemQueueChanged(Tranche.Junior, 1, false);
    }

    function test_hooks_rejectZeroAmountsFromTheVault() public {
        vm.startPrank(address(senior));
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onDeposit(Tranche.Senior, 0, 1);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onDeposit(Tranche.Senior, 0, 0);
        // (`onDeposit(tranche, assets, 0)` is a deposit the pool prices itself since #30, not a zero mint.)
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onWithdraw(Tranche.Senior, 0, 1, alice);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onWithdraw(Tranche.Senior, 1, 0, alice);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onRedeemQueueChanged(Tranche.Senior, 0, false);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onRedeemQueueChanged(Tranche.Senior, 0, true);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.onRedeemServed(Tranche.Senior, 0, 0);
        vm.stopPrank();
    }

    function test_onRedeemServed_cannotOverServe() public {
        // A junior request the subordination rule keeps pending: nothing of it is servable.
        uint256 shares = junior.balanceOf(alice) / 4;
        vm.prank(alice);
        junior.requestRedeem(shares, alice, alice);
        assertEq(pool.servable(Tranche.Junior), 0);
        vm.prank(address(junior));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.QueueOverServed.selector, 1, 0));
        pool.onRedeemServed(Tranche.Junior, 1, shares);
    }

    function test_vault_sharesLockedInTheQueueCannotBeExited() public {
        uint256 shares = junior.balanceOf(alice) / 4;
        vm.prank(alice);
        junior.requestRedeem(shares, alice, alice);
        assertEq(junior.balanceOf(address(junior)), shares, "locked in the vault, pending");

        // Junior `withdraw`/`redeem` are ERC-7540 claims: the vault as controller is nobody's to claim for.
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotControllerOrOperator.selector, bob, address(junior)));
        junior.withdraw(1, bob, address(junior));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotControllerOrOperator.selector, bob, address(junior)));
        junior.redeem(shares, bob, address(junior));
        assertEq(junior.balanceOf(address(junior)), shares);
    }

    /// @dev Initialization parameters for a pool over this test's contracts.
    function _poolInitParams() private view returns (PoolStorageLayout.InitParams memory) {
        return PoolStorageLayout.InitParams({
            asset: address(usdc),
            registry: address(registry),
            governance: gov,
            guardian: guardian,
            seniorVault: address(senior),
            juniorVault: address(junior),
            liquidator: address(liquidator),
            treasury: treasury,
            seniorRate: 0.05e18,
            minJuniorRatioBps: 2000,
            originationFeeBps: 0,
            protocolFeeBps: 0,
            gracePeriod: 3 days,
            queueHoldThresholdBps: 100,
            queueCooldown: 1 days
        });
    }

    function test_initializers_rejectZeroAddresses() public {
        PoolStorageLayout.InitParams memory p = _poolInitParams();
        address poolImpl = deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringFor(_poolInitParams())));
        for (uint256 i; i < 6; ++i) {
            PoolStorageLayout.InitParams memory q = p;
            if (i == 0) q.asset = address(0);
            if (i == 1) q.registry = address(0);
            if (i == 2) q.seniorVault = address(0);
            if (i == 3) q.juniorVault = address(0);
            if (i == 4) q.liquidator = address(0);
            if (i == 5) q.treasury = address(0);
            vm.expectRevert(Governed.ZeroAddress.selector);
            new ERC1967Proxy(poolImpl, abi.encodeCall(StrataPool.initialize, (q)));
        }
        p.governance = address(0);
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(poolImpl, abi.encodeCall(StrataPool.initialize, (p)));

        address vaultImpl = deployCode("TrancheVault.sol:TrancheVault", abi.encode(pool, Tranche.Senior, address(usdc)));
        address juniorImpl =
            deployCode("TrancheVault.sol:TrancheVault", abi.encode(pool, Tranche.Junior, address(usdc)));
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(
            vaultImpl,
            abi.encodeCall(
                TrancheVault.initialize,
                (IStrataPool(address(0)), Tranche.Senior, address(usdc), "S", "S", gov, guardian, 0)
            )
        );
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(
            vaultImpl,
            abi.encodeCall(TrancheVault.initialize, (pool, Tranche.Senior, address(0), "S", "S", gov, guardian, 0))
        );
        // The senior has no notice; the junior's is bounded.
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.SeniorHasNoNotice.selector, 1 hours));
        new ERC1967Proxy(
            vaultImpl,
            abi.encodeCall(
                TrancheVault.initialize, (pool, Tranche.Senior, address(usdc), "S", "S", gov, guardian, 1 hours)
            )
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ParameterOutOfBounds.selector, bytes32("noticePeriod"), 0, 1 hours, 30 days
            )
        );
        new ERC1967Proxy(
            juniorImpl,
            abi.encodeCall(TrancheVault.initialize, (pool, Tranche.Junior, address(usdc), "J", "J", gov, guardian, 0))
        );

        address liqImpl = deployCode(
            "DutchAuctionLiquidator.sol:DutchAuctionLiquidator", abi.encode(pool, ERC20(address(usdc)), registry)
        );
        AuctionParams memory a = AuctionParams({
            startMultiplierBps: 15_000, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
        });
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(
            liqImpl,
            abi.encodeCall(
                DutchAuctionLiquidator.initialize, (IStrataPool(address(0)), address(usdc), gov, guardian, a)
            )
        );
        vm.expectRevert(Governed.ZeroAddress.selector);
        new ERC1967Proxy(
            liqImpl, abi.encodeCall(DutchAuctionLiquidator.initialize, (pool, address(0), gov, guardian, a))
        );
    }

    /// @dev The pool's wiring (asset, registry, vaults, liquidator) is immutable in its implementation (#30): a proxy
    ///      cannot be initialized with an implementation built for any other.
    function test_initialize_refusesAnImplementationBuiltForOtherAddresses() public {
        PoolStorageLayout.InitParams memory p = _poolInitParams();
        address other = makeAddr("other");
        bytes32[5] memory names = [bytes32("asset"), "registry", "seniorVault", "juniorVault", "liquidator"];
        address[5] memory given = [p.asset, p.registry, p.seniorVault, p.juniorVault, p.liquidator];
        for (uint256 i; i < 5; ++i) {
            PoolStorageLayout.Wiring memory w = _wiringFor(p);
            if (i == 0) w.asset = ERC20(other);
            if (i == 1) w.registry = ICollectionRegistry(other);
            if (i == 2) w.seniorVault = other;
            if (i == 3) w.juniorVault = other;
            if (i == 4) w.liquidator = other;
            address impl = deployCode("StrataPool.sol:StrataPool", abi.encode(w));
            vm.expectRevert(
                abi.encodeWithSelector(IStrataPool.ImplementationMismatch.selector, names[i], other, given[i])
            );
            new ERC1967Proxy(impl, abi.encodeCall(StrataPool.initialize, (p)));
        }
        StrataPool fresh = StrataPool(
            address(
                new ERC1967Proxy(
                    deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringFor(p))),
                    abi.encodeCall(StrataPool.initialize, (p))
                )
            )
        );
        assertEq(fresh.asset(), address(usdc));
        assertEq(fresh.registry(), address(registry));
        assertEq(fresh.vault(Tranche.Senior), address(senior));
        assertEq(fresh.vault(Tranche.Junior), address(junior));
        assertEq(fresh.liquidator(), address(liquidator));
    }

    /// @dev The vaults' pool, tranche and asset, and the liquidator's pool and asset, are immutables too (#30).
    function test_vaultAndLiquidatorInitialize_refuseAnImplementationBuiltForAnotherPoolTrancheOrAsset() public {
        address other = makeAddr("other");
        address seniorImpl =
            deployCode("TrancheVault.sol:TrancheVault", abi.encode(pool, Tranche.Senior, address(usdc)));
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ImplementationMismatch.selector, bytes32("tranche"), address(0), address(1)
            )
        );
        new ERC1967Proxy(
            seniorImpl,
            abi.encodeCall(
                TrancheVault.initialize, (pool, Tranche.Junior, address(usdc), "J", "J", gov, guardian, 1 days)
            )
        );
        vm.expectRevert(
            abi.encodeWithSelector(ITrancheVault.ImplementationMismatch.selector, bytes32("pool"), address(pool), other)
        );
        new ERC1967Proxy(
            seniorImpl,
            abi.encodeCall(
                TrancheVault.initialize, (IStrataPool(other), Tranche.Senior, address(usdc), "S", "S", gov, guardian, 0)
            )
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ITrancheVault.ImplementationMismatch.selector, bytes32("asset"), address(usdc), other
            )
        );
        new ERC1967Proxy(
            seniorImpl,
            abi.encodeCall(TrancheVault.initialize, (pool, Tranche.Senior, other, "S", "S", gov, guardian, 0))
        );
        address liqImpl = deployCode(
            "DutchAuctionLiquidator.sol:DutchAuctionLiquidator", abi.encode(pool, ERC20(address(usdc)), registry)
        );
        AuctionParams memory a = AuctionParams({
            startMultiplierBps: 15_000, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
        });
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidator.ImplementationMismatch.selector, bytes32("pool"), address(pool), other)
        );
        new ERC1967Proxy(
            liqImpl,
            abi.encodeCall(DutchAuctionLiquidator.initialize, (IStrataPool(other), address(usdc), gov, guardian, a))
        );
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidator.ImplementationMismatch.selector, bytes32("asset"), address(usdc), other)
        );
        new ERC1967Proxy(liqImpl, abi.encodeCall(DutchAuctionLiquidator.initialize, (pool, other, gov, guardian, a)));
    }

    /// @dev What an implementation for a proxy initialized with `p` is built with.
    function _wiringFor(PoolStorageLayout.InitParams memory p) private pure returns (PoolStorageLayout.Wiring memory) {
        return PoolStorageLayout.Wiring({
            delegateRegistry: IDelegateRegistry(address(0)),
            asset: ERC20(p.asset),
            registry: ICollectionRegistry(p.registry),
            seniorVault: p.seniorVault,
            juniorVault: p.juniorVault,
            liquidator: p.liquidator
        });
    }

    function test_implementationsCannotBeInitialized() public {
        StrataPool impl = StrataPool(deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringFor(_poolInitParams()))));
        PoolStorageLayout.InitParams memory p;
        vm.expectRevert();
        impl.initialize(p);
    }
}

/// @dev Library entry points the production code does not call (yet) or reaches only at extremes.
contract LibraryEdgesHarness {
    function accrualRateDown(uint256 rate, uint256 principal, uint256 cash) external pure returns (uint256) {
        return Waterfall.accrualRateDown(rate, principal, cash);
    }

    function wMulUp(uint256 x, uint256 y) external pure returns (uint256) {
        return FixedPointMath.wMulUp(x, y);
    }

    function wDivUp(uint256 x, uint256 y) external pure returns (uint256) {
        return FixedPointMath.wDivUp(x, y);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return FixedPointMath.mulDivUp(x, y, d);
    }

    function maxSeniorDeposit(uint256 juniorValue, uint256 nav, uint256 ratio) external pure returns (uint256) {
        return Waterfall.maxSeniorDeposit(juniorValue, nav, ratio);
    }

    function maxJuniorWithdraw(uint256 juniorValue, uint256 nav, uint256 ratio) external pure returns (uint256) {
        return Waterfall.maxJuniorWithdraw(juniorValue, nav, ratio);
    }

    function claimReduction(uint256 claim, uint256 assets, uint256 shares, uint256 supply)
        external
        pure
        returns (uint256)
    {
        return Waterfall.claimReduction(claim, assets, shares, supply);
    }
}

contract LibraryEdgesTest is Test {
    LibraryEdgesHarness internal h;

    function setUp() public {
        h = new LibraryEdgesHarness();
    }

    function test_wMulUp_wDivUp_roundUp() public view {
        assertEq(h.wMulUp(3, 0.5e18), 2); // 1.5 -> 2
        assertEq(h.wMulUp(4, 0.5e18), 2); // exact
        assertEq(h.wDivUp(1, 3e18), 1); // 0.33.. -> 1
        assertEq(h.wDivUp(6, 3e18), 2); // exact
        assertEq(h.wDivUp(0, 3e18), 0);
    }

    function test_mulDivUp_revertsWhenRoundingUpOverflows() public {
        // floor((2^256 - 2) * (2^255 + 1) / 2^255) = 2^256 - 1 with a non-zero remainder: the ceiling does not fit.
        uint256 x = type(uint256).max - 1;
        uint256 y = (1 << 255) + 1;
        uint256 d = 1 << 255;
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, x, y, d));
        h.mulDivUp(x, y, d);
        assertEq(h.mulDivUp(type(uint256).max, 1, 1), type(uint256).max, "the maximum itself, exact, is fine");
    }

    /// @dev SPEC §5.1: the senior's accrual rate `rate × P / (P + cash)` rounds down (the remaining lenders' side).
    function test_accrualRate_roundsDown_zeroIdle_fullRateLent() public view {
        assertEq(h.accrualRateDown(1e18, 1, 2), 333_333_333_333_333_333, "1/3: rounded down");
        assertEq(h.accrualRateDown(0.05e18, 2, 1), 33_333_333_333_333_333, "2/3 of 5 %: rounded down");
        assertEq(h.accrualRateDown(0.05e18, 0, 1e12), 0, "nothing lent: nothing accrues");
        assertEq(h.accrualRateDown(0.05e18, 1e12, 0), 0.05e18, "all lent: the whole rate");
    }

    function test_waterfall_zeroRatioAndZeroSupply() public view {
        assertEq(h.maxSeniorDeposit(100, 1000, 0), type(uint256).max, "no subordination: unlimited");
        assertEq(h.maxJuniorWithdraw(100, 1000, 0), 100, "no subordination: the whole junior");
        // and the regular cases around them
        assertEq(h.maxSeniorDeposit(200, 800, 2000), 200); // 200 / 20 % = 1000 -> 1000 - 800
        assertEq(h.maxJuniorWithdraw(300, 1000, 2000), 125); // (300 * 1e4 - 2000 * 1000) / (1e4 - 2000)
        assertEq(h.claimReduction(500, 499, 10, 10), 500, "last exit: the whole claim, dust to the junior");
        assertEq(h.claimReduction(500, 166, 1, 3), 166, "whole: exactly the assets paid");
        assertEq(h.claimReduction(500, 165, 1, 3), 165, "whole at NAV == claim: the assets paid");
        // A-4: an impaired senior's exit lowers the claim by the assets paid, not pro rata (200): the forgone 100
        // stays owed to the remaining seniors.
        assertEq(h.claimReduction(600, 100, 1, 3), 100, "impaired: the assets paid, not pro rata");
    }
}
