// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";
import {BorrowTerms, ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {CollectionParams, IStrataPool, RarityProof} from "../../src/interfaces/IStrataPool.sol";
import {PoolParameters} from "../../src/pool/PoolParameters.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice CollectionRegistry on its own: listing and the hard bounds of every collection parameter
///         (PoolParameters), pause rights, appraisal, and the collection-level checks of a borrow and an extension.
contract CollectionRegistryTest is StrataTestBase {
    MockCollection internal cats;

    function setUp() public override {
        super.setUp();
        cats = new MockCollection("Cats", "CAT");
    }

    // ------------------------------------------------------------------ configureCollection

    function test_configure_listsAndEmitsOldAndNew() public {
        CollectionParams memory p = _paramsA();
        CollectionParams memory none;
        vm.expectEmit(address(registry));
        emit ICollectionRegistry.CollectionConfigured(address(cats), none, p);
        vm.prank(gov);
        registry.configureCollection(address(cats), p);

        (CollectionParams memory got, bool listed, bool paused) = registry.collection(address(cats));
        assertTrue(listed);
        assertFalse(paused);
        assertEq(abi.encode(got), abi.encode(p));
        assertEq(registry.oracleOf(address(cats)), address(oracle));
    }

    function test_configure_reconfigureEmitsOldParamsAndKeepsPause() public {
        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        CollectionParams memory p = _paramsA();
        p.ltvBps = 4500;
        vm.expectEmit(address(registry));
        emit ICollectionRegistry.CollectionConfigured(address(apes), _paramsA(), p);
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        (CollectionParams memory got, bool listed, bool paused) = registry.collection(address(apes));
        assertEq(got.ltvBps, 4500);
        assertTrue(listed);
        assertTrue(paused, "a new configuration does not unpause");
    }

    function test_configure_onlyGovernance() public {
        CollectionParams memory p = _paramsA();
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        registry.configureCollection(address(cats), p);
    }

    function test_configure_rejectsZeroCollection() public {
        CollectionParams memory p = _paramsA();
        vm.prank(gov);
        vm.expectRevert(Governed.ZeroAddress.selector);
        registry.configureCollection(address(0), p);
    }

    function test_configure_rejectsZeroOracle() public {
        CollectionParams memory p = _paramsA();
        p.oracle = address(0);
        _expectOutOfBounds(p, "oracle", 0, 1, type(uint160).max);
    }

    function test_configure_ltvBounds() public {
        CollectionParams memory p = _paramsA();
        p.ltvBps = 0;
        _expectOutOfBounds(p, "ltvBps", 0, 1, PoolParameters.MAX_LTV_BPS);
        p.ltvBps = 9001;
        p.liquidationThresholdBps = 9500;
        _expectOutOfBounds(p, "ltvBps", 9001, 1, 9000);
        p.ltvBps = 9000; // the cap itself is allowed
        _configureCats(p);
        assertEq(_catsParams().ltvBps, 9000);
    }

    function test_configure_thresholdAboveLtvAndCapped() public {
        CollectionParams memory p = _paramsA(); // ltv 5000
        p.liquidationThresholdBps = 5000;
        _expectOutOfBounds(p, "liquidationThresholdBps", 5000, 5001, 9500);
        p.liquidationThresholdBps = 9501;
        _expectOutOfBounds(p, "liquidationThresholdBps", 9501, 5001, 9500);
        p.liquidationThresholdBps = 5001;
        _configureCats(p);
        assertEq(_catsParams().liquidationThresholdBps, 5001);
    }

    function test_configure_penaltyLateFeeRarityBounds() public {
        CollectionParams memory p = _paramsA();
        p.liquidationPenaltyBps = 2001;
        _expectOutOfBounds(p, "liquidationPenaltyBps", 2001, 0, 2000);
        p = _paramsA();
        p.lateFeeBps = 1001;
        _expectOutOfBounds(p, "lateFeeBps", 1001, 0, 1000);
        p = _paramsA();
        p.maxRarityBps = 9999;
        _expectOutOfBounds(p, "maxRarityBps", 9999, 10_000, 50_000);
        p.maxRarityBps = 50_001;
        _expectOutOfBounds(p, "maxRarityBps", 50_001, 10_000, 50_000);
    }

    /// @dev SPEC §8 tied bound: `lateFeeBps <= liquidationPenaltyBps`, at listing and at every change; equal is fine.
    function test_configure_lateFeeTiedToPenalty_atListing() public {
        CollectionParams memory p = _paramsA();
        p.liquidationPenaltyBps = 300;
        p.lateFeeBps = 301;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LateFeeAbovePenalty.selector, 301, 300));
        registry.configureCollection(address(cats), p);
        (, bool listed,) = registry.collection(address(cats));
        assertFalse(listed, "nothing listed");

        p.lateFeeBps = 300; // the boundary: equal is allowed
        vm.prank(gov);
        registry.configureCollection(address(cats), p);
        (CollectionParams memory got, bool listedNow,) = registry.collection(address(cats));
        assertTrue(listedNow);
        assertEq(got.lateFeeBps, 300);
        assertEq(got.liquidationPenaltyBps, 300);
    }

    function test_configure_lateFeeTiedToPenalty_onEveryChange() public {
        // apes is listed with penalty 5 %, late fee 1 %: lowering the penalty under the fee is refused...
        CollectionParams memory p = _paramsA();
        p.liquidationPenaltyBps = 99;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LateFeeAbovePenalty.selector, 100, 99));
        registry.configureCollection(address(apes), p);
        // ...and so is raising the fee over the penalty; both at the bound are fine.
        p = _paramsA();
        p.lateFeeBps = 501;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LateFeeAbovePenalty.selector, 501, 500));
        registry.configureCollection(address(apes), p);
        p.lateFeeBps = 500;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        (CollectionParams memory got,,) = registry.collection(address(apes));
        assertEq(got.lateFeeBps, got.liquidationPenaltyBps, "equal at the bound");
        // A zero penalty forces a zero late fee.
        p.liquidationPenaltyBps = 0;
        p.lateFeeBps = 1;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LateFeeAbovePenalty.selector, 1, 0));
        registry.configureCollection(address(apes), p);
    }

    function testFuzz_configure_lateFeeNeverAbovePenalty(uint16 penalty, uint16 lateFee) public {
        CollectionParams memory p = _paramsA();
        p.liquidationPenaltyBps = uint16(bound(penalty, 0, PoolParameters.MAX_LIQUIDATION_PENALTY_BPS));
        p.lateFeeBps = uint16(bound(lateFee, 0, PoolParameters.MAX_LATE_FEE_BPS));
        vm.prank(gov);
        if (p.lateFeeBps > p.liquidationPenaltyBps) {
            vm.expectRevert(
                abi.encodeWithSelector(IStrataPool.LateFeeAbovePenalty.selector, p.lateFeeBps, p.liquidationPenaltyBps)
            );
        }
        registry.configureCollection(address(cats), p);
        (CollectionParams memory got, bool listed,) = registry.collection(address(cats));
        if (listed) assertLe(got.lateFeeBps, got.liquidationPenaltyBps);
    }

    function test_configure_durationBounds() public {
        CollectionParams memory p = _paramsA();
        p.minDuration = 1 days - 1;
        _expectOutOfBounds(p, "minDuration", 1 days - 1, 1 days, 365 days);
        p = _paramsA();
        p.maxDuration = 365 days + 1;
        _expectOutOfBounds(p, "maxDuration", 365 days + 1, 7 days, 365 days);
        p = _paramsA(); // minDuration 7 days
        p.maxDuration = 7 days - 1;
        _expectOutOfBounds(p, "maxDuration", 7 days - 1, 7 days, 365 days);
        p.maxDuration = 7 days; // a single allowed duration is fine
        _configureCats(p);
        assertEq(_catsParams().maxDuration, 7 days);
    }

    function test_configure_validatesCurve() public {
        CollectionParams memory p = _paramsA();
        p.curve = RateCurve({baseRate: 0.05e18, slope1: 0.1e18, slope2: 1e18, kink: 1e18});
        vm.prank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(RateCurveLib.ParameterOutOfBounds.selector, bytes32("kink"), 1e18, 0.01e18, 0.99e18)
        );
        registry.configureCollection(address(cats), p);
    }

    // ------------------------------------------------------------------ pause

    function test_pause_guardianPausesOnlyGovernanceUnpauses() public {
        vm.expectEmit(address(registry));
        emit ICollectionRegistry.CollectionPausedSet(address(apes), false, true);
        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        (,, bool paused) = registry.collection(address(apes));
        assertTrue(paused);

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, guardian));
        registry.setCollectionPaused(address(apes), false);

        vm.prank(gov);
        registry.setCollectionPaused(address(apes), false);
        (,, paused) = registry.collection(address(apes));
        assertFalse(paused);

        vm.prank(gov); // governance may pause too
        registry.setCollectionPaused(address(apes), true);
        (,, paused) = registry.collection(address(apes));
        assertTrue(paused);
    }

    function test_pause_strangerCannotPause() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGuardian.selector, alice));
        registry.setCollectionPaused(address(apes), true);
    }

    function test_pause_unlistedCollectionReverts() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(cats)));
        registry.setCollectionPaused(address(cats), true);
    }

    // ------------------------------------------------------------------ appraisal

    function test_appraisal_unlistedIsZeroAndStale() public view {
        (uint256 value, bool fresh) = registry.appraisal(address(cats), 10_000);
        assertEq(value, 0);
        assertFalse(fresh);
        assertEq(registry.oracleOf(address(cats)), address(0));
    }

    function test_appraisal_floorTimesRarityRoundedDown() public {
        (uint256 value, bool fresh) = registry.appraisal(address(apes), 10_000);
        assertEq(value, 100_000 * USDC);
        assertTrue(fresh);
        (value,) = registry.appraisal(address(apes), 12_345);
        assertEq(value, 123_450 * USDC);
        _pushPrice(address(punks), 40_000 * USDC + 3); // 40_000.000003 * 1.0001 = 40_004.0000030003
        (value,) = registry.appraisal(address(punks), 10_001);
        assertEq(value, 40_004_000_003);
    }

    function test_appraisal_staleAfterMaxAge() public {
        vm.warp(block.timestamp + 1 days);
        (, bool fresh) = registry.appraisal(address(apes), 10_000);
        assertTrue(fresh, "exactly maxAge old is still fresh");
        vm.warp(block.timestamp + 1);
        uint256 value;
        (value, fresh) = registry.appraisal(address(apes), 10_000);
        assertFalse(fresh);
        assertEq(value, 100_000 * USDC, "the value is still reported");
    }

    // ------------------------------------------------------------------ borrowTerms

    function test_borrowTerms_copiesCollectionTerms() public view {
        BorrowTerms memory t = registry.borrowTerms(address(apes), 1, 50_000 * USDC, 30 days, 50_000 * USDC, _noProof());
        assertEq(t.rarityBps, 10_000);
        assertEq(t.liquidationThresholdBps, 7000);
        assertEq(t.liquidationPenaltyBps, 500);
        assertEq(t.lateFeeBps, 100);
        assertEq(abi.encode(t.curve), abi.encode(_paramsA().curve));
    }

    function test_borrowTerms_ltvLimitIsExact() public {
        registry.borrowTerms(address(apes), 1, 50_000 * USDC, 30 days, 0, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, 50_000 * USDC + 1, 50_000 * USDC));
        registry.borrowTerms(address(apes), 1, 50_000 * USDC + 1, 30 days, 0, _noProof());
    }

    function test_borrowTerms_exposureCapIsExact() public {
        uint256 cap = 5_000_000 * USDC;
        registry.borrowTerms(address(apes), 1, 1, 30 days, cap, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsExposureCap.selector, address(apes), cap + 1, cap));
        registry.borrowTerms(address(apes), 1, 1, 30 days, cap + 1, _noProof());
    }

    function test_borrowTerms_unlistedPausedDuration() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(cats)));
        registry.borrowTerms(address(cats), 1, 1, 30 days, 1, _noProof());

        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 7 days - 1, 7 days, 90 days));
        registry.borrowTerms(address(apes), 1, 1, 7 days - 1, 1, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 90 days + 1, 7 days, 90 days));
        registry.borrowTerms(address(apes), 1, 1, 90 days + 1, 1, _noProof());
        registry.borrowTerms(address(apes), 1, 1, 7 days, 1, _noProof());
        registry.borrowTerms(address(apes), 1, 1, 90 days, 1, _noProof());

        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionPaused.selector, address(apes)));
        registry.borrowTerms(address(apes), 1, 1, 30 days, 1, _noProof());
    }

    function test_borrowTerms_stalePriceReverts() public {
        vm.warp(block.timestamp + 1 days + 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        registry.borrowTerms(address(apes), 1, 1, 30 days, 1, _noProof());
    }

    function test_borrowTerms_rarityProofRaisesLimitAndIsCapped() public {
        // Two-leaf tree: token 7 at 2x, token 9 at 4x (above the apes cap of 3x).
        bytes32 leaf7 = _leaf(7, 20_000);
        bytes32 leaf9 = _leaf(9, 40_000);
        CollectionParams memory p = _paramsA();
        p.rarityRoot = _hashPair(leaf7, leaf9);
        vm.prank(gov);
        registry.configureCollection(address(apes), p);

        RarityProof memory r7 = RarityProof({multiplierBps: 20_000, proof: new bytes32[](1)});
        r7.proof[0] = leaf9;
        BorrowTerms memory t = registry.borrowTerms(address(apes), 7, 100_000 * USDC, 30 days, 0, r7);
        assertEq(t.rarityBps, 20_000);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, 100_000 * USDC + 1, 100_000 * USDC));
        registry.borrowTerms(address(apes), 7, 100_000 * USDC + 1, 30 days, 0, r7);

        RarityProof memory r9 = RarityProof({multiplierBps: 40_000, proof: new bytes32[](1)});
        r9.proof[0] = leaf7;
        t = registry.borrowTerms(address(apes), 9, 150_000 * USDC, 30 days, 0, r9);
        assertEq(t.rarityBps, 30_000, "capped at maxRarityBps");

        // A proof for another token, or another multiplier, is rejected.
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(apes), 8, 20_000));
        registry.borrowTerms(address(apes), 8, 1, 30 days, 0, r7);
        r7.multiplierBps = 30_000;
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(apes), 7, 30_000));
        registry.borrowTerms(address(apes), 7, 1, 30 days, 0, r7);
    }

    // ------------------------------------------------------------------ extensionCurve

    function test_extensionCurve_healthBoundaryIsExact() public {
        // apes: floor 100_000, threshold 70 %; rarity 1.5x -> limit 105_000.
        RateCurve memory c = registry.extensionCurve(1, address(apes), 15_000, 7000, 105_000 * USDC, 30 days);
        assertEq(abi.encode(c), abi.encode(_paramsA().curve));
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanUnhealthy.selector, 1));
        registry.extensionCurve(1, address(apes), 15_000, 7000, 105_000 * USDC + 1, 30 days);
    }

    function test_extensionCurve_usesCurrentCurveAndChecks() public {
        CollectionParams memory p = _paramsA();
        p.curve.baseRate = 0.07e18;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        RateCurve memory c = registry.extensionCurve(1, address(apes), 10_000, 7000, 1, 30 days);
        assertEq(c.baseRate, 0.07e18);

        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 91 days, 7 days, 90 days));
        registry.extensionCurve(1, address(apes), 10_000, 7000, 1, 91 days);
        vm.warp(block.timestamp + 1 days + 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        registry.extensionCurve(1, address(apes), 10_000, 7000, 1, 30 days);
    }

    // ------------------------------------------------------------------ helpers

    function _expectOutOfBounds(CollectionParams memory p, bytes32 name, uint256 value, uint256 min, uint256 max)
        internal
    {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ParameterOutOfBounds.selector, name, value, min, max));
        registry.configureCollection(address(cats), p);
    }

    function _configureCats(CollectionParams memory p) internal {
        vm.prank(gov);
        registry.configureCollection(address(cats), p);
    }

    function _catsParams() internal view returns (CollectionParams memory p) {
        (p,,) = registry.collection(address(cats));
    }

    function _leaf(uint256 tokenId, uint256 multiplierBps) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(tokenId, multiplierBps))));
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}
