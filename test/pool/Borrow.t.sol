// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {CollectionParams, IStrataPool, Loan, LoanStatus, RarityProof} from "../../src/interfaces/IStrataPool.sol";
import {RarityProof as RarityProofLib} from "../../src/oracle/RarityProof.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice `borrow` (SPEC §3): every check, every effect, every custom error.
contract BorrowTest is StrataTestBase {
    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
    }

    function test_borrow_locksNftAndPaysPrincipal() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.expectEmit(address(pool));
        // U after = 40k / (40k + 960k) = 4 %; apr = 5 % + 10 % * 0.04 / 0.8 = 5.5 %.
        emit IStrataPool.LoanOriginated(
            1, carol, address(apes), tokenId, 40_000 * USDC, 0.055e18, block.timestamp + 30 days, 10_000, 0
        );
        vm.prank(carol);
        uint256 loanId = pool.borrow(address(apes), tokenId, 40_000 * USDC, 30 days, 0.055e18, _noProof());
        assertEq(loanId, 1);
        assertEq(pool.nextLoanId(), 2);
        assertEq(apes.ownerOf(tokenId), address(pool));
        assertEq(usdc.balanceOf(carol), 40_000 * USDC);
        assertEq(pool.cash(), 960_000 * USDC);
        assertEq(pool.totalPrincipal(), 40_000 * USDC);
        assertEq(pool.exposure(address(apes)), 40_000 * USDC);
        assertEq(pool.nav(), 1_000_000 * USDC, "a loan moves cash to principal");

        Loan memory l = pool.loan(loanId);
        assertEq(l.borrower, carol);
        assertEq(l.collection, address(apes));
        assertEq(l.tokenId, tokenId);
        assertEq(l.principal, 40_000 * USDC);
        assertEq(l.apr, 0.055e18);
        assertEq(l.start, block.timestamp);
        assertEq(l.maturity, block.timestamp + 30 days);
        assertEq(uint256(l.status), uint256(LoanStatus.Active));
        assertEq(l.rarityBps, 10_000);
        assertEq(l.liquidationThresholdBps, 7000);
        assertEq(l.liquidationPenaltyBps, 500);
        assertEq(l.lateFeeBps, 100);
        assertEq(l.protocolFeeBps, 0);
        assertEq(l.gracePeriod, 3 days);
    }

    function test_borrow_rateUsesUtilizationAfterTheLoan_aboveKink() public {
        // Lend 850k of 1M: U = 85 % > kink 80 %: apr = 5 % + 10 % + 100 % * (0.85 - 0.8) / 0.2 = 40 %.
        for (uint256 i; i < 17; i++) {
            _borrow(carol, apes, 50_000 * USDC, 30 days);
        }
        Loan memory last = pool.loan(17);
        assertEq(last.apr, 0.4e18);
        assertEq(pool.loan(1).apr, 0.05625e18, "first loan: U = 5 %");
    }

    function test_borrow_originationFee_keptAsIncome() public {
        vm.prank(gov);
        pool.setFees(100, 0);
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        pool.borrow(address(apes), tokenId, 40_000 * USDC, 30 days, type(uint256).max, _noProof());
        assertEq(usdc.balanceOf(carol), 39_600 * USDC, "1 % withheld");
        assertEq(pool.nav(), 1_000_400 * USDC, "the fee enters NAV at origination");
        assertEq(pool.loan(1).principal, 40_000 * USDC, "the borrower owes the full principal");
    }

    function test_borrow_rarityProof_raisesAppraisal() public {
        uint256 tokenId = _mintNft(apes, carol);
        RarityProof memory proof = _listApesWithRarity(tokenId, 25_000);
        // 100k floor * 2.5 * 50 % LTV = 125k.
        vm.prank(carol);
        uint256 loanId = pool.borrow(address(apes), tokenId, 125_000 * USDC, 30 days, type(uint256).max, proof);
        assertEq(pool.loan(loanId).rarityBps, 25_000);
    }

    function test_borrow_rarityCappedByGovernance() public {
        uint256 tokenId = _mintNft(apes, carol);
        RarityProof memory proof = _listApesWithRarity(tokenId, 40_000);
        // Proven 4x, capped at 3x: 100k * 3 * 50 % = 150k.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, 150_000 * USDC + 1, 150_000 * USDC));
        pool.borrow(address(apes), tokenId, 150_000 * USDC + 1, 30 days, type(uint256).max, proof);
        vm.prank(carol);
        uint256 loanId = pool.borrow(address(apes), tokenId, 150_000 * USDC, 30 days, type(uint256).max, proof);
        assertEq(pool.loan(loanId).rarityBps, 30_000);
    }

    function test_borrow_invalidRarityProof_reverts() public {
        uint256 tokenId = _mintNft(apes, carol);
        RarityProof memory proof = _listApesWithRarity(tokenId, 25_000);
        proof.multiplierBps = 30_000; // claims more than the tree says
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(apes), tokenId, 30_000));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, proof);
        // A proof for another token is no proof for this one (no replay across tokens).
        uint256 other = _mintNft(apes, carol);
        proof.multiplierBps = 25_000;
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InvalidRarityProof.selector, address(apes), other, 25_000));
        pool.borrow(address(apes), other, 1000 * USDC, 30 days, type(uint256).max, proof);
    }

    function test_borrow_exactLtvLimit() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, 50_000 * USDC + 1, 50_000 * USDC));
        pool.borrow(address(apes), tokenId, 50_000 * USDC + 1, 30 days, type(uint256).max, _noProof());
        vm.prank(carol);
        pool.borrow(address(apes), tokenId, 50_000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function testFuzz_borrow_ltvWithRarity(uint256 multiplier, uint256 principal) public {
        multiplier = bound(multiplier, 10_000, 50_000);
        uint256 tokenId = _mintNft(apes, carol);
        RarityProof memory proof = _listApesWithRarity(tokenId, multiplier);
        uint256 effective = multiplier > 30_000 ? 30_000 : multiplier;
        uint256 maxPrincipal = FLOOR_A * effective / 10_000 * 5000 / 10_000;
        principal = bound(principal, 1, 200_000 * USDC);
        vm.prank(carol);
        if (principal > maxPrincipal) {
            vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsLtv.selector, principal, maxPrincipal));
        }
        pool.borrow(address(apes), tokenId, principal, 30 days, type(uint256).max, proof);
    }

    function test_borrow_reverts_whenBorrowsPaused() public {
        vm.prank(guardian);
        pool.setBorrowsPaused(true);
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(IStrataPool.BorrowsPaused.selector);
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_whenCollectionPaused() public {
        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionPaused.selector, address(apes)));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
        // Other collections still lend.
        _borrow(carol, punks, 1000 * USDC, 30 days);
    }

    function test_borrow_reverts_unlistedCollection() public {
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(usdc)));
        pool.borrow(address(usdc), 1, 1000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_zeroAndTooLarge() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.startPrank(carol);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.borrow(address(apes), tokenId, 0, 30 days, type(uint256).max, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.PrincipalTooLarge.selector, type(uint256).max));
        pool.borrow(address(apes), tokenId, type(uint256).max, 30 days, type(uint256).max, _noProof());
        vm.stopPrank();
    }

    function test_borrow_reverts_durationOutOfRange() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 7 days - 1, 7 days, 90 days));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 7 days - 1, type(uint256).max, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 90 days + 1, 7 days, 90 days));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 90 days + 1, type(uint256).max, _noProof());
        vm.stopPrank();
    }

    function test_borrow_reverts_notOwner_evenIfApprovedOperator() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        apes.setApprovalForAll(dave, true);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotTokenOwner.selector, address(apes), tokenId, dave));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_stalePrice() public {
        vm.warp(block.timestamp + 1 days + 1);
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_exposureCap() public {
        CollectionParams memory p = _paramsB();
        p.exposureCap = uint96(30_000 * USDC);
        vm.prank(gov);
        registry.configureCollection(address(punks), p);
        _borrow(carol, punks, 16_000 * USDC, 30 days);
        uint256 tokenId = _mintNft(punks, carol);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ExceedsExposureCap.selector, address(punks), 32_000 * USDC, 30_000 * USDC
            )
        );
        pool.borrow(address(punks), tokenId, 16_000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_insufficientCash() public {
        _pushPrice(address(apes), 150_000 * USDC);
        _pushPrice(address(apes), 225_000 * USDC);
        _pushPrice(address(apes), 337_500 * USDC);
        _pushPrice(address(apes), 506_250 * USDC);
        _pushPrice(address(apes), 759_375 * USDC);
        _pushPrice(address(apes), 1_139_062 * USDC);
        _pushPrice(address(apes), 1_708_593 * USDC);
        _pushPrice(address(apes), 2_500_000 * USDC);
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, 1_000_000 * USDC + 1, 1_000_000 * USDC)
        );
        pool.borrow(address(apes), tokenId, 1_000_000 * USDC + 1, 30 days, type(uint256).max, _noProof());
    }

    function test_borrow_reverts_aprAboveMax() public {
        uint256 tokenId = _mintNft(apes, carol);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.AprAboveMax.selector, 0.055e18, 0.055e18 - 1));
        pool.borrow(address(apes), tokenId, 40_000 * USDC, 30 days, 0.055e18 - 1, _noProof());
    }

    function test_borrow_nftNotApproved_reverts_andNothingMoves() public {
        uint256 tokenId = 777;
        apes.mint(carol, tokenId);
        vm.prank(carol);
        vm.expectRevert("NOT_AUTHORIZED");
        pool.borrow(address(apes), tokenId, 1000 * USDC, 30 days, type(uint256).max, _noProof());
        assertEq(apes.ownerOf(tokenId), carol);
        assertEq(pool.cash(), 1_000_000 * USDC);
    }

    function test_borrow_batchThroughMulticall() public {
        uint256 a = _mintNft(apes, carol);
        uint256 b = _mintNft(punks, carol);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(IStrataPool.borrow, (address(apes), a, 10_000 * USDC, 30 days, 1e18, _noProof()));
        calls[1] = abi.encodeCall(IStrataPool.borrow, (address(punks), b, 5000 * USDC, 30 days, 1e18, _noProof()));
        vm.prank(carol);
        pool.multicall(calls);
        assertEq(pool.loan(1).borrower, carol);
        assertEq(pool.loan(2).borrower, carol);
        assertEq(usdc.balanceOf(carol), 15_000 * USDC);
    }

    /// @dev Re-lists apes with a rarity root proving `multiplier` for `tokenId`; returns the proof.
    function _listApesWithRarity(uint256 tokenId, uint256 multiplier) internal returns (RarityProof memory proof) {
        bytes32 root;
        (root, proof) = _rarityTree(tokenId, multiplier);
        CollectionParams memory p = _paramsA();
        p.rarityRoot = root;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
    }

    function _rarityTree(uint256 tokenId, uint256 multiplier)
        internal
        pure
        returns (bytes32 root, RarityProof memory proof)
    {
        bytes32 mine = RarityProofLib.leaf(tokenId, multiplier);
        bytes32 other = RarityProofLib.leaf(type(uint256).max, 10_000);
        root = Hashes.commutativeKeccak256(mine, other);
        proof.multiplierBps = multiplier;
        proof.proof = new bytes32[](1);
        proof.proof[0] = other;
    }
}
