// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {RateCurveLib} from "../../src/interest/RateCurve.sol";
import {IAppraisalOracle} from "../../src/interfaces/IAppraisalOracle.sol";
import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {AuctionParams, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {ChainlinkFloorAdapter} from "../../src/oracle/ChainlinkFloorAdapter.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {MockAggregatorV3} from "../mocks/MockAggregatorV3.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice SPEC §8: every admin function of every contract rejects anyone but the timelock with `NotGovernance`;
///         guardians pause new risk (borrows, deposits, a collection) and nothing else; parameters are bounded.
contract GovernanceAccessTest is StrataTestBase {
    address internal stranger = makeAddr("stranger");
    ChainlinkFloorAdapter internal adapter;
    address internal newImpl;

    function setUp() public override {
        super.setUp();
        newImpl = deployCode("StrataPool.sol:StrataPool", abi.encode(_wiringOf(pool)));
        adapter = ChainlinkFloorAdapter(
            address(
                new ERC1967Proxy(
                    deployCode("ChainlinkFloorAdapter.sol:ChainlinkFloorAdapter"),
                    abi.encodeCall(ChainlinkFloorAdapter.initialize, (gov, guardian, 6))
                )
            )
        );
    }

    // ------------------------------------------------------------------ every admin function, every contract

    /// @dev (target, calldata) of every governance-only function; each must revert with NotGovernance(caller).
    function _adminCalls() internal view returns (address[] memory targets, bytes[] memory calls) {
        AuctionParams memory ap = AuctionParams({
            startMultiplierBps: 15_000, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
        });
        targets = new address[](38);
        calls = new bytes[](38);
        uint256 n;
        // pool
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setSeniorRate, (0.06e18)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setMinJuniorRatio, (3000)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setFees, (10, 10)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setGracePeriod, (2 days)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setTreasury, (stranger)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setBorrowsPaused, (false)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setDepositsPaused, (false)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.setQueueHold, (200, 2 days)));
        (targets[n], calls[n++]) = (address(pool), abi.encodeCall(StrataPool.settleRecovery, (1, 0)));
        // registry
        (targets[n], calls[n++]) =
        (address(registry), abi.encodeCall(registry.configureCollection, (stranger, _paramsA())));
        (targets[n], calls[n++]) =
        (address(registry), abi.encodeCall(registry.setCollectionPaused, (address(apes), false)));
        (targets[n], calls[n++]) = (address(registry), abi.encodeCall(registry.setNoProofRarity, (address(apes), 9000)));
        // oracle
        (targets[n], calls[n++]) = (address(oracle), abi.encodeCall(AppraisalOracle.setReporter, (stranger, true)));
        (targets[n], calls[n++]) =
        (address(oracle), abi.encodeCall(AppraisalOracle.configureCollection, (stranger, 0, 5000, 1 days)));
        // Chainlink adapter
        (targets[n], calls[n++]) =
        (address(adapter), abi.encodeCall(ChainlinkFloorAdapter.setFeed, (stranger, stranger, 1 days)));
        // liquidator
        (targets[n], calls[n++]) = (address(liquidator), abi.encodeCall(liquidator.setAuctionParams, (ap)));
        (targets[n], calls[n++]) = (address(liquidator), abi.encodeCall(ILiquidator.recoverUnsold, (1, stranger, 0)));
        // Governed + UUPS on every proxy
        address[7] memory all = [
            address(pool),
            address(registry),
            address(oracle),
            address(senior),
            address(junior),
            address(liquidator),
            address(adapter)
        ];
        for (uint256 i; i < all.length; ++i) {
            (targets[n], calls[n++]) = (all[i], abi.encodeCall(UUPSUpgradeable.upgradeToAndCall, (newImpl, "")));
            (targets[n], calls[n++]) = (all[i], abi.encodeCall(Governed.transferGovernance, (stranger)));
            (targets[n], calls[n++]) = (all[i], abi.encodeCall(Governed.setGuardian, (stranger, true)));
        }
        assertEq(n, targets.length, "every slot filled");
    }

    function _assertAllRejected(address caller) internal {
        (address[] memory targets, bytes[] memory calls) = _adminCalls();
        for (uint256 i; i < targets.length; ++i) {
            vm.prank(caller);
            (bool ok, bytes memory ret) = targets[i].call(calls[i]);
            assertFalse(ok, string.concat("admin call accepted, index ", vm.toString(i)));
            assertEq(ret, abi.encodeWithSelector(Governed.NotGovernance.selector, caller), vm.toString(i));
        }
    }

    function test_adminFunctions_rejectStranger() public {
        _assertAllRejected(stranger);
    }

    function test_adminFunctions_rejectGuardian() public {
        _assertAllRejected(guardian);
    }

    function test_adminFunctions_rejectProposerMultisigDirectly() public {
        _assertAllRejected(multisig);
    }

    function test_adminFunctions_rejectReporterAndDeployer() public {
        _assertAllRejected(reporter);
        _assertAllRejected(address(this));
    }

    function testFuzz_adminFunctions_rejectAnyone(address caller) public {
        vm.assume(caller != gov);
        _assertAllRejected(caller);
    }

    /// @dev The list is not vacuous: the timelock itself passes the access check of every call (some then fail
    ///      their own checks, e.g. recoverUnsold of a missing auction, but never with NotGovernance).
    function test_adminFunctions_timelockPassesAccessCheck() public {
        (address[] memory targets, bytes[] memory calls) = _adminCalls();
        for (uint256 i; i < targets.length; ++i) {
            uint256 snap = vm.snapshotState();
            vm.prank(gov);
            (bool ok, bytes memory ret) = targets[i].call(calls[i]);
            if (!ok) {
                assertTrue(bytes4(ret) != Governed.NotGovernance.selector, vm.toString(i));
                assertTrue(bytes4(ret) != Governed.NotGuardian.selector, vm.toString(i));
            }
            vm.revertToState(snap);
        }
    }

    // ------------------------------------------------------------------ guardian: pause, never unpause

    function test_guardian_pausesBorrows_notUnpause() public {
        _seedLiquidity(400_000 * USDC, 100_000 * USDC);
        vm.prank(guardian);
        pool.setBorrowsPaused(true);
        (bool borrowsPaused,) = pool.paused();
        assertTrue(borrowsPaused);
        uint256 id = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(IStrataPool.BorrowsPaused.selector);
        pool.borrow(address(apes), id, 10_000 * USDC, 30 days, type(uint256).max, _noProof());

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        pool.setBorrowsPaused(false);

        vm.prank(gov);
        pool.setBorrowsPaused(false);
        vm.prank(carol);
        pool.borrow(address(apes), id, 10_000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_guardian_pausesDeposits_notUnpause() public {
        vm.prank(guardian);
        pool.setDepositsPaused(true);
        assertEq(senior.maxDeposit(alice), 0);
        assertEq(junior.maxDeposit(alice), 0);
        _fund(alice, 1000 * USDC);
        vm.prank(alice);
        vm.expectRevert();
        junior.deposit(1000 * USDC, alice);

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        pool.setDepositsPaused(false);
        vm.prank(gov);
        pool.setDepositsPaused(false);
        vm.prank(alice);
        junior.deposit(1000 * USDC, alice);
    }

    function test_guardian_pausesCollection_notUnpause() public {
        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        (,, bool isPaused) = registry.collection(address(apes));
        assertTrue(isPaused);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        registry.setCollectionPaused(address(apes), false);
        vm.prank(gov);
        registry.setCollectionPaused(address(apes), false);
    }

    function test_stranger_cannotPause() public {
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, stranger));
        pool.setBorrowsPaused(true);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, stranger));
        pool.setDepositsPaused(true);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, stranger));
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
    }

    /// @dev SPEC §8: pausing never blocks repayment or a lender's withdrawal of what is already theirs.
    function test_pause_doesNotBlockRepayOrWithdraw() public {
        _seedLiquidity(400_000 * USDC, 100_000 * USDC);
        (uint256 loanId,) = _borrow(carol, apes, 20_000 * USDC, 30 days);
        vm.startPrank(guardian);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
        vm.warp(block.timestamp + 10 days);
        uint256 owed = lens.debt(loanId);
        _fund(carol, owed);
        vm.prank(carol);
        pool.repay(loanId, owed);
        assertEq(apes.ownerOf(1), carol);
        uint256 shares = senior.balanceOf(bob) / 10;
        vm.prank(bob);
        senior.redeem(shares, bob, bob);
    }

    function test_guardian_removedByGovernanceOnly() public {
        vm.prank(gov);
        pool.setGuardian(guardian, false);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, guardian));
        pool.setBorrowsPaused(true);
    }

    // ------------------------------------------------------------------ hard bounds

    function _expectBounds(address target, bytes memory call, bytes memory err) internal {
        vm.prank(gov);
        (bool ok, bytes memory ret) = target.call(call);
        assertFalse(ok, "out-of-range value accepted");
        assertEq(ret, err);
    }

    function _oob(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IStrataPool.ParameterOutOfBounds.selector, name, value, min, max);
    }

    function test_bounds_pool() public {
        _expectBounds(
            address(pool),
            abi.encodeCall(StrataPool.setSeniorRate, (0.3e18 + 1)),
            _oob("seniorRate", 0.3e18 + 1, 0, 0.3e18)
        );
        _expectBounds(
            address(pool),
            abi.encodeCall(StrataPool.setMinJuniorRatio, (9001)),
            _oob("minJuniorRatioBps", 9001, 0, 9000)
        );
        _expectBounds(
            address(pool), abi.encodeCall(StrataPool.setFees, (501, 0)), _oob("originationFeeBps", 501, 0, 500)
        );
        _expectBounds(
            address(pool), abi.encodeCall(StrataPool.setFees, (0, 5001)), _oob("protocolFeeBps", 5001, 0, 5000)
        );
        _expectBounds(
            address(pool),
            abi.encodeCall(StrataPool.setGracePeriod, (1 hours - 1)),
            _oob("gracePeriod", 1 hours - 1, 1 hours, 30 days)
        );
        _expectBounds(
            address(pool),
            abi.encodeCall(StrataPool.setGracePeriod, (30 days + 1)),
            _oob("gracePeriod", 30 days + 1, 1 hours, 30 days)
        );
        _expectBounds(
            address(pool),
            abi.encodeCall(StrataPool.setTreasury, (address(0))),
            abi.encodeWithSelector(Governed.ZeroAddress.selector)
        );
        // the edges are accepted, and each change is observable
        vm.startPrank(gov);
        pool.setSeniorRate(0.3e18);
        pool.setMinJuniorRatio(9000);
        pool.setFees(500, 5000);
        pool.setGracePeriod(30 days);
        vm.stopPrank();
        (uint256 rate, uint256 ratio, uint256 orig, uint256 fee, uint256 grace,) = pool.parameters();
        assertEq(abi.encode(rate, ratio, orig, fee, grace), abi.encode(0.3e18, 9000, 500, 5000, 30 days));
    }

    function test_bounds_registry() public {
        CollectionParams memory p = _paramsA();
        p.ltvBps = 9001; // an LTV above 90 % is impossible, whatever governance wants
        p.liquidationThresholdBps = 9500;
        _expectBounds(
            address(registry),
            abi.encodeCall(registry.configureCollection, (address(apes), p)),
            _oob("ltvBps", 9001, 1, 9000)
        );
        p = _paramsA();
        p.ltvBps = 20_000; // 200 %
        _expectBounds(
            address(registry),
            abi.encodeCall(registry.configureCollection, (address(apes), p)),
            _oob("ltvBps", 20_000, 1, 9000)
        );
        p = _paramsA();
        p.liquidationThresholdBps = p.ltvBps;
        _expectBounds(
            address(registry),
            abi.encodeCall(registry.configureCollection, (address(apes), p)),
            _oob("liquidationThresholdBps", p.ltvBps, p.ltvBps + 1, 9500)
        );
        p = _paramsA();
        p.maxRarityBps = 50_001;
        _expectBounds(
            address(registry),
            abi.encodeCall(registry.configureCollection, (address(apes), p)),
            _oob("maxRarityBps", 50_001, 10_000, 50_000)
        );
        p = _paramsA();
        p.maxDuration = 365 days + 1;
        _expectBounds(
            address(registry),
            abi.encodeCall(registry.configureCollection, (address(apes), p)),
            _oob("maxDuration", 365 days + 1, p.minDuration, 365 days)
        );
        p = _paramsA();
        p.curve.kink = 0;
        vm.prank(gov);
        vm.expectPartialRevert(RateCurveLib.ParameterOutOfBounds.selector);
        registry.configureCollection(address(apes), p);
    }

    function test_bounds_oracle() public {
        _expectBounds(
            address(oracle),
            abi.encodeCall(AppraisalOracle.configureCollection, (address(apes), 7 days + 1, 5000, 1 days)),
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("window"), 7 days + 1, 0, 7 days
            )
        );
        _expectBounds(
            address(oracle),
            abi.encodeCall(AppraisalOracle.configureCollection, (address(apes), 0, 5001, 1 days)),
            abi.encodeWithSelector(
                IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxDeviationBps"), 5001, 1, 5000
            )
        );
        _expectBounds(
            address(oracle),
            abi.encodeCall(AppraisalOracle.configureCollection, (address(apes), 0, 5000, 59)),
            abi.encodeWithSelector(IAppraisalOracle.ParameterOutOfBounds.selector, bytes32("maxAge"), 59, 60, 7 days)
        );
        _expectBounds(
            address(adapter),
            abi.encodeCall(ChainlinkFloorAdapter.setFeed, (address(apes), address(new MockAggregatorV3(18)), 59)),
            abi.encodeWithSelector(
                ChainlinkFloorAdapter.ParameterOutOfBounds.selector, bytes32("maxAge"), 59, 60, 7 days
            )
        );
    }

    function test_bounds_liquidator() public {
        AuctionParams memory ap = AuctionParams({
            startMultiplierBps: 50_001, endMultiplierBps: 5000, auctionDuration: 3 days, recoveryTimeout: 30 days
        });
        _expectBounds(
            address(liquidator),
            abi.encodeCall(liquidator.setAuctionParams, (ap)),
            abi.encodeWithSelector(
                ILiquidator.ParameterOutOfBounds.selector, bytes32("startMultiplierBps"), 50_001, 10_000, 50_000
            )
        );
        ap.startMultiplierBps = 15_000;
        ap.auctionDuration = 30 days + 1;
        _expectBounds(
            address(liquidator),
            abi.encodeCall(liquidator.setAuctionParams, (ap)),
            abi.encodeWithSelector(
                ILiquidator.ParameterOutOfBounds.selector, bytes32("auctionDuration"), 30 days + 1, 1 hours, 30 days
            )
        );
    }

    function test_vaultTrancheUnaffectedByGovernanceCallsFromOthers() public view {
        assertEq(uint256(senior.tranche()), uint256(Tranche.Senior));
        assertEq(senior.governance(), gov);
        assertEq(junior.governance(), gov);
    }
}
